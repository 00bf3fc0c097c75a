import { webcrypto } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { buildChain, type ChainResult } from '../../src/chain/build-chain.js';
import { ChainCache } from '../../src/chain/cache.js';
import { TrustStore } from '../../src/trust/trust-store.js';
import { ca, DAY, endEntity, NOW, simpleChain, x509 } from '../fixtures/pki.js';
import { countingBackend, dnsNameConstraints, tlv, unknownExtension } from './helpers.js';

const SECOND = 1000;
const KU = x509.KeyUsageFlags;

function names(result: ChainResult): string[] {
  if (!result.ok) throw new Error(`expected a chain, got ${result.reason}: ${result.message}`);
  return result.chain.map((c) => c.subject);
}

function failure(result: ChainResult) {
  if (result.ok) throw new Error(`expected a failure, got ${names(result).join(' <- ')}`);
  return result;
}

describe('valid chains', () => {
  test('a leaf, its intermediate and a root validate, leaf first and anchor last', async () => {
    const { root, intermediate, leaf } = await simpleChain();
    const result = await buildChain(leaf.pem, {
      anchors: root.pem,
      intermediates: [intermediate.der],
      at: NOW,
    });
    expect(names(result)).toEqual(['CN=client.example', 'CN=Test Intermediate', 'CN=Test Root']);
    expect(result.ok && result.anchor.subject).toBe('CN=Test Root');
    expect(result.ok && result.bundle).toBeUndefined();
  });

  test('the result names the bundle the anchor came from', async () => {
    const { root, intermediate, leaf } = await simpleChain();
    const other = await ca('Other Root');
    const store = new TrustStore();
    store.addBundle('other', other.der);
    store.addBundle('partners', root.der);
    const result = await buildChain(leaf.der, {
      anchors: store.bundles,
      intermediates: intermediate.der,
      at: NOW,
    });
    expect(result.ok && result.bundle?.name).toBe('partners');
  });

  test('a leaf given with its chain in one PEM uses the rest as intermediates', async () => {
    const { root, intermediate, leaf } = await simpleChain();
    const result = await buildChain(`${leaf.pem}${intermediate.pem}`, {
      anchors: root.der,
      at: NOW,
    });
    expect(names(result)).toHaveLength(3);
  });

  test('an intermediate in a bundle is an anchor: the chain stops there', async () => {
    const { intermediate, leaf } = await simpleChain();
    const result = await buildChain(leaf.der, { anchors: intermediate.der, at: NOW });
    expect(names(result)).toEqual(['CN=client.example', 'CN=Test Intermediate']);
  });

  test('a leaf that is itself in a bundle is trusted as pinned', async () => {
    const leaf = await endEntity('pinned');
    const result = await buildChain(leaf.der, { anchors: leaf.pem, at: NOW, strict: false });
    expect(names(result)).toEqual(['CN=pinned']);
  });

  test('a root in two bundles and presented too is tried once', async () => {
    const root = await ca('Root', { notAfter: new Date(NOW.getTime() - DAY) });
    const inter = await ca('Inter', { issuer: root });
    const leaf = await endEntity('Leaf', { issuer: inter });
    const store = new TrustStore();
    store.addBundle('a', root.der);
    store.addBundle('b', root.pem);
    const backend = countingBackend();
    const result = await buildChain(leaf.der, {
      anchors: store.bundles,
      intermediates: [inter.der, root.der],
      at: NOW,
      backend,
    });
    expect(!result.ok && result.reason).toBe('expired');
    expect(backend.count).toBe(2);
  });

  test('intermediates in any order, with noise, still build the path', async () => {
    const { root, intermediate, leaf } = await simpleChain();
    const noise = await simpleChain();
    const result = await buildChain(leaf.der, {
      anchors: root.der,
      intermediates: [noise.intermediate.der, noise.root.der, intermediate.der, noise.leaf.der],
      at: NOW,
    });
    expect(names(result)).toHaveLength(3);
  });
});

