/**
 * WebCrypto backend, for runtimes without node:crypto. `importKey` binds the algorithm (and
 * for RSA the hash) to the key, so imported keys are cached per certificate and per
 * algorithm. ECDSA signatures arrive DER-encoded (RFC 5758 §3.2, Ecdsa-Sig-Value) while
 * WebCrypto wants the raw r‖s of fixed width: converted here, strictly.
 */

import type { Certificate } from '../certificate.js';
import { DerError, DerReader, integerBytes, TAG } from '../der.js';
import type { SignatureScheme } from './algorithms.js';
import type { CryptoBackend, VerifyResult } from './backend.js';

/** The WebCrypto subset used here (the DOM and Node typings name it differently). */
type Subtle = Pick<SubtleCrypto, 'importKey' | 'verify'>;

/** Creates a WebCrypto backend over `subtle` (default: `globalThis.crypto.subtle`). */
export function createWebCryptoBackend(subtle?: Subtle): CryptoBackend {
  const api = subtle ?? (globalThis.crypto?.subtle as Subtle | undefined);
  const keys = new WeakMap<Certificate, Map<string, Promise<CryptoKey | string>>>();

  const keyOf = (issuer: Certificate, scheme: SignatureScheme): Promise<CryptoKey | string> => {
    const params = importParams(issuer, scheme);
    const id = JSON.stringify(params);
    let perCert = keys.get(issuer);
    if (!perCert) {
      perCert = new Map();
      keys.set(issuer, perCert);
    }
    let key = perCert.get(id);
    if (!key) {
      if (!api) return Promise.resolve('WebCrypto is not available on this runtime');
      // Through a resolved promise so that a synchronous throw becomes a rejection too.
      key = Promise.resolve()
        .then(() =>
          api.importKey('spki', issuer.spki as Uint8Array<ArrayBuffer>, params, false, ['verify']),
        )
        .catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
      perCert.set(id, key);
    }
    return key;
  };

  return {
    name: 'webcrypto',
    async verify(issuer, scheme, data, signature): Promise<VerifyResult> {
      const key = await keyOf(issuer, scheme);
      if (typeof key === 'string') {
        return { reason: 'bad-signature', message: `issuer key rejected: ${key}` };
      }
      let sig = signature;
      if (scheme.kind === 'ecdsa') {
        const raw = ecdsaRaw(signature, fieldBytes(issuer));
        if (!raw) return { reason: 'bad-signature', message: 'malformed ECDSA signature' };
        sig = raw;
      }
      try {
        const ok = await api!.verify(
          verifyParams(scheme),
          key,
          sig as Uint8Array<ArrayBuffer>,
          data as Uint8Array<ArrayBuffer>,
        );
        return ok ? true : { reason: 'bad-signature', message: 'signature does not verify' };
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        return { reason: 'bad-signature', message: `signature does not verify (${text})` };
      }
    },
  };
}

function importParams(issuer: Certificate, scheme: SignatureScheme) {
  switch (scheme.kind) {
    case 'rsa-pkcs1':
      return { name: 'RSASSA-PKCS1-v1_5', hash: scheme.hash };
    case 'rsa-pss':
      return { name: 'RSA-PSS', hash: scheme.hash };
    case 'ecdsa':
      return { name: 'ECDSA', namedCurve: issuer.publicKey.curve ?? '' };
    case 'ed25519':
      return { name: 'Ed25519' };
    case 'ed448':
      return { name: 'Ed448' };
  }
}

function verifyParams(scheme: SignatureScheme) {
  switch (scheme.kind) {
    case 'rsa-pkcs1':
      return { name: 'RSASSA-PKCS1-v1_5' };
    case 'rsa-pss':
      return { name: 'RSA-PSS', saltLength: scheme.saltLength };
    case 'ecdsa':
      return { name: 'ECDSA', hash: scheme.hash };
    case 'ed25519':
      return { name: 'Ed25519' };
    case 'ed448':
      return { name: 'Ed448' };
  }
}

function fieldBytes(issuer: Certificate): number {
  return Math.ceil(issuer.publicKey.bits / 8);
}

/**
 * Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } → r‖s, each left-padded to the field
 * size. Strict DER (minimal integers, nothing trailing), positive values no wider than the
 * field: anything else is not a signature OpenSSL would accept either.
 */
export function ecdsaRaw(der: Uint8Array, size: number): Uint8Array | undefined {
  try {
    const outer = new DerReader(der);
    const r = DerReader.inside(outer.expect(TAG.SEQUENCE, 'Ecdsa-Sig-Value'));
    outer.done('Ecdsa-Sig-Value');
    const out = new Uint8Array(size * 2);
    for (let i = 0; i < 2; i++) {
      let v = integerBytes(r.read());
      if (v[0]! & 0x80) return undefined;
      if (v.length > 1 && v[0] === 0) v = v.subarray(1);
      if (v.length > size) return undefined;
      out.set(v, size * (i + 1) - v.length);
    }
    r.done('Ecdsa-Sig-Value');
    return out;
  } catch (error) {
    if (error instanceof DerError) return undefined;
    throw error;
  }
}

/** The WebCrypto backend over the runtime's `crypto.subtle`. */
export const webCryptoBackend: CryptoBackend = createWebCryptoBackend();
