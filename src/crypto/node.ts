/**
 * node:crypto backend: a KeyObject made once per issuer certificate and one-shot
 * `crypto.verify`, which runs synchronously.
 *
 * Keys are imported from JWK built out of the already-parsed SubjectPublicKeyInfo where JWK
 * can say the same thing (RSA with rsaEncryption, EC on the NIST curves with an uncompressed
 * point, Ed25519, Ed448), and from the DER otherwise. Why: on Node 20 with OpenSSL 3, a DER
 * SPKI goes through OpenSSL's generic decoder, which costs ~200 µs for RSA-2048 and Ed25519
 * and ~250 µs for P-256 on the reference machine — ten times an RSA verify — while the JWK
 * path builds the key from its numbers directly: ~5 µs for RSA-2048 and Ed25519, ~100 µs for
 * P-256 (its point is still checked to be on the curve). A new intermediate costs one key
 * import, so this is most of the "everything new" figure. Both paths give equal keys
 * (test/perf/key-import.test.ts); anything unusual takes the DER path, which stays the
 * reference.
 */

import { constants, createPublicKey, type JsonWebKey, type KeyObject, verify } from 'node:crypto';
import type { Certificate } from '../certificate.js';
import { DerError, DerReader, integerBytes, TAG } from '../der.js';
import { OID } from '../oids.js';
import type { PublicKeyInfo } from '../public-key.js';
import type { HashName, SignatureScheme } from './algorithms.js';
import type { CryptoBackend, VerifyResult } from './backend.js';

/** A prepared key, or why the platform refused it. */
export type Prepared = KeyObject | { readonly failed: string };

/** Creates a node:crypto backend with its own key cache. */
export function createNodeBackend(): CryptoBackend {
  const keys = new WeakMap<Certificate, Prepared>();

  const keyOf = (issuer: Certificate): Prepared => {
    let key = keys.get(issuer);
    if (key === undefined) {
      key = importKey(issuer);
      keys.set(issuer, key);
    }
    return key;
  };

  return {
    name: 'node',
    synchronous: true,
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

/** The issuer's key as a KeyObject: through JWK when it can say the same, else from DER. */
export function importKey(issuer: Certificate): Prepared {
  let jwk: JsonWebKey | undefined;
  try {
    jwk = jwkOf(issuer.publicKey);
  } catch {
    jwk = undefined; // a malformed key: let the DER path give OpenSSL's own answer
  }
  if (jwk) {
    try {
      return createPublicKey({ key: jwk, format: 'jwk' });
    } catch {
      // Fall through: the DER path decides, so an odd key is judged exactly as before.
    }
  }
  try {
    return createPublicKey({ key: Buffer.from(issuer.spki), format: 'der', type: 'spki' });
  } catch (error) {
    return { failed: error instanceof Error ? error.message : String(error) };
  }
}

const b64url = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');

const NULL_PARAMS = (p: Uint8Array | undefined) =>
  p === undefined || (p.length === 2 && p[0] === TAG.NULL && p[1] === 0);

const EC_FIELD_BYTES: Readonly<Record<string, number>> = { 'P-256': 32, 'P-384': 48, 'P-521': 66 };

/**
 * The JWK for a SubjectPublicKeyInfo when JWK expresses exactly that key, else `undefined`.
 * RSASSA-PSS keys (which carry restrictions JWK cannot), compressed or hybrid EC points and
 * other curves are left to the DER path. Throws DerError on a malformed RSAPublicKey.
 */
export function jwkOf(info: PublicKeyInfo): JsonWebKey | undefined {
  switch (info.algorithm) {
    case 'RSA': {
      if (info.oid !== OID.rsaEncryption || !NULL_PARAMS(info.parameters)) return undefined;
      const outer = new DerReader(info.key);
      const r = DerReader.inside(outer.expect(TAG.SEQUENCE, 'RSAPublicKey'));
      outer.done('RSAPublicKey');
      const n = integerBytes(r.read());
      const e = integerBytes(r.read());
      r.done('RSAPublicKey');
      if (n[0]! & 0x80 || e[0]! & 0x80) throw new DerError('negative RSA modulus or exponent');
      // JWK wants the unsigned big-endian value: drop DER's sign octet.
      const strip = (v: Uint8Array) => (v.length > 1 && v[0] === 0 ? v.subarray(1) : v);
      return { kty: 'RSA', n: b64url(strip(n)), e: b64url(strip(e)) };
    }
    case 'EC': {
      const size = info.curve ? EC_FIELD_BYTES[info.curve] : undefined;
      const k = info.key;
      if (!size || k.length !== 1 + 2 * size || k[0] !== 0x04) return undefined;
      return {
        kty: 'EC',
        crv: info.curve,
        x: b64url(k.subarray(1, 1 + size)),
        y: b64url(k.subarray(1 + size)),
      };
    }
    case 'Ed25519':
      if (info.parameters !== undefined || info.key.length !== 32) return undefined;
      return { kty: 'OKP', crv: 'Ed25519', x: b64url(info.key) };
    case 'Ed448':
      if (info.parameters !== undefined || info.key.length !== 57) return undefined;
      return { kty: 'OKP', crv: 'Ed448', x: b64url(info.key) };
    default:
      return undefined;
  }
}

function hashOf(scheme: SignatureScheme): string | null {
  switch (scheme.kind) {
    case 'ed25519':
    case 'ed448':
      return null;
    default:
      return NODE_HASH[scheme.hash];
  }
}

/** node:crypto's names for the hashes (a lookup, not a string rebuilt per signature). */
const NODE_HASH: Readonly<Record<HashName, string>> = {
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

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
