/** What a SubjectPublicKeyInfo holds: algorithm, curve and size, read from its DER. */

import {
  bitStringUnusedBits,
  checkInteger,
  DerError,
  DerReader,
  decodeOid,
  encodingOf,
  TAG,
  type Tlv,
} from './der.js';
import { OID } from './oids.js';

export type KeyAlgorithm = 'RSA' | 'RSA-PSS' | 'EC' | 'Ed25519' | 'Ed448' | 'DSA' | 'unknown';

export interface PublicKeyInfo {
  readonly algorithm: KeyAlgorithm;
  /** The algorithm OID as written. */
  readonly oid: string;
  /** For EC keys, the named curve (`P-256`, `P-384`, `P-521`, `secp256k1`) or its OID. */
  readonly curve: string | undefined;
  /** Modulus size for RSA, field size for EC and EdDSA; 0 when unknown. */
  readonly bits: number;
  /** The encoding of the AlgorithmIdentifier parameters, if present. */
  readonly parameters: Uint8Array | undefined;
  /** The subjectPublicKey BIT STRING content. */
  readonly key: Uint8Array;
}

const CURVES: Record<string, { name: string; bits: number }> = {
  [OID.p256]: { name: 'P-256', bits: 256 },
  [OID.p384]: { name: 'P-384', bits: 384 },
  [OID.p521]: { name: 'P-521', bits: 521 },
  [OID.secp256k1]: { name: 'secp256k1', bits: 256 },
};

/** Reads a SubjectPublicKeyInfo (the whole TLV). Throws DerError on bad encoding. */
export function readPublicKeyInfo(spki: Uint8Array): PublicKeyInfo {
  const r = new DerReader(spki);
  r.nextExpect(TAG.SEQUENCE, 'SubjectPublicKeyInfo');
  r.done('SubjectPublicKeyInfo');
  return readPublicKeyInfoContents(r);
}

/** `readPublicKeyInfo` of the SEQUENCE `r` has just read; leaves `r` after it. */
export function readPublicKeyInfoContents(r: DerReader): PublicKeyInfo {
  const bytes = r.bytes;
  const outer = r.enter();
  r.nextExpect(TAG.SEQUENCE, 'AlgorithmIdentifier');
  const inAlg = r.enter();
  r.nextExpect(TAG.OID, 'algorithm');
  const oid = decodeOid(r);
  let parameters: Uint8Array | undefined;
  let namedCurve: Tlv | undefined;
  if (r.hasMore()) {
    r.next();
    parameters = encodingOf(r);
    // Decoded (for EC) only once the whole SPKI has been checked, as it always was.
    if (r.tag === TAG.OID) {
      namedCurve = { tag: r.tag, start: r.start, valueStart: r.valueStart, end: r.end, bytes };
    }
  }
  r.leave(inAlg, 'AlgorithmIdentifier');
  r.next();
  // Every key this reads is whole octets; a DER key with unused bits is not one of them.
  if (bitStringUnusedBits(r) !== 0) throw new DerError('subjectPublicKey has unused bits');
  const keyStart = r.valueStart + 1;
  const keyEnd = r.end;
  r.leave(outer, 'SubjectPublicKeyInfo');
  const key = bytes.subarray(keyStart, keyEnd);
  switch (oid) {
    case OID.rsaEncryption:
    case OID.rsassaPss:
      return {
        algorithm: oid === OID.rsaEncryption ? 'RSA' : 'RSA-PSS',
        oid,
        curve: undefined,
        bits: rsaModulusBits(bytes, keyStart, keyEnd),
        parameters,
        key,
      };
    case OID.ecPublicKey: {
      const curveOid = namedCurve ? decodeOid(namedCurve) : undefined;
      const curve = curveOid ? CURVES[curveOid] : undefined;
      return {
        algorithm: 'EC',
        oid,
        curve: curve?.name ?? curveOid,
        bits: curve?.bits ?? 0,
        parameters,
        key,
      };
    }
    case OID.ed25519:
      return { algorithm: 'Ed25519', oid, curve: undefined, bits: 256, parameters, key };
    case OID.ed448:
      return { algorithm: 'Ed448', oid, curve: undefined, bits: 456, parameters, key };
    case OID.dsa:
      return { algorithm: 'DSA', oid, curve: undefined, bits: 0, parameters, key };
    default:
      return { algorithm: 'unknown', oid, curve: undefined, bits: 0, parameters, key };
  }
}

/**
 * Bit length of the modulus of the RSAPublicKey ::= SEQUENCE { modulus, publicExponent } in
 * `bytes[start, end)`, which must hold that SEQUENCE and nothing else.
 */
function rsaModulusBits(bytes: Uint8Array, start: number, end: number): number {
  const r = new DerReader(bytes, start, end);
  r.nextExpect(TAG.SEQUENCE, 'RSAPublicKey');
  r.done('RSAPublicKey');
  const inKey = r.enter();
  r.next();
  checkInteger(r);
  let i = r.valueStart;
  while (i < r.end - 1 && bytes[i] === 0) i++;
  const top = bytes[i]!;
  const bits = (r.end - i - 1) * 8 + (top === 0 ? 0 : 32 - Math.clz32(top));
  r.next();
  checkInteger(r); // publicExponent
  r.leave(inKey, 'RSAPublicKey');
  return bits;
}
