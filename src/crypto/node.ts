/**
 * node:crypto backend: a KeyObject made once per issuer certificate (createPublicKey costs
 * more than a P-256 verify on Node 20) and one-shot `crypto.verify`, which runs synchronously.
 */

import { constants, createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { Certificate } from '../certificate.js';
import type { SignatureScheme } from './algorithms.js';
import type { CryptoBackend, VerifyResult } from './backend.js';

type Prepared = KeyObject | { readonly failed: string };

/** Creates a node:crypto backend with its own key cache. */
export function createNodeBackend(): CryptoBackend {
  const keys = new WeakMap<Certificate, Prepared>();

  const keyOf = (issuer: Certificate): Prepared => {
    let key = keys.get(issuer);
    if (key === undefined) {
      try {
        key = createPublicKey({ key: Buffer.from(issuer.spki), format: 'der', type: 'spki' });
      } catch (error) {
        key = { failed: error instanceof Error ? error.message : String(error) };
      }
      keys.set(issuer, key);
    }
    return key;
  };

  return {
    name: 'node',
    verify(issuer, scheme, data, signature): VerifyResult {
      const key = keyOf(issuer);
      if ('failed' in key) {
        return { reason: 'bad-signature', message: `issuer key rejected: ${key.failed}` };
      }
      try {
        return verify(hashOf(scheme), data, options(key, scheme), signature)
          ? true
          : { reason: 'bad-signature', message: 'signature does not verify' };
      } catch (error) {
        // OpenSSL refuses some inputs outright (a malformed ECDSA signature, Ed448 missing
        // from the build); none of them is a valid signature.
        const text = error instanceof Error ? error.message : String(error);
        return { reason: 'bad-signature', message: `signature does not verify (${text})` };
      }
    },
  };
}

function hashOf(scheme: SignatureScheme): string | null {
  switch (scheme.kind) {
    case 'ed25519':
    case 'ed448':
      return null;
    default:
      return scheme.hash.replace('-', '').toLowerCase();
  }
}

function options(key: KeyObject, scheme: SignatureScheme) {
  switch (scheme.kind) {
    case 'rsa-pss':
      return {
        key,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: scheme.saltLength,
      };
    case 'rsa-pkcs1':
      return { key, padding: constants.RSA_PKCS1_PADDING };
    default:
      return key;
  }
}

/** The default backend of `buildChain` on Node. */
export const nodeBackend: CryptoBackend = createNodeBackend();
