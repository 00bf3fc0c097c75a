/** What a SubjectPublicKeyInfo holds: algorithm, curve and size, read from its DER. */

import { DerReader, decodeBitString, decodeOid, encodingOf, integerBytes, TAG } from './der.js';
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
  const outer = new DerReader(spki);
  const r = DerReader.inside(outer.expect(TAG.SEQUENCE, 'SubjectPublicKeyInfo'));
  outer.done('SubjectPublicKeyInfo');
  const alg = DerReader.inside(r.expect(TAG.SEQUENCE, 'AlgorithmIdentifier'));
  const oid = decodeOid(alg.expect(TAG.OID, 'algorithm'));
  const paramsTlv = alg.hasMore() ? alg.read() : undefined;
  alg.done('AlgorithmIdentifier');
  const { data: key } = decodeBitString(r.read());
  r.done('SubjectPublicKeyInfo');
  const parameters = paramsTlv ? encodingOf(paramsTlv) : undefined;
  switch (oid) {
    case OID.rsaEncryption:
    case OID.rsassaPss:
      return {
        algorithm: oid === OID.rsaEncryption ? 'RSA' : 'RSA-PSS',
        oid,
        curve: undefined,
        bits: rsaModulusBits(key),
        parameters,
        key,
      };
    case OID.ecPublicKey: {
      const curveOid = paramsTlv?.tag === TAG.OID ? decodeOid(paramsTlv) : undefined;
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

/** Bit length of the modulus of an RSAPublicKey ::= SEQUENCE { modulus, publicExponent }. */
function rsaModulusBits(key: Uint8Array): number {
  const r = DerReader.inside(new DerReader(key).expect(TAG.SEQUENCE, 'RSAPublicKey'));
  const n = integerBytes(r.read());
  let i = 0;
  while (i < n.length - 1 && n[i] === 0) i++;
  const top = n[i]!;
  return (n.length - i - 1) * 8 + (top === 0 ? 0 : 32 - Math.clz32(top));
}
