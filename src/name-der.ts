/** Reads an X.501 `Name` from DER into RDNs, decoding every string type X.520 allows. */

import { ownCopy } from './bytes.js';
import {
  asciiAt,
  charsAt,
  checkAscii,
  contentOf,
  DerError,
  DerReader,
  decodeOid,
  encodingOf,
  sameOctets,
  TAG,
  type Tlv,
} from './der.js';
import type { DNAttribute, RDN } from './rdn.js';

// ignoreBOM: a leading U+FEFF is part of the value. The decoder drops it by default, and a
// name such as U+FEFF + "admin" would then read as "admin".
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes `Name ::= SEQUENCE OF RelativeDistinguishedName` (the whole TLV) into RDNs in
 * encoding order, that is least specific first (C before CN). `formatDN` reverses them.
 */
export function decodeName(der: Uint8Array): RDN[] {
  const outer = new DerReader(der);
  const seq = outer.expect(TAG.SEQUENCE, 'Name');
  outer.done('Name');
  return decodeNameContents(der, seq.valueStart, seq.end);
}

/** `decodeName` of the contents `bytes[start, end)` of a Name SEQUENCE, without a view. */
export function decodeNameContents(bytes: Uint8Array, start: number, end: number): RDN[] {
  const rdns: DNAttribute[][] = [];
  eachAttribute(bytes, start, end, (type, value, rdn) => {
    // Every RDN holds an attribute (an empty one throws), so the indexes come in order.
    if (rdn === rdns.length) rdns.push([]);
    rdns[rdn]!.push(decodeAttributeValue(type, value));
  });
  return rdns;
}

/**
 * Throws the DerError `decodeNameContents` would throw for `bytes[start, end)`, and builds
 * nothing; returns where the most specific commonName's value TLV starts (as
 * `mostSpecificAttribute` picks it), or -1 without one. A leaf's subject is read by few
 * validations (a rule, name constraints), so the Certificate checks it at parse time, for the
 * same errors at the same time, and decodes it on first use: the RDN arrays, attribute objects
 * and strings were ~0.9 KB of each handshake's ~9 KB of garbage. The position costs the walk
 * one comparison per attribute and spares a rule reading `CN` a second walk (~0.2 µs, a
 * quarter of a typical rule). Only the common string checks (ASCII, ASCII-only UTF-8) are
 * written twice, and test/perf/name-check.test.ts holds them to the decode.
 */
export function checkNameContents(bytes: Uint8Array, start: number, end: number): number {
  let at = -1;
  let atRdn = -1;
  eachAttribute(bytes, start, end, (type, value, rdn) => {
    checkDirectoryString(value);
    if (type !== OID_COMMON_NAME || rdn === atRdn) return;
    atRdn = rdn;
    at = value.start;
  });
  return at;
}

/** commonName, the attribute whose position `checkNameContents` returns. */
export const OID_COMMON_NAME = '2.5.4.3';

/** The attribute of type `oid` whose value TLV starts at `bytes[at]` and ends by `end`. */
export function attributeValueAt(
  bytes: Uint8Array,
  at: number,
  end: number,
  oid: string,
): DNAttribute {
  const r = new DerReader(bytes, at, end);
  r.next();
  return decodeAttributeValue(oid, r);
}

/**
 * The value of the most specific attribute of type `oid` (dotted) in the Name whose DER is
 * `nameDer`, decoded as `decodeNameContents` would, or `undefined`. "Most specific" as a rule
 * reads it (`dnAttribute(name, oid)[0]`): the last RDN holding the type, the first such
 * attribute in it. A rule reading `CN` of a new leaf walks the DER once and decodes one value,
 * instead of decoding the whole subject. Throws DerError on a Name the decode refuses.
 */
export function mostSpecificAttribute(nameDer: Uint8Array, oid: string): DNAttribute | undefined {
  const outer = new DerReader(nameDer);
  outer.nextExpect(TAG.SEQUENCE, 'Name');
  outer.done('Name');
  let found: Tlv | undefined;
  let foundIn = -1;
  eachAttribute(nameDer, outer.valueStart, outer.end, (type, value, rdn) => {
    if (type !== oid || rdn === foundIn) return;
    foundIn = rdn;
    const { tag, start, valueStart, end, bytes } = value;
    found = { tag, start, valueStart, end, bytes };
  });
  return found && decodeAttributeValue(oid, found);
}

