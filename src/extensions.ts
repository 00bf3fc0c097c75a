/** The extensions a client-auth verifier enforces, decoded from their DER into plain values. */

import {
  bitStringUnusedBits,
  contentOf,
  DerError,
  DerReader,
  decodeBoolean,
  decodeOid,
  decodeSmallInteger,
  TAG,
  type Tlv,
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
  const r = new DerReader(value);
  r.nextExpect(TAG.SEQUENCE, 'basicConstraints');
  r.done('basicConstraints');
  r.enter();
  let ca = false;
  if (r.nextIf(TAG.BOOLEAN)) {
    ca = decodeBoolean(r);
    // DER forbids encoding a DEFAULT value; a cA FALSE spelled out is a BER-ism.
    if (!ca) throw new DerError('basicConstraints: cA FALSE must be omitted in DER');
  }
  const pathLength = r.nextIf(TAG.INTEGER) ? decodeSmallInteger(r) : undefined;
  r.done('basicConstraints');
  return { ca, pathLength };
}

export function decodeKeyUsage(value: Uint8Array): KeyUsage {
  const r = new DerReader(value);
  r.next();
  const unused = bitStringUnusedBits(r);
  r.done('keyUsage');
  const first = r.valueStart + 1;
  const end = r.end;
  // A named bit list in DER ends with its last set bit (X.690 §11.2.2).
  if (end > first && (value[end - 1]! & (1 << unused)) === 0) {
    throw new DerError('keyUsage has trailing zero bits (not DER)');
  }
  const bit = (i: number): boolean => {
    const at = first + (i >> 3);
    return at < end && (value[at]! & (0x80 >> (i & 7))) !== 0;
  };
  return {
    digitalSignature: bit(0),
    nonRepudiation: bit(1),
    keyEncipherment: bit(2),
    dataEncipherment: bit(3),
    keyAgreement: bit(4),
    keyCertSign: bit(5),
    cRLSign: bit(6),
    encipherOnly: bit(7),
    decipherOnly: bit(8),
  };
}

/** The EKU OIDs, in order. An empty SEQUENCE is malformed (SIZE (1..MAX)). */
export function decodeExtKeyUsage(value: Uint8Array): string[] {
  const r = new DerReader(value);
  r.nextExpect(TAG.SEQUENCE, 'extKeyUsage');
  r.done('extKeyUsage');
  r.enter();
  const oids: string[] = [];
  while (r.hasMore()) {
    r.next();
    oids.push(decodeOid(r));
  }
  if (oids.length === 0) throw new DerError('extKeyUsage: empty');
  return oids;
}

export function decodeSubjectKeyIdentifier(value: Uint8Array): Uint8Array {
  const r = new DerReader(value);
  r.nextExpect(TAG.OCTET_STRING, 'subjectKeyIdentifier');
  r.done('subjectKeyIdentifier');
  return contentOf(r);
}

export function decodeAuthorityKeyIdentifier(value: Uint8Array): AuthorityKeyIdentifier {
  const r = new DerReader(value);
  r.nextExpect(TAG.SEQUENCE, 'authorityKeyIdentifier');
  r.done('authorityKeyIdentifier');
  r.enter();
  const keyIdentifier = r.nextIf(0x80) ? contentOf(r) : undefined;
  // GeneralNames under an IMPLICIT tag: decoded as the SEQUENCE it stands for, after the
  // whole extension has been checked.
  const issuer: Tlv | undefined = r.nextIf(0xa1)
    ? { tag: 0x30, start: r.start, valueStart: r.valueStart, end: r.end, bytes: value }
    : undefined;
  const authorityCertSerialNumber = r.nextIf(0x82) ? contentOf(r) : undefined;
  r.done('authorityKeyIdentifier');
  return {
    keyIdentifier,
    authorityCertIssuer: issuer ? decodeGeneralNames(issuer, 'authorityCertIssuer') : undefined,
    authorityCertSerialNumber,
  };
}

export function decodeSubjectAltName(value: Uint8Array): GeneralName[] {
  const r = new DerReader(value);
  r.next();
  const names = decodeGeneralNames(r, 'subjectAltName');
  r.done('subjectAltName');
  if (names.length === 0) throw new DerError('subjectAltName: empty');
  for (const name of names) {
    // RFC 5280 §4.2.1.6: an address, 4 or 16 octets. The 8 and 32 of an address range belong
    // to nameConstraints; in a SAN they would print as a range a rule could match.
    if (name.kind === 'ip' && name.bytes.length !== 4 && name.bytes.length !== 16) {
      throw new DerError(`subjectAltName: iPAddress of ${name.bytes.length} octets`);
    }
  }
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
