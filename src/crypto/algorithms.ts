/**
 * Signature algorithm identifiers (RFC 4055, RFC 5758, RFC 8410) → what a backend needs to
 * verify, and the key policy applied before any verification.
 */

import type { AlgorithmIdentifier } from '../certificate.js';
import { DerError, DerReader, decodeOid, decodeSmallInteger, encodingOf, TAG } from '../der.js';
import { OID } from '../oids.js';
import type { PublicKeyInfo } from '../public-key.js';

/** The hashes signatures may use (SHA-1 only when asked for, see `signatureScheme`). */
export type HashName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** A signature scheme, fully determined: key type, hash, padding. */
export type SignatureScheme =
  | { readonly kind: 'rsa-pkcs1'; readonly hash: HashName }
  | { readonly kind: 'rsa-pss'; readonly hash: HashName; readonly saltLength: number }
  | { readonly kind: 'ecdsa'; readonly hash: HashName }
  | { readonly kind: 'ed25519' }
  | { readonly kind: 'ed448' };

/** Why a signature could not even be attempted. */
export interface SchemeError {
  readonly reason: 'unsupported-algorithm' | 'weak-key' | 'bad-signature';
  readonly message: string;
}

const HASH_BY_OID: Readonly<Record<string, HashName>> = {
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
};

/** DER of NULL: the parameters RFC 4055 §5 puts in PKCS#1 v1.5 identifiers. */
const isNull = (p: Uint8Array) => p.length === 2 && p[0] === TAG.NULL && p[1] === 0;

/** Options of {@link signatureScheme}. */
export interface SchemeOptions {
  /** Accept SHA-1 with RSA PKCS#1 v1.5 and ECDSA (default false). */
  readonly allowSha1?: boolean;
}

/**
 * The scheme a certificate's signatureAlgorithm names. SHA-1 is refused as
 * 'unsupported-algorithm' unless `allowSha1` (for legacy private PKIs): collisions are
 * practical, and no public CA has issued SHA-1 certificates since 2016. Parameters are
 * checked: PKCS#1 v1.5 must carry NULL or nothing (RFC 4055 §5 says NULL; absent is common
 * enough that OpenSSL and Go accept it), ECDSA and EdDSA nothing (RFC 5758 §3.2, RFC 8410 §3).
 */
export function signatureScheme(
  alg: AlgorithmIdentifier,
  options: SchemeOptions = {},
): SignatureScheme | SchemeError {
  const p = alg.parameters;
  // The common identifiers answer from a table of shared schemes: this runs once per
  // signature, and building the answer below (closures, objects) cost ~0.6 µs of an RSA
  // verify's ~21. The switch stays the reference for everything else.
  const common =
    p === undefined
      ? WITHOUT_PARAMETERS.get(alg.oid)
      : isNull(p)
        ? WITH_NULL.get(alg.oid)
        : undefined;
  if (common) return common;
  const rsa = (hash: HashName): SignatureScheme | SchemeError =>
    p === undefined || isNull(p)
      ? { kind: 'rsa-pkcs1', hash }
      : unsupported(`${hash} with RSA: parameters must be NULL`);
  const ecdsa = (hash: HashName): SignatureScheme | SchemeError =>
    p === undefined
      ? { kind: 'ecdsa', hash }
      : unsupported(`ECDSA with ${hash}: parameters present`);
  switch (alg.oid) {
    case OID.sha256WithRSAEncryption:
      return rsa('SHA-256');
    case OID.sha384WithRSAEncryption:
      return rsa('SHA-384');
    case OID.sha512WithRSAEncryption:
      return rsa('SHA-512');
    case OID.rsassaPss:
      return p === undefined ? unsupported('RSASSA-PSS without parameters') : pssScheme(p);
    case OID.ecdsaWithSHA256:
      return ecdsa('SHA-256');
    case OID.ecdsaWithSHA384:
      return ecdsa('SHA-384');
    case OID.ecdsaWithSHA512:
      return ecdsa('SHA-512');
    case OID.ed25519:
      return p === undefined ? { kind: 'ed25519' } : unsupported('Ed25519 with parameters');
    case OID.ed448:
      return p === undefined ? { kind: 'ed448' } : unsupported('Ed448 with parameters');
    case OID.sha1WithRSAEncryption:
      return options.allowSha1 ? rsa('SHA-1') : unsupported('SHA-1 signatures are not accepted');
    case OID.ecdsaWithSHA1:
      return options.allowSha1 ? ecdsa('SHA-1') : unsupported('SHA-1 signatures are not accepted');
    default:
      return unsupported(`signature algorithm ${alg.oid} is not supported`);
  }
}