describe('validity', () => {
  const cases = [
    ['leaf', 0],
    ['intermediate', 1],
    ['anchor', 2],
  ] as const;

  test.each(cases)(
    'an expired %s is expired, naming it and its position',
    async (role, position) => {
      const past = {
        notBefore: new Date(NOW.getTime() - 90 * DAY),
        notAfter: new Date(NOW.getTime() - DAY),
      };
      const root = await ca('Root', role === 'anchor' ? past : {});
      const inter = await ca('Inter', { issuer: root, ...(role === 'intermediate' ? past : {}) });
      const leaf = await endEntity('Leaf', { issuer: inter, ...(role === 'leaf' ? past : {}) });
      const result = failure(
        await buildChain(leaf.der, { anchors: root.der, intermediates: inter.der, at: NOW }),
      );
      expect(result.reason).toBe('expired');
      expect(result.position).toBe(position);
      expect(result.message).toContain(`${role} "CN=${['Leaf', 'Inter', 'Root'][position]}"`);
      expect(result.message).toContain(`position ${position}`);
    },
  );

  test.each(cases)('a %s not valid yet is not-yet-valid', async (role, position) => {
    const future = {
      notBefore: new Date(NOW.getTime() + DAY),
      notAfter: new Date(NOW.getTime() + 90 * DAY),
    };
    const root = await ca('Root', role === 'anchor' ? future : {});
    const inter = await ca('Inter', { issuer: root, ...(role === 'intermediate' ? future : {}) });
    const leaf = await endEntity('Leaf', { issuer: inter, ...(role === 'leaf' ? future : {}) });
    const result = failure(
      await buildChain(leaf.der, { anchors: root.der, intermediates: inter.der, at: NOW }),
    );
    expect(result.reason).toBe('not-yet-valid');
    expect(result.position).toBe(position);
  });

  test('both bounds are inclusive to the second', async () => {
    const notBefore = new Date('2026-05-01T00:00:00Z');
    const notAfter = new Date('2026-07-01T00:00:00Z');
    const root = await ca('Root', { notBefore, notAfter });
    const leaf = await endEntity('Leaf', { issuer: root, notBefore, notAfter });
    const at = async (ms: number) =>
      (await buildChain(leaf.der, { anchors: root.der, at: new Date(ms) })).ok;
    expect(await at(notBefore.getTime())).toBe(true);
    expect(await at(notAfter.getTime())).toBe(true);
    expect(await at(notAfter.getTime() + 999)).toBe(true);
    expect(await at(notAfter.getTime() + SECOND)).toBe(false);
    expect(await at(notBefore.getTime() - 1)).toBe(false);
  });

  test('another path around an expired intermediate is found', async () => {
    const root = await ca('Root');
    const keys = (await ca('Spare')).keys;
    const expired = await ca('Inter', {
      issuer: root,
      keys,
      notBefore: new Date(NOW.getTime() - 90 * DAY),
      notAfter: new Date(NOW.getTime() - DAY),
    });
    const current = await ca('Inter', { issuer: root, keys });
    const leaf = await endEntity('Leaf', { issuer: current });
    const result = await buildChain(leaf.der, {
      anchors: root.der,
      intermediates: [expired.der, current.der],
      at: NOW,
    });
    expect(result.ok && result.chain[1]!.der).toEqual(current.der);
  });
});

