/**
 * Subject alternative names as strings: one canonical spelling per entry, the one
 * `Certificate.subjectAltNames` holds and rules compare against (seed doc 002: `DNS:`, `IP:`,
 * `URI:`, `Email:`, prefixes in that case).
 *
 *   DNS:<name>            lower-cased; one trailing dot removed (`a.example.` is `a.example`)
 *   IP:<address>          dotted IPv4; IPv6 per RFC 5952, IPv4-mapped as `::ffff:192.0.2.1`;
 *                         a name-constraint range as CIDR (`10.0.0.0/8`)
 *   Email:<local>@<domain> local part as is, domain lower-cased
 *   URI:<uri>             as encoded
 *   DirName:<RFC 4514>    via formatDN
 *   RID:<dotted OID>
 *   othername:UPN:<upn>   Microsoft UPN (UTF8String); likewise othername:SmtpUTF8Mailbox:<m>
 *   othername:<oid>:#<HEX> any other otherName: upper-case hex of the DER inside [0]
 *   X400Name:#<HEX>, EdiPartyName:#<HEX>  upper-case hex of the whole GeneralName
 */

import { DerError, DerReader, TAG } from './der.js';
import { formatDN, parseDN } from './dn.js';
import { isDottedOid } from './dn-attributes.js';
import { DNSyntaxError } from './dn-error.js';
import { hexUpper } from './dn-escape.js';
import type { GeneralName } from './general-name.js';
import { formatIP, formatIPRange, parseIP, parseIPRange } from './ip.js';
import { decodeName } from './name-der.js';
import { OID } from './oids.js';

/** An entry `canonicalizeSAN` or `parseSANList` cannot read. */
export class SANSyntaxError extends Error {
  override readonly name: string = 'SANSyntaxError';
}

/** otherName types printed by name (OpenSSL and Node print UPN so). */
const OTHER_NAMES: ReadonlyMap<string, string> = new Map([
  [OID.userPrincipalName, 'UPN'],
  ['1.3.6.1.5.5.7.8.9', 'SmtpUTF8Mailbox'],
]);
const OTHER_NAME_OIDS: ReadonlyMap<string, string> = new Map(
  [...OTHER_NAMES].map(([oid, name]) => [name.toLowerCase(), oid]),
);

// ignoreBOM: a leading U+FEFF is part of the value. The decoder drops it by default, and a
// name such as U+FEFF + "admin" would then read as "admin".
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The canonical string of one GeneralName (see the module comment for the spellings). */
export function formatGeneralName(name: GeneralName): string {
  switch (name.kind) {
    case 'dns':
      return `DNS:${canonicalDNS(name.value)}`;
    case 'email':
      return `Email:${canonicalEmail(name.value)}`;
    case 'uri':
      return `URI:${name.value}`;
    case 'ip':
      return `IP:${formatIP(name.bytes) ?? formatIPRange(name.bytes) ?? `#${hexUpper(name.bytes)}`}`;
    case 'dirName':
      return `DirName:${dirName(name.der)}`;
    case 'rid':
      return `RID:${name.oid}`;
    case 'otherName':
      return formatOtherName(name.typeId, name.value);
    case 'x400Address':
      return `X400Name:#${hexUpper(name.der)}`;
    case 'ediPartyName':
      return `EdiPartyName:#${hexUpper(name.der)}`;
  }
}

/**
 * The RFC 4514 text of a directoryName; `#` + hex if its inner RDNs are malformed. A getter
 * like `Certificate.subjectAltNames` must not throw on the request path, and only the outer
 * SEQUENCE was checked when the extension was decoded.
 */
function dirName(der: Uint8Array): string {
  try {
    return formatDN(decodeName(der));
  } catch (e) {
    if (e instanceof DerError) return `#${hexUpper(der)}`;
    throw e;
  }
}

function formatOtherName(typeId: string, value: Uint8Array): string {
  const label = OTHER_NAMES.get(typeId);
  const text = label === undefined ? undefined : utf8StringOf(value);
  return text === undefined
    ? `othername:${typeId}:#${hexUpper(value)}`
    : `othername:${label}:${text}`;
}

