/**
 * Distinguished names: `parseDN`, `formatDN`, `normalizeDN`, `dnEquals`, `dnAttribute`.
 *
 * Order convention, everywhere in mtls-gate: an `RDN[]` is in ENCODING order, least specific
 * first (`C` before `CN`), as the DER `Name` lists them and `decodeName` returns them. RFC
 * 4514 strings print the reverse, most specific first (`CN=RootCA,O=Org,C=US`); OpenSSL's
 * slash form (`/C=US/O=Org/CN=RootCA`) and Node's newline form list encoding order. So
 * `parseDN` of all three spellings of one name returns the same array, and
 * `formatDN(parseDN(s))` gives back the RFC 4514 spelling.
 */

import { DerError, DerReader } from './der.js';
import { attributeByOid, attributeName, matchRule, resolveAttributeType } from './dn-attributes.js';
import { DNSyntaxError } from './dn-error.js';
import { escapeValue, hexUpper } from './dn-escape.js';
import { type DNForm, parseDNString } from './dn-parse.js';
import { prepareValue } from './dn-prep.js';
import { decodeDirectoryString, decodeName, mostSpecificAttribute } from './name-der.js';
import type { DNAttribute, RDN } from './rdn.js';

export { DNSyntaxError } from './dn-error.js';
export type { DNForm } from './dn-parse.js';
export type { DNAttribute, RDN } from './rdn.js';

/** Anything that names a DN: a string in any accepted spelling, RDNs, or the DER of a Name. */
export type DNInput = string | readonly RDN[] | Uint8Array;

/**
 * Parses a DN string into RDNs in encoding order (least specific first).
 *
 * Accepts RFC 4514 (escapes, `#hex` values, `+` multi-valued RDNs, types by short name in
 * any case or as dotted OIDs, spaces around separators, `;` between RDNs and quoted values as
 * RFC 2253 readers do), OpenSSL's slash form (a string starting with `/`) and Node's newline
 * form (a line break before the last line; final line breaks are ignored). `form` forces one.
 *
 * @throws {DNSyntaxError} with the position of the first error.
 */
export function parseDN(dn: string, form?: DNForm): RDN[] {
  if (typeof dn !== 'string') throw new DNSyntaxError('a DN must be a string', 0);
  return parseDNString(dn, form);
}

/**
 * Formats RDNs (encoding order, least specific first) as an RFC 4514 string, most specific
 * first: `CN=RootCA,O=Org,C=US`. Types print as the short names of the attribute table
 * (dotted OIDs otherwise); a value kept as BER (`ber` set) prints as `#` + upper-case hex.
 * Cheap enough for every request: one pass, no normalization.
 */
export function formatDN(rdns: readonly RDN[]): string {
  let out = '';
  for (let i = rdns.length - 1; i >= 0; i--) {
    const rdn = rdns[i]!;
    if (i !== rdns.length - 1) out += ',';
    for (let j = 0; j < rdn.length; j++) {
      const a = rdn[j]!;
      if (j > 0) out += '+';
      out += attributeName(a.type);
      out += '=';
      out += a.ber !== undefined ? `#${hexUpper(a.ber)}` : escapeValue(a.value);
    }
  }
  return out;
}

// normalizeDN runs on every request for rules that compare DNs; the same few strings recur
// (the rule's literal, the client's subject), so a small bounded memo turns the repeat cost
// into one Map lookup. Keys are untrusted input, so the memo is bounded by entry count and
// string length (at most ~2 MB of strings) and cleared when full rather than tracked as an LRU.
const MEMO_MAX_ENTRIES = 2048;
const MEMO_MAX_LENGTH = 256;
const memo = new Map<string, string>();

function remember(input: string, normalized: string): void {
  if (input.length > MEMO_MAX_LENGTH || normalized.length > MEMO_MAX_LENGTH) return;
  if (memo.size >= MEMO_MAX_ENTRIES) memo.clear();
  memo.set(input, normalized);
  memo.set(normalized, normalized);
}

/**
 * One canonical RFC 4514 string per name, so that equal names compare equal as strings:
 * types as the table's short names (dotted OIDs otherwise), values prepared per RFC 4518
 * (NFKC, case folded for caseIgnore types, insignificant spaces removed), the attributes of a
 * multi-valued RDN sorted, one escaping. `#hex` values of string types compare as their
 * text; other `#hex` values as upper-case hex. Idempotent: `normalizeDN(normalizeDN(x))`
 * equals `normalizeDN(x)`.
 *
 * @param dn a DN string (any spelling `parseDN` accepts), RDNs, or the DER of a `Name`.
 * @throws {DNSyntaxError} if the string or DER is not a name.
 */
export function normalizeDN(dn: DNInput): string {
  if (typeof dn === 'string') {
    const known = memo.get(dn);
    if (known !== undefined) return known;
    const normalized = normalizeRDNs(parseDNString(dn));
    remember(dn, normalized);
    return normalized;
  }
  return normalizeRDNs(toRDNs(dn));
}

/**
 * True when two DNs name the same entry (`normalizeDN(a) === normalizeDN(b)`). Each side may
 * be a string in any spelling, RDNs, or DER. Strings already normalized compare in a couple of
 * map lookups.
 *
 * @throws {DNSyntaxError} if either side is not a name.
 */
