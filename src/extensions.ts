/** The extensions a client-auth verifier enforces, decoded from their DER into plain values. */

import {
  contentOf,
  DerError,
  DerReader,
  decodeBitString,
  decodeBoolean,
  decodeOid,
  decodeSmallInteger,
  TAG,
} from './der.js';
import { decodeGeneralName, decodeGeneralNames, type GeneralName } from './general-name.js';

/** One extension as it stands in the certificate; `value` is the extnValue octets. */
export interface Extension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
}

export interface BasicConstraints {
  readonly ca: boolean;
  /** `undefined` when absent: no limit. */
  readonly pathLength: number | undefined;
}

/** keyUsage bits by name (RFC 5280 §4.2.1.3). */
export interface KeyUsage {
  readonly digitalSignature: boolean;
  readonly nonRepudiation: boolean;
  readonly keyEncipherment: boolean;
  readonly dataEncipherment: boolean;
  readonly keyAgreement: boolean;
  readonly keyCertSign: boolean;
  readonly cRLSign: boolean;
  readonly encipherOnly: boolean;
  readonly decipherOnly: boolean;
}

const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

export interface AuthorityKeyIdentifier {
  readonly keyIdentifier: Uint8Array | undefined;
  readonly authorityCertIssuer: GeneralName[] | undefined;
  readonly authorityCertSerialNumber: Uint8Array | undefined;
}

export interface GeneralSubtree {
  readonly base: GeneralName;
  readonly minimum: number;
  readonly maximum: number | undefined;
}

export interface NameConstraints {
  readonly permitted: readonly GeneralSubtree[] | undefined;
  readonly excluded: readonly GeneralSubtree[] | undefined;
}

export function decodeBasicConstraints(value: Uint8Array): BasicConstraints {
  const outer = new DerReader(value);
  const seq = outer.expect(TAG.SEQUENCE, 'basicConstraints');
  outer.done('basicConstraints');
  const r = DerReader.inside(seq);
  let ca = false;
  const caTlv = r.optional(TAG.BOOLEAN);
  if (caTlv) {
    ca = decodeBoolean(caTlv);
    // DER forbids encoding a DEFAULT value; a cA FALSE spelled out is a BER-ism.
    if (!ca) throw new DerError('basicConstraints: cA FALSE must be omitted in DER');
  }
  const lenTlv = r.optional(TAG.INTEGER);
  const pathLength = lenTlv ? decodeSmallInteger(lenTlv) : undefined;
  r.done('basicConstraints');
  return { ca, pathLength };
}

export function decodeKeyUsage(value: Uint8Array): KeyUsage {
  const r = new DerReader(value);
  const { data } = decodeBitString(r.read());
  r.done('keyUsage');
  const bits: Record<string, boolean> = {};
  KEY_USAGE_BITS.forEach((name, i) => {
    bits[name] = ((data[i >> 3] ?? 0) & (0x80 >> (i & 7))) !== 0;
  });
  return bits as unknown as KeyUsage;
}

/** The EKU OIDs, in order. An empty SEQUENCE is malformed (SIZE (1..MAX)). */
export function decodeExtKeyUsage(value: Uint8Array): string[] {
  const outer = new DerReader(value);
  const seq = outer.expect(TAG.SEQUENCE, 'extKeyUsage');
  outer.done('extKeyUsage');
  const r = DerReader.inside(seq);
  const oids: string[] = [];
  while (r.hasMore()) oids.push(decodeOid(r.read()));
  if (oids.length === 0) throw new DerError('extKeyUsage: empty');
  return oids;
}

export function decodeSubjectKeyIdentifier(value: Uint8Array): Uint8Array {
  const r = new DerReader(value);
  const id = contentOf(r.expect(TAG.OCTET_STRING, 'subjectKeyIdentifier'));
  r.done('subjectKeyIdentifier');
  return id;
}

export function decodeAuthorityKeyIdentifier(value: Uint8Array): AuthorityKeyIdentifier {
  const outer = new DerReader(value);
  const seq = outer.expect(TAG.SEQUENCE, 'authorityKeyIdentifier');
  outer.done('authorityKeyIdentifier');
  const r = DerReader.inside(seq);
  const keyId = r.optional(0x80);
  const issuer = r.optional(0xa1);
  const serial = r.optional(0x82);
  r.done('authorityKeyIdentifier');
  return {
    keyIdentifier: keyId ? contentOf(keyId) : undefined,
    authorityCertIssuer: issuer
      ? decodeGeneralNames({ ...issuer, tag: 0x30 }, 'authorityCertIssuer')
      : undefined,
    authorityCertSerialNumber: serial ? contentOf(serial) : undefined,
  };
}

export function decodeSubjectAltName(value: Uint8Array): GeneralName[] {
  const r = new DerReader(value);
  const names = decodeGeneralNames(r.read(), 'subjectAltName');
  r.done('subjectAltName');
  if (names.length === 0) throw new DerError('subjectAltName: empty');
  return names;
}

export function decodeNameConstraints(value: Uint8Array): NameConstraints {
  const outer = new DerReader(value);
  const seq = outer.expect(TAG.SEQUENCE, 'nameConstraints');
  outer.done('nameConstraints');
  const r = DerReader.inside(seq);
  const permitted = r.optional(0xa0);
  const excluded = r.optional(0xa1);
  r.done('nameConstraints');
  return {
    permitted: permitted ? decodeSubtrees(DerReader.inside(permitted)) : undefined,
    excluded: excluded ? decodeSubtrees(DerReader.inside(excluded)) : undefined,
  };
}

function decodeSubtrees(r: DerReader): GeneralSubtree[] {
  const out: GeneralSubtree[] = [];
  while (r.hasMore()) {
    const sub = DerReader.inside(r.expect(TAG.SEQUENCE, 'GeneralSubtree'));
    const base = decodeGeneralName(sub.read());
    const min = sub.optional(0x80);
    const max = sub.optional(0x81);
    sub.done('GeneralSubtree');
    out.push({
      base,
      minimum: min ? decodeSmallInteger({ ...min, tag: TAG.INTEGER }) : 0,
      maximum: max ? decodeSmallInteger({ ...max, tag: TAG.INTEGER }) : undefined,
    });
  }
  if (out.length === 0) throw new DerError('nameConstraints: empty GeneralSubtrees');
  return out;
}
