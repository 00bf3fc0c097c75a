/**
 * The attribute types mtls-gate knows by name: the spelling `formatDN` prints, the names
 * `parseDN` accepts, and how values compare.
 *
 * The printed names are the nine RFC 4514 §3 lists (CN, L, ST, O, OU, C, STREET, DC, UID)
 * and, for the other common types, the short names OpenSSL and Node print (emailAddress,
 * serialNumber, SN, GN, title …), so that what we print reads like what users already see.
 * Any other type is printed as a dotted OID, which every RFC 4514 reader accepts.
 */

/** How values of an attribute type compare (RFC 4517 matching rules, simplified). */
export type MatchRule =
  /** caseIgnoreMatch / caseIgnoreIA5Match: RFC 4518 preparation with case folding. */
  | 'caseIgnore'
  /** caseExactMatch: RFC 4518 preparation without case folding. */
  | 'caseExact';

/** One known attribute type. */
export interface AttributeInfo {
  readonly oid: string;
  /** The spelling `formatDN` and `normalizeDN` print. */
  readonly name: string;
  /** Every accepted spelling, compared case-insensitively (includes `name`). */
  readonly aliases: readonly string[];
  readonly match: MatchRule;
}

// Every type here is a DirectoryString or IA5String whose X.520 / RFC 4519 / PKCS #9
// definition uses caseIgnoreMatch or caseIgnoreIA5Match, so all of them fold case.
const TABLE: readonly AttributeInfo[] = [
  ['2.5.4.3', 'CN', 'commonName'],
  ['2.5.4.4', 'SN', 'surname'],
  ['2.5.4.5', 'serialNumber'],
  ['2.5.4.6', 'C', 'countryName'],
  ['2.5.4.7', 'L', 'localityName'],
  ['2.5.4.8', 'ST', 'stateOrProvinceName', 'S'],
  ['2.5.4.9', 'STREET', 'streetAddress'],
  ['2.5.4.10', 'O', 'organizationName'],
  ['2.5.4.11', 'OU', 'organizationalUnitName'],
  ['2.5.4.12', 'title'],
  ['2.5.4.13', 'description'],
  ['2.5.4.15', 'businessCategory'],
  ['2.5.4.17', 'postalCode'],
  ['2.5.4.41', 'name'],
  ['2.5.4.42', 'GN', 'givenName'],
  ['2.5.4.43', 'initials'],
  ['2.5.4.44', 'generationQualifier'],
  ['2.5.4.46', 'dnQualifier'],
  ['2.5.4.65', 'pseudonym'],
  ['2.5.4.97', 'organizationIdentifier'],
  ['0.9.2342.19200300.100.1.1', 'UID', 'userId'],
  ['0.9.2342.19200300.100.1.25', 'DC', 'domainComponent'],
  ['1.2.840.113549.1.9.1', 'emailAddress', 'E', 'email'],
  ['1.3.6.1.4.1.311.60.2.1.1', 'jurisdictionL', 'jurisdictionLocalityName'],
  ['1.3.6.1.4.1.311.60.2.1.2', 'jurisdictionST', 'jurisdictionStateOrProvinceName'],
  ['1.3.6.1.4.1.311.60.2.1.3', 'jurisdictionC', 'jurisdictionCountryName'],
].map(([oid, name, ...rest]) => ({
  oid: oid!,
  name: name!,
  aliases: [name!, ...rest],
  match: 'caseIgnore' as const,
}));

const BY_OID: ReadonlyMap<string, AttributeInfo> = new Map(TABLE.map((a) => [a.oid, a]));
const BY_NAME: ReadonlyMap<string, AttributeInfo> = new Map(
  TABLE.flatMap((a) => a.aliases.map((n) => [n.toLowerCase(), a] as const)),
);

/** Every attribute type known by name, for documentation and tests. */
export const KNOWN_ATTRIBUTES: readonly AttributeInfo[] = TABLE;

/** The known type with this dotted OID. */
export function attributeByOid(oid: string): AttributeInfo | undefined {
  return BY_OID.get(oid);
}

/** The known type with this name (any accepted spelling, case-insensitive). */
export function attributeByName(name: string): AttributeInfo | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** The spelling to print for a type OID: its short name, or the OID itself. */
export function attributeName(oid: string): string {
  return BY_OID.get(oid)?.name ?? oid;
}

/**
 * Values of unknown types compare case-sensitively (after RFC 4518 preparation): RFC 5280
 * §7.1 asks only DirectoryString attributes to be compared case-insensitively, and for a type
 * we do not know, assuming less equality is the safe side for access control.
 */
export function matchRule(oid: string): MatchRule {
  return BY_OID.get(oid)?.match ?? 'caseExact';
}

/**
 * Resolves a type as written in a DN string (`cn`, `2.5.4.3`, `OID.2.5.4.3`) to a dotted
 * OID, or `undefined` if it is neither a known name nor a well-formed OID.
 */
export function resolveAttributeType(text: string): string | undefined {
  const known = BY_NAME.get(text.toLowerCase());
  if (known) return known.oid;
  // RFC 2253 readers accept the "OID." prefix of RFC 1779; Java and OpenSSL print it at times.
  const oid = text.length > 4 && text.slice(0, 4).toLowerCase() === 'oid.' ? text.slice(4) : text;
  return isDottedOid(oid) ? oid : undefined;
}

/** RFC 4512 `numericoid`: numbers without leading zeros, separated by dots, at least two. */
export function isDottedOid(s: string): boolean {
  let arcs = 0;
  let i = 0;
  while (i < s.length) {
    const start = i;
    while (i < s.length && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) i++;
    if (i === start || (s.charCodeAt(start) === 0x30 && i - start > 1)) return false;
    arcs++;
    if (i === s.length) break;
    if (s.charCodeAt(i) !== 0x2e) return false;
    i++;
    if (i === s.length) return false;
  }
  return arcs >= 2;
}
