import { describe, expect, it } from 'vitest';
import {
  createVerifier,
  MtlsErrorCode,
  TrustStore,
  type Verdict,
  VerifierConfigError,
} from '../../src/index.js';
import { RuleSyntaxError } from '../../src/rules/rule-syntax-error.js';
import { ca, DAY, endEntity, NOW, simpleChain } from '../fixtures/pki.js';
import { unhandledRejections } from '../fixtures/unhandled.js';

const pki = await simpleChain();
const otherRoot = await ca('Other Root');
const otherLeaf = await endEntity('other-client', { issuer: otherRoot });
const expired = await endEntity('expired-client', {
  issuer: pki.intermediate,
  notBefore: new Date(NOW.getTime() - 60 * DAY),
  notAfter: new Date(NOW.getTime() - DAY),
});

function setup(clients: Parameters<typeof createVerifier>[0]['clients'], cache = true) {
  const trustStore = new TrustStore();
  trustStore.addBundle('main', pki.root.pem);
  trustStore.addBundle('other', otherRoot.pem);
  const verifier = createVerifier({ trustStore, clients, ...(cache ? {} : { cache: false }) });
  return { trustStore, verifier };
}

function failed(verdict: Verdict) {
  if (verdict.ok) throw new Error(`expected a failure, got success for ${verdict.clientId}`);
  return verdict;
}

const request = {
  certificate: pki.leaf.der,
  intermediates: [pki.intermediate.der],
  at: NOW,
};

