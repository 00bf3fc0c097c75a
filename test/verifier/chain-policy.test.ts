import { describe, expect, it } from 'vitest';
import {
  createVerifier,
  MtlsErrorCode,
  TrustStore,
  type Verdict,
  type VerifierChainOptions,
  VerifierConfigError,
} from '../../src/index.js';
import { ca, endEntity, NOW, simpleChain, x509 } from '../fixtures/pki.js';

const pki = await simpleChain();
const noAki = await endEntity('no-aki-client', { issuer: pki.intermediate, noKeyIds: true });
const caLeaf = await ca('ca-as-client', {
  issuer: pki.intermediate,
  keyUsage: x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign,
});

function verifierWith(chain?: VerifierChainOptions) {
  const trustStore = new TrustStore();
  trustStore.addBundle('main', pki.root.pem);
  return createVerifier({
    trustStore,
    clients: { acme: { bundles: ['main'] } },
    ...(chain ? { chain } : {}),
  });
}

async function verdictFor(chain: VerifierChainOptions | undefined, leaf: Uint8Array) {
  return verifierWith(chain).verify({
    clientId: 'acme',
    certificate: leaf,
    intermediates: [pki.intermediate.der],
    at: NOW,
  });
}

function reasonOf(verdict: Verdict): string | undefined {
  return verdict.ok ? undefined : verdict.reason;
}

describe('createVerifier: chain policy', () => {
  it('asks the leaf for clientAuth by default and for the purpose configured', async () => {
    expect((await verdictFor(undefined, pki.leaf.der)).ok).toBe(true);
    const asServer = await verdictFor({ extendedKeyUsage: 'serverAuth' }, pki.leaf.der);
    expect(reasonOf(asServer)).toBe('extended-key-usage');
    expect((await verdictFor({ extendedKeyUsage: null }, pki.leaf.der)).ok).toBe(true);
  });

  it('refuses a leaf without an authority key identifier unless strict is off', async () => {
    const strict = await verdictFor(undefined, noAki.der);
    expect(strict.ok).toBe(false);
    expect(!strict.ok && strict.code).toBe(MtlsErrorCode.CertificateInvalid);
    expect((await verdictFor({ strict: false }, noAki.der)).ok).toBe(true);
  });

  it('refuses a CA certificate as the client unless allowCaLeaf is set', async () => {
    expect(reasonOf(await verdictFor(undefined, caLeaf.der))).toBe('not-ca');
    expect((await verdictFor({ allowCaLeaf: true, extendedKeyUsage: null }, caLeaf.der)).ok).toBe(
      true,
    );
  });

  it.each([
    ['an unknown purpose', { extendedKeyUsage: 'teleportation' }],
    ['a negative depth', { maxDepth: -1 }],
    ['a fractional budget', { budget: { signatures: 1.5 } }],
  ])('rejects %s when the verifier is created', (_name, chain) => {
    expect(() => verifierWith(chain as VerifierChainOptions)).toThrow(VerifierConfigError);
  });
});