/** PKCS#1 v1.5 with SHA-2, whose parameters are NULL (RFC 4055 §5) or absent. */
const RSA_SHA2: readonly [string, SignatureScheme][] = [
  [OID.sha256WithRSAEncryption, { kind: 'rsa-pkcs1', hash: 'SHA-256' }],
  [OID.sha384WithRSAEncryption, { kind: 'rsa-pkcs1', hash: 'SHA-384' }],
  [OID.sha512WithRSAEncryption, { kind: 'rsa-pkcs1', hash: 'SHA-512' }],
];
const WITH_NULL: ReadonlyMap<string, SignatureScheme> = new Map(RSA_SHA2);

/** Identifiers without parameters: the same, and ECDSA and EdDSA (RFC 5758 §3.2, RFC 8410 §3). */
const WITHOUT_PARAMETERS: ReadonlyMap<string, SignatureScheme> = new Map([
  ...RSA_SHA2,
  [OID.ecdsaWithSHA256, { kind: 'ecdsa', hash: 'SHA-256' }],
  [OID.ecdsaWithSHA384, { kind: 'ecdsa', hash: 'SHA-384' }],
  [OID.ecdsaWithSHA512, { kind: 'ecdsa', hash: 'SHA-512' }],
  [OID.ed25519, { kind: 'ed25519' }],
  [OID.ed448, { kind: 'ed448' }],
]);
for (const s of WITHOUT_PARAMETERS.values()) Object.freeze(s);

/**
 * RSASSA-PSS-params (RFC 4055 §3.1): the hash and MGF1's hash must be the same SHA-2, the
 * trailer field 1. Defaults (SHA-1) are refused along with SHA-1 itself.
 */
function pssScheme(params: Uint8Array): SignatureScheme | SchemeError {
  try {
    const outer = new DerReader(params);
    const r = DerReader.inside(outer.expect(TAG.SEQUENCE, 'RSASSA-PSS-params'));
    outer.done('RSASSA-PSS-params');
    const hashTlv = r.optional(0xa0);
    const mgfTlv = r.optional(0xa1);
    const saltTlv = r.optional(0xa2);
    const trailerTlv = r.optional(0xa3);
    r.done('RSASSA-PSS-params');
    if (!hashTlv || !mgfTlv) return unsupported('RSASSA-PSS with the SHA-1 default');
    const hash = hashOf(explicitInner(hashTlv));
    const mgf = DerReader.inside(explicitInner(mgfTlv));
    if (decodeOid(mgf.expect(TAG.OID, 'maskGenAlgorithm')) !== OID.mgf1) {
      return unsupported('RSASSA-PSS with a mask generation function other than MGF1');
    }
    const mgfHash = hashOf(mgf.expect(TAG.SEQUENCE, 'MGF1 hash'));
    mgf.done('maskGenAlgorithm');
    if (!hash || !mgfHash) return unsupported('RSASSA-PSS with a hash other than SHA-2');
    if (hash !== mgfHash) return unsupported('RSASSA-PSS with different message and MGF1 hashes');
    const saltLength = saltTlv ? decodeSmallInteger(innerInteger(saltTlv)) : 20;
    if (trailerTlv && decodeSmallInteger(innerInteger(trailerTlv)) !== 1) {
      return unsupported('RSASSA-PSS trailer field must be 1');
    }
    return { kind: 'rsa-pss', hash, saltLength };
  } catch (error) {
    if (error instanceof DerError) return unsupported(`RSASSA-PSS parameters: ${error.message}`);
    throw error;
  }
}