describe('createVerifier: verdicts', () => {
  it('accepts a valid chain and names the client, chain, bundle and anchor', async () => {
    const { verifier } = setup({ acme: { bundles: ['main'] } });
    const verdict = await verifier.verify({ clientId: 'acme', ...request });
    expect(verdict.ok).toBe(true);
    if (!verdict.ok) return;
    expect(verdict.clientId).toBe('acme');
    expect(verdict.certificate.subject).toBe('CN=client.example');
    expect(verdict.chain.map((c) => c.subject)).toEqual([
      'CN=client.example',
      'CN=Test Intermediate',
      'CN=Test Root',
    ]);
    expect(verdict.bundle).toBe('main');
    expect(verdict.anchor.subject).toBe('CN=Test Root');
  });

  it('answers 4020 for a client that is not configured, enforced whatever else is wrong', async () => {
    const { verifier } = setup({ acme: { bundles: ['main'], enforce: false } });
    const verdict = failed(await verifier.verify({ clientId: 'nobody', certificate: null }));
    expect(verdict.code).toBe(MtlsErrorCode.ClientNotConfigured);
    expect(verdict.enforced).toBe(true);
    expect(verdict.clientId).toBe('nobody');
  });

  it('does not resolve client ids to inherited object properties', async () => {
    const { verifier } = setup({ acme: { bundles: ['main'] } });
    for (const clientId of ['__proto__', 'constructor', 'toString']) {
      const verdict = failed(await verifier.verify({ clientId, ...request }));
      expect(verdict.code).toBe(MtlsErrorCode.ClientNotConfigured);
    }
  });

  it('answers 4016 naming the bundle the store does not have, before looking at the certificate', async () => {
    const { verifier } = setup({ acme: { bundles: ['main', 'missing'] } });
    const verdict = failed(await verifier.verify({ clientId: 'acme', certificate: null }));
    expect(verdict.code).toBe(MtlsErrorCode.BundleMissing);
    expect(verdict.bundle).toBe('missing');
    expect(verdict.message).toContain('"missing"');
  });

  it('answers 4016 for a client that names no bundle', async () => {
    const { verifier } = setup({ acme: { bundles: [] } });
    const verdict = failed(await verifier.verify({ clientId: 'acme', ...request }));
    expect(verdict.code).toBe(MtlsErrorCode.BundleMissing);
  });

  it('answers 4017 when no certificate was presented, in each empty form', async () => {
    const { verifier } = setup({ acme: { bundles: ['main'] } });
    for (const certificate of [undefined, null, '', [], new Uint8Array(0)]) {
      const verdict = failed(await verifier.verify({ clientId: 'acme', certificate, at: NOW }));
      expect(verdict.code).toBe(MtlsErrorCode.CertificateMissing);
      expect(verdict.enforced).toBe(true);
    }
  });

  it('answers 4018 malformed for bytes that are not a certificate, without a certificate', async () => {
    const { verifier } = setup({ acme: { bundles: ['main'] } });
    const verdict = failed(
      await verifier.verify({ clientId: 'acme', certificate: new Uint8Array([0x30, 0x03, 1, 2]) }),
    );
    expect(verdict.code).toBe(MtlsErrorCode.CertificateInvalid);
    expect(verdict.reason).toBe('malformed');
    expect(verdict.certificate).toBeUndefined();
  });

  it('answers 4018 expired with the parsed certificate', async () => {
    const { verifier } = setup({ acme: { bundles: ['main'] } });
    const verdict = failed(
      await verifier.verify({
        clientId: 'acme',
        certificate: expired.pem,
        intermediates: pki.intermediate.pem,
        at: NOW,
      }),
    );
    expect(verdict.code).toBe(MtlsErrorCode.CertificateInvalid);
    expect(verdict.reason).toBe('expired');
    expect(verdict.certificate?.subject).toBe('CN=expired-client');
  });

  it('answers 4018 untrusted for a certificate from a CA none of the client bundles hold', async () => {
    const { verifier } = setup({ acme: { bundles: ['main'] } });
    const verdict = failed(
      await verifier.verify({ clientId: 'acme', certificate: otherLeaf.der, at: NOW }),
    );
    expect(verdict.reason).toBe('untrusted');
  });

  it('answers 4018 untrusted when the intermediate the client must send is missing', async () => {
    const { verifier } = setup({ acme: { bundles: ['main'] } });
    const verdict = failed(
      await verifier.verify({ clientId: 'acme', certificate: pki.leaf.der, at: NOW }),
    );
    expect(verdict.reason).toBe('untrusted');
  });

  it('validates against the union of the client bundles and names the one that matched', async () => {
    const { verifier } = setup({ acme: { bundles: ['main', 'other'] } });
    const verdict = await verifier.verify({
      clientId: 'acme',
      certificate: otherLeaf.pem,
      at: NOW,
    });
    expect(verdict.ok && verdict.bundle).toBe('other');
  });

  it('accepts a leaf given with its chain in one PEM text', async () => {
    const { verifier } = setup({ acme: { bundles: ['main'] } });
    const verdict = await verifier.verify({
      clientId: 'acme',
      certificate: `${pki.leaf.pem}\n${pki.intermediate.pem}`,
      at: NOW,
    });
    expect(verdict.ok).toBe(true);
  });

  it('answers 4019 with the deciding clause when the rule is false', async () => {
    const { verifier } = setup({
      acme: { bundles: ['main'], rule: 'SAN.include?("DNS:client.example") && CN == "someone"' },
    });
    const verdict = failed(await verifier.verify({ clientId: 'acme', ...request }));
    expect(verdict.code).toBe(MtlsErrorCode.RuleFailed);
    expect(verdict.clause).toContain('CN == "someone"');
    expect(verdict.message).toContain('CN == "someone"');
    expect(verdict.certificate?.subject).toBe('CN=client.example');
  });

  it('accepts a certificate that satisfies the rule', async () => {
    const { verifier } = setup({
      acme: {
        bundles: ['main'],
        rule: 'SAN.include?("DNS:client.example") && CN == "client.example"',
      },
    });
    expect((await verifier.verify({ clientId: 'acme', ...request })).ok).toBe(true);
  });

  it('checks the chain before the rule: an invalid chain is 4018 even when the rule would fail', async () => {
    const { verifier } = setup({ acme: { bundles: ['main'], rule: 'CN == "nobody"' } });
    const verdict = failed(
      await verifier.verify({ clientId: 'acme', certificate: otherLeaf.der, at: NOW }),
    );
    expect(verdict.code).toBe(MtlsErrorCode.CertificateInvalid);
  });

  it('marks failures of a client with enforce: false as not enforced', async () => {
    const { verifier } = setup({ lenient: { bundles: ['main'], enforce: false } });
    const missing = failed(await verifier.verify({ clientId: 'lenient', certificate: null }));
    expect(missing.code).toBe(MtlsErrorCode.CertificateMissing);
    expect(missing.enforced).toBe(false);
  });

  it('reads the store at each call: bundles added and removed apply to the next request', async () => {
    const trustStore = new TrustStore();
    const verifier = createVerifier({ trustStore, clients: { acme: { bundles: ['late'] } } });
    expect(failed(await verifier.verify({ clientId: 'acme', ...request })).code).toBe(
      MtlsErrorCode.BundleMissing,
    );
    trustStore.addBundle('late', pki.root.pem);
    expect((await verifier.verify({ clientId: 'acme', ...request })).ok).toBe(true);
    trustStore.addBundle('late', otherRoot.pem);
    expect(failed(await verifier.verify({ clientId: 'acme', ...request })).reason).toBe(
      'untrusted',
    );
    trustStore.removeBundle('late');
    expect(failed(await verifier.verify({ clientId: 'acme', ...request })).code).toBe(
      MtlsErrorCode.BundleMissing,
    );
  });

  it('never rejects: an invalid `at` or an unknown input shape becomes a 4018 verdict', async () => {
    const { verifier } = setup({ acme: { bundles: ['main'] } });
    const badTime = failed(
      await verifier.verify({ clientId: 'acme', ...request, at: new Date('nonsense') }),
    );
    expect(badTime.code).toBe(MtlsErrorCode.CertificateInvalid);
    expect(badTime.message).toContain('at');
    const weird = failed(
      await verifier.verify({
        clientId: 'acme',
        certificate: { some: 'object' } as unknown as Uint8Array,
        at: NOW,
      }),
    );
    expect(weird.code).toBe(MtlsErrorCode.CertificateInvalid);
    const noRequest = failed(await verifier.verify(undefined as unknown as { clientId: string }));
    expect(noRequest.code).toBe(MtlsErrorCode.ClientNotConfigured);
  });

  it('gives a verdict even for a request whose fields throw when read', async () => {
    const { verifier } = setup({ acme: { bundles: ['main'] } });
    const hostile = {
      clientId: 'acme',
      get certificate(): never {
        throw new Error('boom');
      },
    };
    const verdict = failed(await verifier.verify(hostile));
    expect(verdict.code).toBe(MtlsErrorCode.CertificateInvalid);
    expect(verdict.message).toContain('boom');
  });

  it('clips a long client id in messages', async () => {
    const { verifier } = setup({ acme: { bundles: ['main'] } });
    const verdict = failed(await verifier.verify({ clientId: 'x'.repeat(10_000) }));
    expect(verdict.message.length).toBeLessThan(200);
    expect(verdict.clientId).toHaveLength(10_000);
  });

  it('exposes the store and the client ids', () => {
    const { verifier, trustStore } = setup({ a: { bundles: ['main'] }, b: { bundles: [] } });
    expect(verifier.trustStore).toBe(trustStore);
    expect(verifier.clientIds).toEqual(['a', 'b']);
  });
});