describe('CA and path rules', () => {
  test('an issuer without cA is not-ca', async () => {
    const root = await ca('Root');
    const notCa = await endEntity('Fake CA', {
      issuer: root,
      keyUsage: KU.keyCertSign | KU.digitalSignature,
      eku: null,
    });
    const leaf = await endEntity('Leaf', { issuer: notCa });
    const result = failure(
      await buildChain(leaf.der, {
        anchors: root.der,
        intermediates: notCa.der,
        at: NOW,
        strict: false,
      }),
    );
    expect(result.reason).toBe('not-ca');
    expect(result.position).toBe(1);
  });

  test('a CA presented as the leaf is not-ca unless allowCaLeaf', async () => {
    const root = await ca('Root');
    const inter = await ca('Inter', {
      issuer: root,
      keyUsage: KU.keyCertSign | KU.digitalSignature,
    });
    const refused = failure(
      await buildChain(inter.der, { anchors: root.der, at: NOW, extendedKeyUsage: null }),
    );
    expect(refused.reason).toBe('not-ca');
    const allowed = await buildChain(inter.der, {
      anchors: root.der,
      at: NOW,
      extendedKeyUsage: null,
      allowCaLeaf: true,
    });
    expect(allowed.ok).toBe(true);
  });

  test('pathLenConstraint 0 allows a leaf directly below and refuses an intermediate', async () => {
    const root = await ca('Root', { pathLength: 0 });
    const inter = await ca('Inter', { issuer: root });
    const direct = await endEntity('Direct', { issuer: root });
    const below = await endEntity('Below', { issuer: inter });
    expect((await buildChain(direct.der, { anchors: root.der, at: NOW })).ok).toBe(true);
    const result = failure(
      await buildChain(below.der, { anchors: root.der, intermediates: inter.der, at: NOW }),
    );
    expect(result.reason).toBe('path-length');
    expect(result.message).toContain('anchor "CN=Root"');
  });

  test('pathLenConstraint 1 allows one intermediate below and refuses two', async () => {
    const root = await ca('Root', { pathLength: 1 });
    const i1 = await ca('I1', { issuer: root });
    const i2 = await ca('I2', { issuer: i1 });
    const l1 = await endEntity('L1', { issuer: i1 });
    const l2 = await endEntity('L2', { issuer: i2 });
    expect(
      (await buildChain(l1.der, { anchors: root.der, intermediates: [i1.der], at: NOW })).ok,
    ).toBe(true);
    const result = failure(
      await buildChain(l2.der, { anchors: root.der, intermediates: [i1.der, i2.der], at: NOW }),
    );
    expect(result.reason).toBe('path-length');
  });

  test('a self-issued intermediate (key rollover) does not count toward maxDepth', async () => {
    const root = await ca('Root');
    const iOld = await ca('Issuing', { issuer: root });
    const iNew = await ca('Issuing', { issuer: iOld });
    const leaf = await endEntity('Leaf', { issuer: iNew });
    const options = { anchors: root.der, intermediates: [iNew.der, iOld.der], at: NOW };
    const result = await buildChain(leaf.der, { ...options, maxDepth: 1 });
    expect(names(result)).toEqual(['CN=Leaf', 'CN=Issuing', 'CN=Issuing', 'CN=Root']);
    expect(failure(await buildChain(leaf.der, { ...options, maxDepth: 0 })).reason).toBe(
      'chain-too-long',
    );
  });

  test('maxDepth bounds the intermediates between leaf and anchor', async () => {
    const root = await ca('Root');
    const i1 = await ca('I1', { issuer: root });
    const i2 = await ca('I2', { issuer: i1 });
    const leaf = await endEntity('Leaf', { issuer: i2 });
    const options = { anchors: root.der, intermediates: [i1.der, i2.der], at: NOW };
    expect((await buildChain(leaf.der, { ...options, maxDepth: 2 })).ok).toBe(true);
    const result = failure(await buildChain(leaf.der, { ...options, maxDepth: 1 }));
    expect(result.reason).toBe('chain-too-long');
  });
});

describe('key usage', () => {
  test('an issuer whose keyUsage lacks keyCertSign is key-usage', async () => {
    const root = await ca('Root');
    const inter = await ca('Inter', { issuer: root, keyUsage: KU.cRLSign | KU.digitalSignature });
    const leaf = await endEntity('Leaf', { issuer: inter });
    const result = failure(
      await buildChain(leaf.der, { anchors: root.der, intermediates: inter.der, at: NOW }),
    );
    expect(result.reason).toBe('key-usage');
    expect(result.position).toBe(1);
  });

  test('a leaf whose keyUsage lacks digitalSignature is key-usage', async () => {
    const root = await ca('Root');
    const leaf = await endEntity('Leaf', { issuer: root, keyUsage: KU.keyEncipherment });
    expect(failure(await buildChain(leaf.der, { anchors: root.der, at: NOW })).reason).toBe(
      'key-usage',
    );
  });

  test('a leaf without keyUsage is not constrained by it', async () => {
    const root = await ca('Root');
    const leaf = await endEntity('Leaf', {
      issuer: root,
      extensions: [
        new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.2']),
        await x509.AuthorityKeyIdentifierExtension.create(root.cert),
      ],
    });
    expect((await buildChain(leaf.der, { anchors: root.der, at: NOW })).ok).toBe(true);
  });
});