export function dnEquals(a: DNInput, b: DNInput): boolean {
  return normalizeDN(a) === normalizeDN(b);
}

/**
 * True when `name` lies within the subtree `base` (RFC 5280 §4.2.1.10 directoryName
 * constraints): `base`'s RDNs, in encoding order, are the leading RDNs of `name`, each equal
 * under the same comparison as `dnEquals`. Every name is within the empty DN.
 *
 * @throws {DNSyntaxError} if either side is not a name.
 */
export function dnIsWithin(name: DNInput, base: DNInput): boolean {
  const n = toRDNs(name);
  const b = toRDNs(base);
  if (b.length > n.length) return false;
  for (let i = 0; i < b.length; i++) {
    if (normalizeRDN(n[i]!) !== normalizeRDN(b[i]!)) return false;
  }
  return true;
}

function toRDNs(dn: DNInput): readonly RDN[] {
  if (typeof dn === 'string') return parseDNString(dn);
  if (dn instanceof Uint8Array) return decodeNameOrThrow(dn);
  if (Array.isArray(dn)) return dn;
  throw new DNSyntaxError('a DN must be a string, RDNs or DER bytes', 0);
}

/**
 * The values of one attribute type in a DN, most specific first (the order in which they
 * appear in the RFC 4514 string, so `dnAttribute(subject, 'CN')[0]` is the CN printed first).
 * Values are as encoded, not normalized; a value without a string form is `#` + hex.
 *
 * @param type a short name or alias (`CN`, `commonName`, `E`, `email` …, any case) or OID.
 * @throws {DNSyntaxError} for an unknown type name or a malformed DN.
 */
export function dnAttribute(dn: DNInput, type: string): string[] {
  const oid = resolveAttributeType(type);
  if (oid === undefined) throw new DNSyntaxError(`unknown attribute type "${type}"`, 0);
  const rdns = toRDNs(dn);
  const values: string[] = [];
  for (let i = rdns.length - 1; i >= 0; i--) {
    for (const a of rdns[i]!) if (a.type === oid) values.push(attributeText(a));
  }
  return values;
}

/**
 * The most specific value of the attribute with dotted OID `oid` in the Name whose DER is
 * `nameDer` (`dnAttribute(nameDer, oid)[0]`), read without decoding the rest of the Name (see
 * `mostSpecificAttribute`), for the rule fields O, OU, C … (CN is located at parse time:
 * Certificate.commonName). Throws DerError on a Name the decode refuses.
 */
export function mostSpecificAttributeText(nameDer: Uint8Array, oid: string): string | undefined {
  const a = mostSpecificAttribute(nameDer, oid);
  return a && attributeText(a);
}

/** An attribute's value as text: its string, or `#hex` of a value with no string form. */
export function attributeText(a: DNAttribute): string {
  return a.ber !== undefined && a.value === '' && !isStringBer(a.ber)
    ? `#${hexUpper(a.ber)}`
    : a.value;
}

/** Resolves an attribute type name or OID to its dotted OID (`undefined` if unknown). */
export function attributeOid(type: string): string | undefined {
  return resolveAttributeType(type);
}

function decodeNameOrThrow(der: Uint8Array): RDN[] {
  try {
    return decodeName(der);
  } catch (e) {
    if (e instanceof DerError)
      throw new DNSyntaxError(`not a DER Name: ${e.message}`, 0, { cause: e });
    throw e;
  }
}

function normalizeRDNs(rdns: readonly RDN[]): string {
  let out = '';
  for (let i = rdns.length - 1; i >= 0; i--) {
    if (i !== rdns.length - 1) out += ',';
    out += normalizeRDN(rdns[i]!);
  }
  return out;
}

function normalizeRDN(rdn: RDN): string {
  if (rdn.length === 1) return normalizeAttribute(rdn[0]!);
  // A multi-valued RDN is a set (X.501): order its members by their canonical text.
  return rdn.map(normalizeAttribute).sort().join('+');
}

function normalizeAttribute(a: DNAttribute): string {
  // RDNs built by hand may name the type ("CN") rather than give its OID.
  const type = attributeByOid(a.type) ? a.type : (resolveAttributeType(a.type) ?? a.type);
  const name = attributeName(type);
  let text: string | undefined = a.value;
  if (a.ber !== undefined) {
    text = a.value !== '' ? a.value : stringOfBer(a.ber);
    if (text === undefined) return `${name}=#${hexUpper(a.ber)}`;
  }
  return `${name}=${escapeValue(prepareValue(text, matchRule(type)))}`;
}

/** The text of a BER value of a string type, or `undefined` for any other value. */
function stringOfBer(ber: Uint8Array): string | undefined {
  try {
    const r = new DerReader(ber);
    const tlv = r.read();
    r.done('attribute value');
    return decodeDirectoryString(tlv);
  } catch (e) {
    if (e instanceof DerError) return undefined;
    throw e;
  }
}

function isStringBer(ber: Uint8Array): boolean {
  return stringOfBer(ber) !== undefined;
}