function explicitInner(tlv: { tag: number } & Parameters<typeof DerReader.inside>[0]) {
  const r = DerReader.inside(tlv);
  const inner = r.read();
  r.done('explicit tag');
  return inner;
}

function innerInteger(tlv: Parameters<typeof DerReader.inside>[0]) {
  const inner = explicitInner(tlv);
  if (inner.tag !== TAG.INTEGER) throw new DerError('expected an INTEGER');
  return inner;
}

/** AlgorithmIdentifier of a hash: the OID, then NULL or nothing. */
function hashOf(tlv: Parameters<typeof DerReader.inside>[0]): HashName | undefined {
  const r = DerReader.inside(tlv);
  const oid = decodeOid(r.expect(TAG.OID, 'hash algorithm'));
  if (r.hasMore()) {
    const p = encodingOf(r.read());
    if (!isNull(p)) throw new DerError('hash parameters must be NULL');
  }
  r.done('hash AlgorithmIdentifier');
  return HASH_BY_OID[oid];
}

/** Smallest RSA modulus accepted, in bits (NIST SP 800-131A: 2048 since 2014). */
export const MIN_RSA_BITS = 2048;

/**
 * Whether `key` is strong enough to trust, whatever it signs. Refused as 'weak-key': RSA
 * under {@link MIN_RSA_BITS} bits or with a modulus that is not a whole number of octets (no
 * key generator makes one; webpki refuses them too), EC on any curve but P-256, P-384 and
 * P-521 (the curves TLS and the CA/Browser Forum allow: P-192, secp256k1 and explicit curve
 * parameters are refused), and DSA altogether. An algorithm we do not know is
 * 'unsupported-algorithm'.
 */
export function checkKeyStrength(key: PublicKeyInfo): SchemeError | undefined {
  switch (key.algorithm) {
    case 'RSA':
    case 'RSA-PSS':
      return key.bits < MIN_RSA_BITS || key.bits % 8 !== 0
        ? { reason: 'weak-key', message: `RSA key of ${key.bits} bits` }
        : undefined;
    case 'EC':
      return key.curve === 'P-256' || key.curve === 'P-384' || key.curve === 'P-521'
        ? undefined
        : {
            reason: 'weak-key',
            message: `EC key on curve ${key.curve ?? '(explicit parameters)'}`,
          };
    case 'Ed25519':
    case 'Ed448':
      return undefined;
    case 'DSA':
      return { reason: 'weak-key', message: 'DSA keys are not accepted' };
    default:
      return { reason: 'unsupported-algorithm', message: `public key algorithm ${key.oid}` };
  }
}

/**
 * Whether `key` may verify a `scheme` signature: strong enough ({@link checkKeyStrength}) and
 * of the type the scheme needs. A key that cannot have made the signature (an EC key for an
 * RSA signature, an RSASSA-PSS-only key for PKCS#1 v1.5) is 'bad-signature'.
 */
export function checkKey(key: PublicKeyInfo, scheme: SignatureScheme): SchemeError | undefined {
  const weak = checkKeyStrength(key);
  if (weak) return weak;
  const fits =
    key.algorithm === 'RSA'
      ? scheme.kind === 'rsa-pkcs1' || scheme.kind === 'rsa-pss'
      : key.algorithm === 'RSA-PSS'
        ? scheme.kind === 'rsa-pss'
        : key.algorithm === 'EC'
          ? scheme.kind === 'ecdsa'
          : key.algorithm === 'Ed25519'
            ? scheme.kind === 'ed25519'
            : scheme.kind === 'ed448';
  return fits ? undefined : mismatch(key, scheme);
}

function mismatch(key: PublicKeyInfo, scheme: SignatureScheme): SchemeError {
  return {
    reason: 'bad-signature',
    message: `a ${key.algorithm} key cannot verify a ${scheme.kind} signature`,
  };
}

function unsupported(message: string): SchemeError {
  return { reason: 'unsupported-algorithm', message };
}

/** Distinguishes the two halves of `signatureScheme`'s result. */
export function isSchemeError(value: SignatureScheme | SchemeError): value is SchemeError {
  return 'reason' in value;
}