describe('extended key usage', () => {
  const SERVER = '1.3.6.1.5.5.7.3.1';
  const CLIENT = '1.3.6.1.5.5.7.3.2';
  const ANY = '2.5.29.37.0';

  test('a serverAuth-only leaf is refused for the default clientAuth, accepted for serverAuth or null', async () => {
    const root = await ca('Root');
    const leaf = await endEntity('Leaf', { issuer: root, eku: [SERVER] });
    const base = { anchors: root.der, at: NOW };
    expect(failure(await buildChain(leaf.der, base)).reason).toBe('extended-key-usage');
    expect((await buildChain(leaf.der, { ...base, extendedKeyUsage: 'serverAuth' })).ok).toBe(true);
    expect((await buildChain(leaf.der, { ...base, extendedKeyUsage: SERVER })).ok).toBe(true);
    expect((await buildChain(leaf.der, { ...base, extendedKeyUsage: null })).ok).toBe(true);
  });

  test('a leaf without EKU allows every purpose', async () => {
    const root = await ca('Root');
    const leaf = await endEntity('Leaf', { issuer: root, eku: null });
    expect((await buildChain(leaf.der, { anchors: root.der, at: NOW })).ok).toBe(true);
  });

  test('anyExtendedKeyUsage alone in a leaf does not grant clientAuth', async () => {
    const root = await ca('Root');
    const leaf = await endEntity('Leaf', { issuer: root, eku: [ANY] });
    expect(failure(await buildChain(leaf.der, { anchors: root.der, at: NOW })).reason).toBe(
      'extended-key-usage',
    );
  });

  test('asking for anyExtendedKeyUsage accepts a leaf with any EKU', async () => {
    const root = await ca('Root');
    const leaf = await endEntity('Leaf', { issuer: root, eku: [SERVER] });
    const result = await buildChain(leaf.der, {
      anchors: root.der,
      at: NOW,
      extendedKeyUsage: 'anyExtendedKeyUsage',
    });
    expect(result.ok).toBe(true);
  });

  test('EKU in an intermediate constrains the leaf; anyExtendedKeyUsage there allows it', async () => {
    const root = await ca('Root');
    const serverOnly = await ca('Server CA', {
      issuer: root,
      extraExtensions: [new x509.ExtendedKeyUsageExtension([SERVER])],
    });
    const anyEku = await ca('Any CA', {
      issuer: root,
      extraExtensions: [new x509.ExtendedKeyUsageExtension([ANY])],
    });
    const l1 = await endEntity('L1', { issuer: serverOnly, eku: [CLIENT] });
    const l2 = await endEntity('L2', { issuer: anyEku, eku: [CLIENT] });
    const r1 = failure(
      await buildChain(l1.der, { anchors: root.der, intermediates: serverOnly.der, at: NOW }),
    );
    expect(r1.reason).toBe('extended-key-usage');
    expect(r1.position).toBe(1);
    expect(
      (await buildChain(l2.der, { anchors: root.der, intermediates: anyEku.der, at: NOW })).ok,
    ).toBe(true);
  });
});

