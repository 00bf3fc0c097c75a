/**
 * uniformResourceIdentifier name constraints (RFC 5280 §4.2.1.10): the constraint applies to
 * the host part of the URI, spelled as a host (`host.example.com`, that host only) or as a
 * domain with a leading period (`.example.com`, hosts below it).
 *
 * Node's WHATWG `URL` is not used to find the host: it rewrites hosts (IDNA, percent-decoding,
 * numeric IPv4 forms like `0x7f.1`) and so could match a host that is not the one the
 * certificate spells. RFC 3986 §3.2 is simple enough to read the authority directly; anything
 * unusual fails closed.
 */

import { checkHostname, strictlyWithinDomain } from './name-constraints-dns.js';

/** A URI constraint: one host, or every host strictly below a domain. */
export interface UriConstraint {
  readonly host: string;
  readonly subdomainsOnly: boolean;
}

/** RFC 3986 §3.1 `scheme ":"` then `//` authority. */
const SCHEME_AND_AUTHORITY = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/;

/**
 * The host of a URI in lower case, or `undefined` when the URI has no authority (`urn:`,
 * `mailto:`), an empty host, an IP-literal or numeric (IPv4) host, a host that is not a DNS name,
 * or an authority with characters RFC 3986 does not allow in it.
 * RFC 5280 §4.2.1.10 defines URI constraints on a "fully qualified domain name", so such URIs
 * cannot be shown to be inside a subtree and fail closed against URI constraints (Go does the
 * same for IP hosts).
 */
export function uriHost(uri: string): string | undefined {
  const m = SCHEME_AND_AUTHORITY.exec(uri);
  if (m === null) return undefined;
  let authority = m[1]!;
  // RFC 3986 §3.2: userinfo, host and port use unreserved, pct-encoded, sub-delims, ":" and
  // "@" only. Anything else (a backslash, which WHATWG URL reads as "/" so that
  // `https://evil.example\@good.example/` has the host evil.example there; quotes, spaces,
  // brackets) makes the host a matter of which parser reads it: fail closed.
  if (!/^[A-Za-z0-9\-._~%!$&'()*+,;=:@]*$/.test(authority)) return undefined;
  const at = authority.lastIndexOf('@');
  if (at !== -1) authority = authority.slice(at + 1);
  const colon = authority.indexOf(':');
  if (colon !== -1) {
    if (!/^[0-9]*$/.test(authority.slice(colon + 1))) return undefined;
    authority = authority.slice(0, colon);
  }
  // A host whose last label is a number is an IPv4 address in one of the spellings URL
  // parsers accept (`127.0.0.1`, `127.1`, `0177.0.0.1`, `0x7f000001`); no top-level domain is
  // numeric (RFC 3696 §2), so this refuses every IP host and no DNS host.
  if (/(^|\.)([0-9]+|0x[0-9a-f]*)$/i.test(authority)) return undefined;
  return checkHostname(authority);
}

/**
 * Parses a URI constraint; `undefined` when it is not a host or `.domain` (fails closed). The
 * empty string covers every host, as for dNSName and rfc822Name constraints (NSS, Go).
 */
export function parseUriConstraint(text: string): UriConstraint | undefined {
  if (text.length === 0) return { host: '', subdomainsOnly: false };
  const subdomainsOnly = text.startsWith('.');
  const host = checkHostname(subdomainsOnly ? text.slice(1) : text);
  return host === undefined ? undefined : { host, subdomainsOnly };
}

/**
 * A host constraint matches that host only, as RFC 5280 and OpenSSL read it (Go also admits
 * its subdomains); a leading-period constraint matches hosts at least one label below it.
 */
export function uriMatches(host: string, constraint: UriConstraint): boolean {
  return constraint.subdomainsOnly
    ? strictlyWithinDomain(host, constraint.host)
    : constraint.host === '' || host === constraint.host;
}