/** The text of a DER UTF8String, or `undefined` if `der` is anything else. */
function utf8StringOf(der: Uint8Array): string | undefined {
  try {
    const r = new DerReader(der);
    const tlv = r.read();
    r.done('otherName value');
    if (tlv.tag !== TAG.UTF8_STRING) return undefined;
    return utf8.decode(der.subarray(tlv.valueStart, tlv.end));
  } catch (e) {
    if (e instanceof DerError || e instanceof TypeError) return undefined;
    throw e;
  }
}

function canonicalDNS(value: string): string {
  const lower = value.toLowerCase();
  // A fully qualified name and the same name without the root label are one host.
  return lower.length > 1 && lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

function canonicalEmail(value: string): string {
  const at = value.lastIndexOf('@');
  // RFC 5321 §2.4: the local part may be case-sensitive, the domain is not.
  return at === -1
    ? value.toLowerCase()
    : value.slice(0, at + 1) + value.slice(at + 1).toLowerCase();
}

/** The canonical SAN kinds: the prefixes `canonicalizeSAN` produces. */
export type SANKind =
  | 'DNS'
  | 'IP'
  | 'Email'
  | 'URI'
  | 'DirName'
  | 'RID'
  | 'othername'
  | 'X400Name'
  | 'EdiPartyName';

// The prefixes people paste, lower-cased with spaces removed: ours, OpenSSL's and Node's
// (`IP Address:`, `email:`, `Registered ID:`), and the RFC 5280 field names.
const PREFIXES: ReadonlyMap<string, SANKind> = new Map<string, SANKind>([
  ['dns', 'DNS'],
  ['dnsname', 'DNS'],
  ['ip', 'IP'],
  ['ipaddress', 'IP'],
  ['email', 'Email'],
  ['e-mail', 'Email'],
  ['rfc822name', 'Email'],
  ['uri', 'URI'],
  ['uniformresourceidentifier', 'URI'],
  ['dirname', 'DirName'],
  ['directoryname', 'DirName'],
  ['rid', 'RID'],
  ['registeredid', 'RID'],
  ['othername', 'othername'],
  ['x400name', 'X400Name'],
  ['x400address', 'X400Name'],
  ['edipartyname', 'EdiPartyName'],
]);

/** The canonical kind for a prefix as typed (`IP Address`, `dns` …), or `undefined`. */
export function sanPrefixKind(prefix: string): SANKind | undefined {
  if (prefix.length > 32) return undefined;
  return PREFIXES.get(prefix.replaceAll(' ', '').toLowerCase());
}

/**
 * The canonical spelling of one SAN entry as people write it: `dns:A.Example` →
 * `DNS:a.example`, `IP Address:0:0:0:0:0:0:0:1` → `IP:::1`, `email:u@EX.com` →
 * `Email:u@ex.com`. Prefixes are case-insensitive and may be OpenSSL's or Node's; spaces
 * around the prefix and value are ignored.
 *
 * @throws {SANSyntaxError} for an unknown prefix or a value its type cannot hold.
 */
export function canonicalizeSAN(entry: string): string {
  if (typeof entry !== 'string') throw new SANSyntaxError('a SAN entry must be a string');
  const colon = entry.indexOf(':');
  if (colon === -1) throw new SANSyntaxError(`SAN entry "${clip(entry)}" has no "type:" prefix`);
  const kind = sanPrefixKind(entry.slice(0, colon).trim());
  if (kind === undefined) {
    throw new SANSyntaxError(
      `unknown SAN prefix "${clip(entry.slice(0, colon))}" (expected DNS:, IP:, Email:, URI:, DirName:, RID: or othername:)`,
    );
  }
  return canonicalValue(kind, entry.slice(colon + 1).trim());
}

/** Canonicalizes the value of an entry whose kind is already known. */
export function canonicalValue(kind: SANKind, value: string): string {
  switch (kind) {
    case 'DNS':
      if (value === '' || /\s/.test(value))
        throw new SANSyntaxError(`bad DNS name "${clip(value)}"`);
      return `DNS:${canonicalDNS(aLabels(value))}`;
    case 'IP': {
      const text = value.includes('/') ? parseIPRange(value) : parseIP(value);
      const out = text && (formatIP(text) ?? formatIPRange(text));
      if (out === undefined) throw new SANSyntaxError(`bad IP address "${clip(value)}"`);
      return `IP:${out}`;
    }
    case 'Email': {
      if (value === '') throw new SANSyntaxError('empty email address');
      const at = value.lastIndexOf('@');
      const address = at === -1 ? value : value.slice(0, at + 1) + aLabels(value.slice(at + 1));
      return `Email:${canonicalEmail(address)}`;
    }
    case 'URI':
      if (value === '') throw new SANSyntaxError('empty URI');
      return `URI:${value}`;
    case 'DirName':
      try {
        return `DirName:${formatDN(parseDN(value))}`;
      } catch (e) {
        if (e instanceof DNSyntaxError)
          throw new SANSyntaxError(`bad DirName: ${e.message}`, { cause: e });
        throw e;
      }
    case 'RID':
      if (!isDottedOid(value)) throw new SANSyntaxError(`bad registered ID "${clip(value)}"`);
      return `RID:${value}`;
    case 'othername':
      return canonicalOtherName(value);
    default:
      return `${kind}:#${hexValue(value.startsWith('#') ? value.slice(1) : value)}`;
  }
}

/** `UPN:x`, OpenSSL's `UPN::x`, `1.3.6.1.4.1.311.20.2.3:x`, `<oid>:#hex`. */
function canonicalOtherName(value: string): string {
  const colon = value.indexOf(':');
  if (colon === -1) throw new SANSyntaxError(`othername "${clip(value)}" has no "type:" part`);
  const type = value.slice(0, colon).trim();
  let rest = value.slice(colon + 1);
  const oid = OTHER_NAME_OIDS.get(type.toLowerCase()) ?? (isDottedOid(type) ? type : undefined);
  if (oid === undefined) throw new SANSyntaxError(`unknown othername type "${clip(type)}"`);
  const label = OTHER_NAMES.get(oid);
  // OpenSSL 3.0 prints "othername: UPN::user@example.com" (its own ':' after the type).
  if (label !== undefined && rest.startsWith(':') && type === label) rest = rest.slice(1);
  if (rest.startsWith('#')) {
    const hex = hexValue(rest.slice(1));
    const bytes = Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
    return formatOtherName(oid, bytes);
  }
  if (label === undefined) throw new SANSyntaxError(`othername ${oid} needs a "#hex" value`);
  return `othername:${label}:${rest}`;
}

/**
 * A domain typed with Unicode labels (`bücher.example`) in the A-label form certificates carry
 * (`xn--bcher-kva.example`; RFC 5280 §7.2 and §7.3), so that a rule written either way matches.
 * The WHATWG URL parser does UTS #46 processing and is global in Node and browsers, so the core
 * needs no import for it; characters that are URL syntax are refused first, so nothing of the
 * input can be read as a port, path or user.
 */
function aLabels(domain: string): string {
  if (!/[^\x20-\x7e]/.test(domain)) return domain;
  if (/[:/?#@[\]\\%]/.test(domain)) throw new SANSyntaxError(`bad domain "${clip(domain)}"`);
  try {
    const host = new URL(`http://${domain}/`).hostname;
    if (host !== '') return host;
  } catch {
    // An invalid IDN: reported below.
  }
  throw new SANSyntaxError(`bad internationalized domain "${clip(domain)}"`);
}

function hexValue(hex: string): string {
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) {
    throw new SANSyntaxError(`bad hex value "${clip(hex)}"`);
  }
  return hex.toUpperCase();
}

function clip(s: string): string {
  return s.length > 64 ? `${s.slice(0, 61)}...` : s;
}