describe('extensions', () => {
  test.each(['leaf', 'intermediate'] as const)(
    'an unknown critical extension in the %s is refused; non-critical is ignored',
    async (where) => {
      const root = await ca('Root');
      const make = async (critical: boolean) => {
        const extra = { extraExtensions: [unknownExtension(critical)] };
        const inter = await ca('Inter', {
          issuer: root,
          ...(where === 'intermediate' ? extra : {}),
        });
        const leaf = await endEntity('Leaf', { issuer: inter, ...(where === 'leaf' ? extra : {}) });
        return buildChain(leaf.der, { anchors: root.der, intermediates: inter.der, at: NOW });
      };
      expect(failure(await make(true)).reason).toBe('unsupported-critical-extension');
      expect((await make(false)).ok).toBe(true);
    },
  );

  test('an extension present twice is refused', async () => {
    const root = await ca('Root');
    const leaf = await endEntity('Leaf', {
      issuer: root,
      extraExtensions: [new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.2'])],
    });
    const result = failure(await buildChain(leaf.der, { anchors: root.der, at: NOW }));
    expect(result.reason).toBe('unsupported-critical-extension');
    expect(result.message).toContain('twice');
  });
});

describe('signatures and trust', () => {
  test('an issuer with the right name and the wrong key is bad-signature', async () => {
    const root = await ca('Root');
    const impostor = await ca('Root');
    const leaf = await endEntity('Leaf', { issuer: impostor });
    const result = failure(await buildChain(leaf.der, { anchors: root.der, at: NOW }));
    expect(result.reason).toBe('bad-signature');
    expect(result.position).toBe(0);
  });

  test('a missing intermediate is untrusted, naming the issuer it looked for', async () => {
    const { root, leaf } = await simpleChain();
    const result = failure(await buildChain(leaf.der, { anchors: root.der, at: NOW }));
    expect(result.reason).toBe('untrusted');
    expect(result.message).toContain('CN=Test Intermediate');
  });

  test('a self-signed leaf that is not in a bundle is untrusted', async () => {
    const root = await ca('Root');
    const self = await endEntity('Self');
    expect(
      failure(await buildChain(self.der, { anchors: root.der, at: NOW, strict: false })).reason,
    ).toBe('untrusted');
  });

  test('the most specific failure wins: an expired intermediate is expired, not untrusted', async () => {
    const root = await ca('Root');
    const inter = await ca('Inter', { issuer: root, notAfter: new Date(NOW.getTime() - DAY) });
    const leaf = await endEntity('Leaf', { issuer: inter });
    const decoy = await ca('Inter');
    const result = failure(
      await buildChain(leaf.der, {
        anchors: root.der,
        intermediates: [decoy.der, inter.der],
        at: NOW,
      }),
    );
    expect(result.reason).toBe('expired');
  });

  test('a cross-signed intermediate: the path through the trusted root is found by backtracking', async () => {
    const trusted = await ca('Trusted Root');
    const other = await ca('Other Root');
    const keys = (await ca('Spare')).keys;
    const byOther = await ca('Issuing', { issuer: other, keys });
    const byTrusted = await ca('Issuing', { issuer: trusted, keys });
    const leaf = await endEntity('Leaf', { issuer: byOther });
    const result = await buildChain(leaf.der, {
      anchors: trusted.der,
      intermediates: [byOther.der, other.der, byTrusted.der],
      at: NOW,
    });
    expect(names(result)).toEqual(['CN=Leaf', 'CN=Issuing', 'CN=Trusted Root']);
  });

  test('SHA-1 signatures are unsupported-algorithm unless allowSha1, which the cache does not leak', async () => {
    const root = await ca('Root');
    const keys = (await ca('Spare')).keys;
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: '0a01',
      subject: 'CN=Sha1 Leaf',
      issuer: root.cert.subjectName,
      notBefore: new Date(NOW.getTime() - DAY),
      notAfter: new Date(NOW.getTime() + DAY),
      publicKey: keys.publicKey,
      signingKey: root.keys.privateKey,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-1' } as Algorithm,
      extensions: [await x509.AuthorityKeyIdentifierExtension.create(root.cert)],
    });
    const leaf = new Uint8Array(cert.rawData);
    const result = failure(await buildChain(leaf, { anchors: root.der, at: NOW }));
    expect(result.reason).toBe('unsupported-algorithm');
    const cache = new ChainCache();
    const anchors = new TrustStore().addBundle('b', root.der);
    const legacy = await buildChain(leaf, { anchors, at: NOW, allowSha1: true, cache });
    expect(legacy.ok).toBe(true);
    const again = failure(await buildChain(leaf, { anchors, at: NOW, cache }));
    expect(again.reason).toBe('unsupported-algorithm');
  });

  test('a leaf with an RSA key under 2048 bits is weak-key', async () => {
    const root = await ca('Root');
    const keys = (await webcrypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        hash: 'SHA-256',
        modulusLength: 1024,
        publicExponent: new Uint8Array([1, 0, 1]),
      },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
    const leaf = await endEntity('Weak', { issuer: root, keys });
    expect(failure(await buildChain(leaf.der, { anchors: root.der, at: NOW })).reason).toBe(
      'weak-key',
    );
  });
});

