/**
 * rfc822Name syntax and subtree matching for name constraints (RFC 5280 §4.2.1.10).
 *
 * RFC 5280 §4.2.1.6 says an rfc822Name is a mailbox as RFC 2821 (now RFC 5321 §4.1.2)
 * defines it: `local-part "@" domain`, the local part a dot-atom or a quoted string. We accept
 * exactly that, with a DNS domain (no address literals); anything else is malformed and fails
 * closed (limbo `rfc5280::nc::nc-permits-invalid-email-san`, `invalid-email-address`).
 */

import { checkHostname, strictlyWithinDomain } from './name-constraints-dns.js';

/** A checked mailbox: the local part as written (unquoted), the domain in lower case. */
export interface Mailbox {
  readonly local: string;
  readonly domain: string;
}

/** The three forms of an rfc822Name constraint RFC 5280 §4.2.1.10 describes. */
export type EmailConstraint =
  /** One mailbox (`root@example.com`). */
  | { readonly form: 'mailbox'; readonly mailbox: Mailbox }
  /** Every mailbox on one host (`example.com`); empty = every mailbox at all. */
  | { readonly form: 'host'; readonly host: string }
  /** Every mailbox on hosts below a domain (`.example.com`), not on the domain itself. */
  | { readonly form: 'domain'; readonly domain: string };

/** RFC 5322 §3.2.3 `atext`. `*` is atext, so limbo's asterisk cases compare it literally. */
function isAtext(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    "!#$%&'*+-/=?^_`{|}~".includes(String.fromCharCode(c))
  );
}

/** Reads the local part; returns it unquoted and the index of the `@` after it. */
function readLocalPart(text: string): { local: string; at: number } | undefined {
  if (text.startsWith('"')) {
    // RFC 5321 §4.1.2 quoted-string: qtextSMTP or backslash quoted-pairs, any printable.
    let local = '';
    for (let i = 1; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22) return text.charCodeAt(i + 1) === 0x40 ? { local, at: i + 1 } : undefined;
      if (c === 0x5c) {
        const next = text.charCodeAt(++i);
        if (!(next >= 0x20 && next <= 0x7e)) return undefined;
        local += text[i];
        continue;
      }
      if (c < 0x20 || c > 0x7e) return undefined;
      local += text[i];
    }
    return undefined;
  }
  // Dot-atom: atext runs separated by single dots, none at either end.
  const at = text.indexOf('@');
  if (at <= 0) return undefined;
  const local = text.slice(0, at);
  for (const atom of local.split('.')) {
    if (atom.length === 0) return undefined;
    for (let i = 0; i < atom.length; i++) if (!isAtext(atom.charCodeAt(i))) return undefined;
  }
  return { local, at };
}

/** Parses a mailbox, or `undefined` when it is not one (e.g. `a@b@example.com`). */
export function parseMailbox(text: string): Mailbox | undefined {
  const part = readLocalPart(text);
  if (part === undefined) return undefined;
  const domain = checkHostname(text.slice(part.at + 1));
  return domain === undefined ? undefined : { local: part.local, domain };
}

/**
 * Parses an rfc822Name constraint: a mailbox if it has an `@`, a domain if it starts with a
 * period, a host otherwise. The empty string is a host constraint that covers every mailbox,
 * the reading NSS and Go give it (it is how a CA excludes email names altogether).
 */
export function parseEmailConstraint(text: string): EmailConstraint | undefined {
  if (text.length === 0) return { form: 'host', host: '' };
  if (text.includes('@')) {
    const mailbox = parseMailbox(text);
    return mailbox === undefined ? undefined : { form: 'mailbox', mailbox };
  }
  if (text.startsWith('.')) {
    const domain = checkHostname(text.slice(1));
    return domain === undefined ? undefined : { form: 'domain', domain };
  }
  const host = checkHostname(text);
  return host === undefined ? undefined : { form: 'host', host };
}

/**
 * Is the mailbox inside the constraint's subtree? A mailbox constraint matches that mailbox
 * only: the local part exactly (RFC 5321 §2.4 leaves its case to the receiving host, so we
 * may not fold it; limbo's literal-asterisk cases), the domain case-insensitively. A host
 * constraint matches mailboxes on that host and not on its subdomains, as RFC 5280 and
 * OpenSSL read it (Go also admits subdomains); a leading-period domain matches subdomains
 * only.
 */
export function emailMatches(name: Mailbox, constraint: EmailConstraint): boolean {
  switch (constraint.form) {
    case 'mailbox':
      return name.local === constraint.mailbox.local && name.domain === constraint.mailbox.domain;
    case 'host':
      return constraint.host === '' || name.domain === constraint.host;
    case 'domain':
      return strictlyWithinDomain(name.domain, constraint.domain);
  }
}
