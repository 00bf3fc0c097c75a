// PLACEHOLDER — the names work (issue 3) replaces this file with full SAN canonicalization.
import type { GeneralName } from './general-name.js';

/** The canonical string of one GeneralName (`DNS:`, `IP:`, `URI:`, `Email:` …). */
export function formatGeneralName(name: GeneralName): string {
  switch (name.kind) {
    case 'dns':
      return `DNS:${name.value.toLowerCase()}`;
    case 'email':
      return `Email:${name.value}`;
    case 'uri':
      return `URI:${name.value}`;
    case 'ip':
      return `IP:${Array.from(name.bytes).join('.')}`;
    default:
      return `${name.kind}:`;
  }
}