describe('issuer names', () => {
  /** Name DER with one CN, as the given string type (0x0c UTF8String, 0x13 PrintableString). */
  function cnName(text: string, tag: number): x509.Name {
    const value = tlv(tag, new Uint8Array(Buffer.from(text, 'utf8')));
    const atv = tlv(0x30, tlv(0x06, new Uint8Array([0x55, 0x04, 0x03])), value);
    return new x509.Name(tlv(0x30, tlv(0x31, atv)));
  }

  async function leafNamingIssuer(root: Awaited<ReturnType<typeof ca>>, issuer: x509.Name) {
    const keys = (await ca('Spare')).keys;
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: '0b01',
      subject: 'CN=Leaf',
      issuer,
      notBefore: new Date(NOW.getTime() - DAY),
      notAfter: new Date(NOW.getTime() + DAY),
      publicKey: keys.publicKey,
      signingKey: root.keys.privateKey,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as Algorithm,
      extensions: [
        new x509.KeyUsagesExtension(KU.digitalSignature, true),
        await x509.AuthorityKeyIdentifierExtension.create(root.cert),
      ],
    });
    return new Uint8Array(cert.rawData);
  }

  test('an issuer name spelled differently (string type, case) still finds its CA (RFC 5280 §7.1)', async () => {
    const root = await ca('Mixed CA', { subject: 'CN=Mixed CA' });
    const sameNameOtherSpelling = cnName('MIXED  ca', 0x0c);
    const leaf = await leafNamingIssuer(root, sameNameOtherSpelling);
    expect(Buffer.from(sameNameOtherSpelling.toArrayBuffer())).not.toEqual(
      Buffer.from(root.cert.subjectName.toArrayBuffer()),
    );
    const result = await buildChain(leaf, { anchors: root.der, at: NOW });
    expect(names(result)).toEqual(['CN=Leaf', 'CN=Mixed CA']);
  });

  test('a different issuer name does not find the CA', async () => {
    const root = await ca('Mixed CA', { subject: 'CN=Mixed CA' });
    const leaf = await leafNamingIssuer(root, cnName('Mixed CB', 0x0c));
    expect(failure(await buildChain(leaf, { anchors: root.der, at: NOW })).reason).toBe(
      'untrusted',
    );
  });
});

describe('name constraints', () => {
  test('a CA name constraint applies to the leaf below it, both verdicts', async () => {
    const root = await ca('Root', { extraExtensions: [dnsNameConstraints(['example.com'])] });
    const inside = await endEntity('In', {
      issuer: root,
      san: [{ type: 'dns', value: 'a.example.com' }],
    });
    const outside = await endEntity('Out', {
      issuer: root,
      san: [{ type: 'dns', value: 'a.example.org' }],
    });
    expect((await buildChain(inside.der, { anchors: root.der, at: NOW })).ok).toBe(true);
    const result = failure(await buildChain(outside.der, { anchors: root.der, at: NOW }));
    expect(result.reason).toBe('name-constraints');
    expect(result.position).toBe(0);
  });

  test('an intermediate name constraint applies to the leaf; excluded subtrees refuse', async () => {
    const root = await ca('Root');
    const inter = await ca('Inter', {
      issuer: root,
      extraExtensions: [dnsNameConstraints([], ['bad.example'])],
    });
    const leaf = await endEntity('Leaf', {
      issuer: inter,
      san: [{ type: 'dns', value: 'x.bad.example' }],
    });
    const result = failure(
      await buildChain(leaf.der, { anchors: root.der, intermediates: inter.der, at: NOW }),
    );
    expect(result.reason).toBe('name-constraints');
  });
});