/**
 * The Name walk: calls `visit` with each AttributeTypeAndValue's type, its value (the reader,
 * standing on it) and the index of its RDN, in encoding order. Throws DerError on anything
 * `decodeNameContents` refuses, an empty RDN included.
 */
function eachAttribute(
  bytes: Uint8Array,
  start: number,
  end: number,
  visit: (type: string, value: Tlv, rdn: number) => void,
): void {
  const r = new DerReader(bytes, start, end);
  for (let rdn = 0; r.hasMore(); rdn++) {
    r.nextExpect(TAG.SET, 'RelativeDistinguishedName');
    const inRdn = r.enter();
    let count = 0;
    while (r.hasMore()) {
      r.nextExpect(TAG.SEQUENCE, 'AttributeTypeAndValue');
      const inAtv = r.enter();
      r.nextExpect(TAG.OID, 'attribute type');
      const type = decodeOid(r);
      r.next();
      // Leaving checks for trailing data and keeps the value's fields for the visit.
      r.leave(inAtv, 'AttributeTypeAndValue');
      visit(type, r, rdn);
      count++;
    }
    r.leave(inRdn, 'RelativeDistinguishedName');
    if (count === 0) throw new DerError('empty RelativeDistinguishedName');
  }
}

/**
 * Issuer names already decoded, by their DER contents. A server sees many leaves from few
 * issuing CAs, so the issuer Name of a new leaf has nearly always been decoded before, and
 * decoding one (three attributes: OIDs, strings, arrays) was a tenth of a leaf parse while
 * hashing and comparing its ~60 octets costs a fifth of that. The RDNs are shared between the
 * certificates that carry the name, deeply frozen (frozenName) and known as shared by
 * `isSharedName`, so that anything derived from them can be kept by their identity. Keyed by
 * a hash and confirmed against a copy of the octets; a collision only replaces the entry.
 * Bounded, because names come from untrusted input: when full it is emptied and refills with
 * whatever is common.
 */
const ISSUER_MEMO = new Map<number, { readonly octets: Uint8Array; readonly rdns: RDN[] }>();
const ISSUER_MEMO_MAX = 256;
/** Longer names are decoded without the memo. */
const ISSUER_MEMO_OCTETS = 512;

/** `decodeNameContents` for a name many certificates carry (an issuer), memoized. */
export function decodeIssuerNameContents(bytes: Uint8Array, start: number, end: number): RDN[] {
  if (end - start > ISSUER_MEMO_OCTETS) return frozenName(decodeNameContents(bytes, start, end));
  // FNV-1a over four octets a step: one multiply per octet made the hash half the lookup.
  let hash = 0x811c9dc5 ^ (end - start);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const word = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    hash = Math.imul(hash ^ word, 0x01000193);
  }
  for (; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  const known = ISSUER_MEMO.get(hash);
  if (known !== undefined && sameOctets(known.octets, bytes, start, end)) return known.rdns;
  const rdns = decodeNameContents(bytes, start, end); // throws before anything is remembered
  frozenName(rdns);
  // A name with a non-string value holds a view into this certificate's bytes, which another
  // certificate must not share, so it is not remembered.
  if (rdns.some((rdn) => rdn.some((attribute) => attribute.ber !== undefined))) return rdns;
  SHARED.add(rdns);
  if (ISSUER_MEMO.size >= ISSUER_MEMO_MAX) ISSUER_MEMO.clear();
  ISSUER_MEMO.set(hash, { octets: ownCopy(bytes, start, end), rdns });
  return rdns;
}

const SHARED = new WeakSet<readonly RDN[]>();

/**
 * `rdns` with its arrays and attributes frozen. A Certificate's names are read-only to its
 * users: an issuer's are shared between certificates, and normalized forms are cached by the
 * name's DER, so a name changed in place would change what other certificates and later
 * requests see.
 */
export function frozenName(rdns: RDN[]): RDN[] {
  for (const rdn of rdns) {
    for (const attribute of rdn) Object.freeze(attribute);
    Object.freeze(rdn);
  }
  return Object.freeze(rdns) as RDN[];
}

