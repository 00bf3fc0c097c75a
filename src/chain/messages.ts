/** How failure messages name a certificate: role, subject and position in the chain. */

import type { Certificate } from '../certificate.js';

/** A certificate's role in a path. */
export type Role = 'leaf' | 'intermediate' | 'anchor';

/** `intermediate "CN=…" (position 1 in the chain)`; a name that cannot be read says so. */
export function describe(cert: Certificate, position: number, role: Role): string {
  let subject: string;
  try {
    subject = cert.subject;
  } catch {
    subject = '(unreadable name)';
  }
  return `${role} "${subject}" (position ${position} in the chain)`;
}

/** The issuer name as RFC 4514, or a placeholder when it cannot be read. */
export function safeIssuer(cert: Certificate): string {
  try {
    return cert.issuer;
  } catch {
    return '(unreadable name)';
  }
}

/**
 * `text` with every control character escaped as `\xNN` (C0, DEL, C1) or `\uNNNN` (line and
 * paragraph separators, bidirectional overrides and isolates). Failure messages quote
 * certificate contents (SAN entries, names) that the client chose, and they end up in log
 * lines: a newline or a terminal escape there would forge or hide log entries.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100
      ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`
      : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters escaped.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
