/**
 * The narrow interface the chain builder verifies signatures through. Two implementations:
 * `node.ts` (node:crypto, synchronous and the fastest on Node) and `webcrypto.ts` (for
 * runtimes with only `crypto.subtle`). Both cache their prepared keys per Certificate object
 * in a WeakMap, so a key lives exactly as long as the certificate that holds it.
 */

import type { Certificate } from '../certificate.js';
import {
  checkKey,
  isSchemeError,
  type SchemeError,
  type SchemeOptions,
  type SignatureScheme,
  signatureScheme,
} from './algorithms.js';

/** `true` when the signature verifies; otherwise why not. */
export type VerifyResult = true | SchemeError;

/** Verifies one signature with an issuer certificate's public key. */
export interface CryptoBackend {
  /** For messages and tests: `node` or `webcrypto`. */
  readonly name: string;
  /**
   * `true` when `verify` never returns a promise (node:crypto). The verifier then reads a
   * request's DER in place: no other code can run, and change the caller's buffer, between
   * the parse and the verdict. Otherwise it copies the bytes first.
   */
  readonly synchronous?: boolean;
  /**
   * Verifies `signature` over `data` with `issuer`'s key under `scheme`. The key has passed
   * {@link checkKey} already. Never throws: a key the platform cannot import is reported as a
   * {@link SchemeError}.
   */
  verify(
    issuer: Certificate,
    scheme: SignatureScheme,
    data: Uint8Array,
    signature: Uint8Array,
  ): VerifyResult | Promise<VerifyResult>;
}

/**
 * Checks that `issuer`'s key signed `subject`: algorithm, key policy, then the signature. The
 * result is synchronous when the backend is.
 */
export function verifyIssued(
  backend: CryptoBackend,
  subject: Certificate,
  issuer: Certificate,
  options: SchemeOptions = {},
): VerifyResult | Promise<VerifyResult> {
  const scheme = signatureScheme(subject.signatureAlgorithm, options);
  if (isSchemeError(scheme)) return scheme;
  let key: Certificate['publicKey'];
  try {
    key = issuer.publicKey;
  } catch {
    return { reason: 'bad-signature', message: 'the issuer public key is not well-formed' };
  }
  const refused = checkKey(key, scheme);
  if (refused) return refused;
  return backend.verify(issuer, scheme, subject.tbs, subject.signature);
}