/**
 * Whether `rdns` came from the issuer memo: deeply frozen, and shared by every certificate
 * carrying that name, so anything derived from it alone can be kept by its identity.
 */
export function isSharedName(rdns: readonly RDN[]): boolean {
  return SHARED.has(rdns);
}

/** A string value becomes text; anything else keeps its BER for `#hex` output. */
export function decodeAttributeValue(type: string, value: Tlv): DNAttribute {
  const text = decodeDirectoryString(value);
  return text === undefined ? { type, value: '', ber: encodingOf(value) } : { type, value: text };
}

/** The text of an X.520 string type, or `undefined` for a non-string value. */
export function decodeDirectoryString(tlv: Tlv): string | undefined {
  const { bytes, valueStart, end } = tlv;
  switch (tlv.tag) {
    case TAG.UTF8_STRING:
      return decodeUtf8(bytes, valueStart, end);
    case TAG.PRINTABLE_STRING:
    case TAG.IA5_STRING:
    case TAG.VISIBLE_STRING:
    case 0x12: // NumericString
      return asciiAt(bytes, valueStart, end, 'an ASCII string type');
    case TAG.TELETEX_STRING:
      // T.61 in theory; in practice every issuer that uses it writes Latin-1, and OpenSSL,
      // Go and Java all read it so.
      return charsAt(bytes, valueStart, end);
    case TAG.BMP_STRING:
      return ucs(contentOf(tlv), 2);
    case TAG.UNIVERSAL_STRING:
      return ucs(contentOf(tlv), 4);
    default:
      return undefined;
  }
}

/**
 * Throws what `decodeDirectoryString(tlv)` throws, without building its text for the common
 * types (ASCII strings, ASCII-only UTF-8); the rest are decoded and the text dropped.
 */
export function checkDirectoryString(tlv: Tlv): void {
  const { bytes, valueStart, end } = tlv;
  switch (tlv.tag) {
    case TAG.UTF8_STRING:
      for (let i = valueStart; i < end; i++) {
        if (bytes[i]! > 0x7f) {
          decodeUtf8Slow(bytes, valueStart, end);
          return;
        }
      }
      return;
    case TAG.PRINTABLE_STRING:
    case TAG.IA5_STRING:
    case TAG.VISIBLE_STRING:
    case 0x12: // NumericString
      checkAscii(bytes, valueStart, end, 'an ASCII string type');
      return;
    case TAG.TELETEX_STRING:
      return; // every octet is a Latin-1 character
    default:
      decodeDirectoryString(tlv);
  }
}

/**
 * UTF8String content as text. Names are nearly always ASCII, and ASCII is its own UTF-8: for
 * those `charsAt` is about twice as fast as TextDecoder, whose fixed cost per call (~105 ns,
 * plus ~40 ns for the view it needs) dominates a string of a few characters. Anything else
 * goes to the fatal decoder, so invalid UTF-8 fails as it always did.
 */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  for (let i = start; i < end; i++) if (bytes[i]! > 0x7f) return decodeUtf8Slow(bytes, start, end);
  return charsAt(bytes, start, end);
}

/** The reference path: TextDecoder, fatal on invalid UTF-8. */
export function decodeUtf8Slow(bytes: Uint8Array, start: number, end: number): string {
  try {
    return utf8.decode(bytes.subarray(start, end));
  } catch {
    throw new DerError('UTF8String is not valid UTF-8');
  }
}

/** BMPString (UCS-2, big-endian) or UniversalString (UCS-4, big-endian). */
function ucs(v: Uint8Array, width: 2 | 4): string {
  if (v.length % width !== 0) throw new DerError(`string length not a multiple of ${width}`);
  let s = '';
  for (let i = 0; i < v.length; i += width) {
    const cp =
      width === 2
        ? (v[i]! << 8) | v[i + 1]!
        : ((v[i]! << 24) | (v[i + 1]! << 16) | (v[i + 2]! << 8) | v[i + 3]!) >>> 0;
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      throw new DerError('invalid code point in a BMPString or UniversalString');
    }
    s += String.fromCodePoint(cp);
  }
  return s;
}
