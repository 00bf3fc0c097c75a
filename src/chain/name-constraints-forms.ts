/**
 * The name forms name constraints can be checked on, each name and constraint parsed once
 * into a checked value, and the one matching function that dispatches on the form.
 */

import { DerError } from '../der.js';
import type { GeneralSubtree } from '../extensions.js';
import type { GeneralName } from '../general-name.js';
import { ipInRange, maskPrefixLength } from '../ip.js';
import { decodeName } from '../name-der.js';
import { rdnKeys, withinDirectory } from './name-constraints-dn.js';
import {
  type DnsName,
  dnsNameMatches,
  parseDnsConstraint,
  parseDnsName,
} from './name-constraints-dns.js';
import {
  type EmailConstraint,
  emailMatches,
  type Mailbox,
  parseEmailConstraint,
  parseMailbox,
} from './name-constraints-email.js';
import {
  parseUriConstraint,
  type UriConstraint,
  uriHost,
  uriMatches,
} from './name-constraints-uri.js';

/** A GeneralName form (the `kind` of {@link GeneralName}). */
export type NameForm = GeneralName['kind'];

/** The forms we can decide; a constraint on any other form fails closed (see the caller). */
export type CheckableForm = 'dns' | 'email' | 'uri' | 'ip' | 'dirName';

/** A name that parsed, ready to be compared. */
export type CheckedName =
  | { readonly form: 'dns'; readonly dns: DnsName }
  | { readonly form: 'email'; readonly mailbox: Mailbox }
  | { readonly form: 'uri'; readonly host: string }
  | { readonly form: 'ip'; readonly bytes: Uint8Array }
  | { readonly form: 'dirName'; readonly rdns: readonly string[] };

/** A constraint that parsed, ready to be compared. */
export type CheckedConstraint =
  | { readonly form: 'dns'; readonly domain: string }
  | { readonly form: 'email'; readonly email: EmailConstraint }
  | { readonly form: 'uri'; readonly uri: UriConstraint }
  | { readonly form: 'ip'; readonly range: Uint8Array }
  | { readonly form: 'dirName'; readonly rdns: readonly string[] };

/** True for the forms {@link checkName} and {@link checkConstraint} understand. */
export function isCheckable(form: NameForm): form is CheckableForm {
  return (
    form === 'dns' || form === 'email' || form === 'uri' || form === 'ip' || form === 'dirName'
  );
}

/** The RDN keys of a DER Name, `undefined` if it does not decode. */
export function dirNameKeys(der: Uint8Array): readonly string[] | undefined {
  try {
    return rdnKeys(decodeName(der));
  } catch (e) {
    if (e instanceof DerError) return undefined;
    throw e;
  }
}

/** Parses a certificate's name; `undefined` when it is malformed or of an uncheckable form. */
export function checkName(name: GeneralName): CheckedName | undefined {
  switch (name.kind) {
    case 'dns': {
      const dns = parseDnsName(name.value);
      return dns && { form: 'dns', dns };
    }
    case 'email': {
      const mailbox = parseMailbox(name.value);
      return mailbox && { form: 'email', mailbox };
    }
    case 'uri': {
      const host = uriHost(name.value);
      return host === undefined ? undefined : { form: 'uri', host };
    }
    case 'ip':
      // A SAN iPAddress is 4 or 16 octets (RFC 5280 §4.2.1.6); an address-and-mask here is
      // malformed (limbo `rfc5280::nc::nc-permits-invalid-ip-san`).
      return name.bytes.length === 4 || name.bytes.length === 16
        ? { form: 'ip', bytes: name.bytes }
        : undefined;
    case 'dirName': {
      const rdns = dirNameKeys(name.der);
      return rdns && { form: 'dirName', rdns };
    }
    default:
      return undefined;
  }
}

/**
 * Parses a constraint of a permitted (`excluded` false) or excluded subtree; `undefined` when
 * it is malformed or of an uncheckable form. RFC 5280 §4.2.1.10 fixes minimum at 0 and
 * forbids maximum; a subtree that sets either asks for a semantics no verifier implements,
 * so it is malformed too.
 */
export function checkConstraint(
  subtree: GeneralSubtree,
  excluded: boolean,
): CheckedConstraint | undefined {
  if (subtree.minimum !== 0 || subtree.maximum !== undefined) return undefined;
  const base = subtree.base;
  switch (base.kind) {
    case 'dns': {
      const domain = parseDnsConstraint(base.value, excluded);
      return domain === undefined ? undefined : { form: 'dns', domain };
    }
    case 'email': {
      const email = parseEmailConstraint(base.value);
      return email && { form: 'email', email };
    }
    case 'uri': {
      const uri = parseUriConstraint(base.value);
      return uri && { form: 'uri', uri };
    }
    case 'ip': {
      // Address then mask, 8 octets for IPv4 or 32 for IPv6 (RFC 5280 §4.2.1.10). A mask with
      // a one after a zero is not a CIDR block and fails closed, as in webpki; host bits set
      // in the address are ignored (masked), as Go and webpki do.
      const n = base.bytes.length;
      if (n !== 8 && n !== 32) return undefined;
      return maskPrefixLength(base.bytes.subarray(n / 2)) === undefined
        ? undefined
        : { form: 'ip', range: base.bytes };
    }
    case 'dirName': {
      const rdns = dirNameKeys(base.der);
      return rdns && { form: 'dirName', rdns };
    }
    default:
      return undefined;
  }
}

/**
 * Is the name inside the constraint's subtree? Names and constraints of different forms never
 * match, nor do an IPv4 address and an IPv6 range (RFC 5280 §4.2.1.10 keeps the families
 * apart; an IPv4-mapped IPv6 address is compared as IPv6). `excluded` tells a wildcard DNS
 * name which way to lean (see `dnsNameMatches`).
 */
export function matches(
  name: CheckedName,
  constraint: CheckedConstraint,
  excluded: boolean,
): boolean {
  switch (name.form) {
    case 'dns':
      return constraint.form === 'dns' && dnsNameMatches(name.dns, constraint.domain, excluded);
    case 'email':
      return constraint.form === 'email' && emailMatches(name.mailbox, constraint.email);
    case 'uri':
      return constraint.form === 'uri' && uriMatches(name.host, constraint.uri);
    case 'ip':
      return constraint.form === 'ip' && ipInRange(name.bytes, constraint.range);
    case 'dirName':
      return constraint.form === 'dirName' && withinDirectory(name.rdns, constraint.rdns);
  }
}
