/**
 * dNSName syntax and subtree matching for name constraints (RFC 5280 §4.2.1.10).
 *
 * Names are kept as lower-case strings whose labels have been checked, so "is within" is a
 * string suffix test on a label boundary: with no empty labels, `a.example.com` ends with
 * `.example.com` exactly when its labels end with those of `example.com`.
 */

/** A checked dNSName from a certificate: `base` is the name without a leading `*.`. */
export interface DnsName {
  /** Lower case, no wildcard label. */
  readonly base: string;
  /** The name was `*.base` (a wildcard SAN, RFC 6125 §6.4.3 style: one whole label). */
  readonly wildcard: boolean;
}

// RFC 1034 §3.1 caps a name at 255 octets on the wire, that is 253 characters as text.
const MAX_NAME = 253;
const MAX_LABEL = 63;

/**
 * True for a label of letters, digits, hyphens and underscores, 1–63 long. Underscores are
 * not LDH, but service names (`_sip._tcp`) appear in real SANs; accepting them cannot widen
 * a match, because matching is exact per label. Anything else (spaces, `*` inside a label,
 * non-ASCII, empty labels) is malformed and fails closed.
 */
function isLabel(label: string): boolean {
  if (label.length === 0 || label.length > MAX_LABEL) return false;
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    const ok =
      (c >= 0x61 && c <= 0x7a) || // a-z
      (c >= 0x41 && c <= 0x5a) || // A-Z
      (c >= 0x30 && c <= 0x39) || // 0-9
      c === 0x2d || // -
      c === 0x5f; // _
    if (!ok) return false;
  }
  return true;
}

/**
 * A DNS name in RFC 1034 "preferred name syntax" as RFC 5280 §4.2.1.6 asks of dNSName:
 * non-empty labels, no leading or trailing dot. Returns it in lower case (DNS names compare
 * case-insensitively, RFC 4343), or `undefined` when malformed.
 */
export function checkHostname(text: string): string | undefined {
  if (text.length === 0 || text.length > MAX_NAME) return undefined;
  const labels = text.split('.');
  for (const label of labels) if (!isLabel(label)) return undefined;
  return text.toLowerCase();
}

/**
 * Parses a dNSName from a certificate. A leading `*.` label is accepted as a wildcard
 * (webpki and Go both meet such SANs; see {@link dnsNameMatches} for what they cover); any
 * other `*` is malformed.
 */
export function parseDnsName(text: string): DnsName | undefined {
  if (text.startsWith('*.')) {
    const base = checkHostname(text.slice(2));
    return base === undefined ? undefined : { base, wildcard: true };
  }
  const base = checkHostname(text);
  return base === undefined ? undefined : { base, wildcard: false };
}

/**
 * Parses a dNSName constraint. RFC 5280 §4.2.1.10 spells DNS constraints as a host name
 * (`host.example.com`) that also covers every name made by adding labels on the left.
 *
 * A leading period (`.example.com`) is given a meaning by RFC 5280 only in URI and email
 * constraints; Go and OpenSSL read it in DNS constraints as "subdomains only". We read it so
 * that no reading can make us accept what another would refuse:
 *
 * - in a permitted subtree it is malformed and fails closed: x509-limbo
 *   (`rfc5280::nc::invalid-dnsname-leading-period`) expects such a chain to be rejected;
 * - in an excluded subtree it excludes the domain and everything below it, the widest thing
 *   it could mean, since an exclusion read widely can only refuse more.
 *
 * A wildcard (`*.example.com`) is not a name and is malformed either way (limbo
 * `rfc5280::nc::invalid-dnsname-wildcard`). The empty string is accepted and covers every
 * name, as in NSS, Go and webpki: CAs use an empty excluded dNSName to forbid DNS names.
 */
export function parseDnsConstraint(text: string, excluded: boolean): string | undefined {
  if (text.length === 0) return '';
  if (excluded && text.startsWith('.')) return checkHostname(text.slice(1));
  return checkHostname(text);
}

/** `name` equals `constraint` or is a subdomain of it (both checked and lower case). */
export function withinDomain(name: string, constraint: string): boolean {
  if (constraint.length === 0) return true;
  if (name.length === constraint.length) return name === constraint;
  return (
    name.length > constraint.length &&
    name.endsWith(constraint) &&
    name.charCodeAt(name.length - constraint.length - 1) === 0x2e
  );
}

/** `name` is a proper subdomain of `domain` (at least one more label). */
export function strictlyWithinDomain(name: string, domain: string): boolean {
  return name.length > domain.length && withinDomain(name, domain);
}

/**
 * Does a dNSName fall in the subtree of a dNSName constraint?
 *
 * A wildcard SAN `*.base` stands for every name one label below `base`. It is inside a
 * permitted subtree only if all of those names are, that is if `base` is; it hits an excluded
 * subtree if any of them does: when `base` is inside it, or when the constraint is itself one
 * label below `base` (`*.example.com` against excluded `bar.example.com`, limbo
 * `rfc5280::nc::nc-forbids-dnsname-wildcard-san`; permitted `foo.com` covers `*.foo.com`,
 * limbo `webpki::nc::nc-permits-dns-san-pattern`). Go compares `*` as a literal label, which
 * lets the wildcard past the exclusion; we do not.
 */
export function dnsNameMatches(name: DnsName, constraint: string, excluded: boolean): boolean {
  if (withinDomain(name.base, constraint)) return true;
  if (!name.wildcard || !excluded) return false;
  const dot = constraint.indexOf('.');
  return dot !== -1 && constraint.slice(dot + 1) === name.base;
}
