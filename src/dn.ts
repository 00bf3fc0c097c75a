// PLACEHOLDER — the names work (issue 3) replaces this file with the full RFC 4514 codec.
import type { RDN } from './rdn.js';

export type { DNAttribute, RDN } from './rdn.js';

const SHORT: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
};

/** RDNs in encoding order (least specific first) → RFC 4514 string (most specific first). */
export function formatDN(rdns: readonly RDN[]): string {
  return [...rdns]
    .reverse()
    .map((rdn) => rdn.map((a) => `${SHORT[a.type] ?? a.type}=${a.value}`).join('+'))
    .join(',');
}