describe('createVerifier: configuration errors', () => {
  const trustStore = new TrustStore();

  it('refuses more than five bundles, naming the client', () => {
    const bundles = ['a', 'b', 'c', 'd', 'e', 'f'];
    try {
      createVerifier({ trustStore, clients: { crowded: { bundles } } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(VerifierConfigError);
      expect((error as VerifierConfigError).clientId).toBe('crowded');
      expect((error as Error).message).toContain('"crowded"');
    }
    expect(() =>
      createVerifier({ trustStore, clients: { five: { bundles: bundles.slice(0, 5) } } }),
    ).not.toThrow();
  });

  it('refuses a rule that does not compile, with the RuleSyntaxError and its position as cause', () => {
    try {
      createVerifier({ trustStore, clients: { acme: { bundles: ['a'], rule: 'CM == "x"' } } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(VerifierConfigError);
      expect((error as Error).message).toContain('"acme"');
      const cause = (error as Error).cause;
      expect(cause).toBeInstanceOf(RuleSyntaxError);
      expect((cause as RuleSyntaxError).position).toBe(0);
    }
  });

  it('refuses empty, malformed and duplicate entries', () => {
    const bad: unknown[] = [
      {},
      [],
      null,
      { acme: null },
      { acme: { bundles: 'main' } },
      { acme: { bundles: ['main', 'main'] } },
      { acme: { bundles: [' padded'] } },
      { acme: { bundles: ['main'], enforce: 'no' } },
      { acme: { bundles: ['main'], rule: 42 } },
      { '': { bundles: ['main'] } },
    ];
    for (const clients of bad) {
      expect(() =>
        createVerifier({ trustStore, clients: clients as Record<string, { bundles: string[] }> }),
      ).toThrow(VerifierConfigError);
    }
  });

  it('refuses a configuration without a TrustStore or with a bad cache option', () => {
    const clients = { acme: { bundles: ['main'] } };
    expect(() => createVerifier(undefined as never)).toThrow(VerifierConfigError);
    expect(() => createVerifier({ trustStore: {} as TrustStore, clients })).toThrow(
      VerifierConfigError,
    );
    expect(() => createVerifier({ trustStore, clients, cache: { size: -1 } })).toThrow(
      VerifierConfigError,
    );
  });
});

describe('createVerifier: onVerdict', () => {
  it('calls the hook with every verdict and the request', async () => {
    const seen: [Verdict, string][] = [];
    const trustStore = new TrustStore();
    trustStore.addBundle('main', pki.root.pem);
    const verifier = createVerifier({
      trustStore,
      clients: { acme: { bundles: ['main'] } },
      onVerdict: (verdict, req) => seen.push([verdict, req.clientId]),
    });
    const first = await verifier.verify({ clientId: 'acme', ...request });
    const second = await verifier.verify({ clientId: 'ghost', ...request });
    expect(seen).toEqual([
      [first, 'acme'],
      [second, 'ghost'],
    ]);
  });

  it('keeps the verdict when the hook throws', async () => {
    const trustStore = new TrustStore();
    trustStore.addBundle('main', pki.root.pem);
    const verifier = createVerifier({
      trustStore,
      clients: { acme: { bundles: ['main'] } },
      onVerdict: () => {
        throw new Error('logger down');
      },
    });
    expect((await verifier.verify({ clientId: 'acme', ...request })).ok).toBe(true);
  });

  it('handles the rejection of an async hook: no unhandled rejection reaches the process', async () => {
    const trustStore = new TrustStore();
    trustStore.addBundle('main', pki.root.pem);
    const verifier = createVerifier({
      trustStore,
      clients: { acme: { bundles: ['main'] } },
      onVerdict: async () => {
        throw new Error('logger down');
      },
    });
    const unhandled = await unhandledRejections(async () => {
      expect((await verifier.verify({ clientId: 'acme', ...request })).ok).toBe(true);
    });
    expect(unhandled).toEqual([]);
  });
});

describe('createVerifier: never throws', () => {
  it('answers 4018 when the request throws something that has no text', async () => {
    const { verifier } = setup({ acme: { bundles: ['main'] } });
    const hostile = {
      clientId: 'acme',
      get certificate(): never {
        throw Object.create(null);
      },
    };
    const verdict = await verifier.verify(hostile);
    expect(!verdict.ok && verdict.code).toBe(MtlsErrorCode.CertificateInvalid);
    expect(!verdict.ok && verdict.message).toMatch(
      /could not be verified: an error that has no text/,
    );
  });
});
