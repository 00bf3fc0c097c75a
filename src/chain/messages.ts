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