describe('strict profile', () => {
  test('a leaf without authorityKeyIdentifier is invalid-encoding in strict mode only', async () => {
    const root = await ca('Root');
    const leaf = await endEntity('Leaf', { issuer: root, noKeyIds: true });
    expect(failure(await buildChain(leaf.der, { anchors: root.der, at: NOW })).reason).toBe(
      'invalid-encoding',
    );
    expect((await buildChain(leaf.der, { anchors: root.der, at: NOW, strict: false })).ok).toBe(
      true,
    );
  });

  /** Root → an intermediate whose basicConstraints is not critical → a leaf without AKI. */
  async function nonCriticalCaChain() {
    const root = await ca('Root');
    const inter = await ca('Inter', {
      issuer: root,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, false),
        new x509.KeyUsagesExtension(KU.keyCertSign, true),
        await x509.SubjectKeyIdentifierExtension.create((await ca('K')).keys.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(root.cert),
      ],
    });
    return { root, inter, leaf: await endEntity('Leaf', { issuer: inter, noKeyIds: true }) };
  }

  test('a CA whose basicConstraints is not critical is invalid-encoding in strict mode', async () => {
    const { root, inter, leaf } = await nonCriticalCaChain();
    const lenient = await buildChain(leaf.der, {
      anchors: root.der,
      intermediates: inter.der,
      at: NOW,
      strict: false,
    });
    expect(lenient.ok).toBe(true);
    const strict = failure(
      await buildChain(leaf.der, { anchors: root.der, intermediates: inter.der, at: NOW }),
    );
    expect(strict.reason).toBe('invalid-encoding');
  });

  test('the issuer checks kept per certificate answer each mode and role on its own', async () => {
    const { root, inter, leaf } = await nonCriticalCaChain();
    // One store and cache: the same Certificate objects are checked in every call.
    const store = new TrustStore();
    const roots = store.addBundle('roots', root.der);
    const inters = store.addBundle('inters', inter.der);
    const cache = new ChainCache({ store });
    const run = (strict: boolean, anchors = roots) =>
      buildChain(leaf.der, { anchors, intermediates: inter.der, at: NOW, strict, cache });
    for (let round = 0; round < 2; round++) {
      expect((await run(false)).ok).toBe(true);
      expect(failure(await run(true)).reason).toBe('invalid-encoding');
      // The same CA trusted directly: as an anchor the profile still asks a critical
      // basicConstraints in strict mode, and nothing in lenient mode.
      expect(failure(await run(true, inters)).reason).toBe('invalid-encoding');
      expect((await run(false, inters)).ok).toBe(true);
    }
  });
});

describe('input and options', () => {
  test('a malformed leaf is a malformed result, not a throw', async () => {
    const root = await ca('Root');
    const result = failure(
      await buildChain(new Uint8Array([0x30, 0x03, 1, 2]), { anchors: root.der }),
    );
    expect(result.reason).toBe('malformed');
  });

  test('a malformed presented intermediate is a malformed result', async () => {
    const { root, leaf } = await simpleChain();
    const result = failure(
      await buildChain(leaf.der, { anchors: root.der, intermediates: 'junk', at: NOW }),
    );
    expect(result.reason).toBe('malformed');
  });

  test.each([
    ['no options', () => undefined],
    ['no anchors', () => ({})],
    ['empty anchors', () => ({ anchors: [] })],
    ['an invalid date', (a: Uint8Array) => ({ anchors: a, at: new Date('nope') })],
    ['a negative maxDepth', (a: Uint8Array) => ({ anchors: a, maxDepth: -1 })],
    ['a fractional maxDepth', (a: Uint8Array) => ({ anchors: a, maxDepth: 1.5 })],
    ['an unknown purpose', (a: Uint8Array) => ({ anchors: a, extendedKeyUsage: 'clientauth' })],
    ['a negative budget', (a: Uint8Array) => ({ anchors: a, budget: { signatures: -1 } })],
  ])('bad options throw a TypeError: %s', async (_name, options) => {
    const root = await ca('Root');
    await expect(buildChain(root.der, options(root.der) as never)).rejects.toThrow(TypeError);
  });
});
