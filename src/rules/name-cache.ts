/**
 * Normalized names by their DER. The same few subjects and issuers come back on
 * every request from one API client, and decoding plus RFC 4518 normalization costs several
 * microseconds, so a bounded cache keyed by the DER bytes turns the repeat cost into one map
 * lookup. Bounded by entry count and key length; cleared when full (no clock, no LRU
 * bookkeeping on the request path).
 */

import { normalizeDN } from '../dn.js';
import type { RDN } from '../rdn.js';

const MAX_ENTRIES = 1024;
const MAX_KEY_BYTES = 1024;

const normalized = new Map<string, string>();

function keyOf(der: Uint8Array): string | undefined {
  if (der.length > MAX_KEY_BYTES) return undefined;
  // One char per byte: an exact, cheap key (the DER is the identity of the name). `apply`
  // with a typed array is several times faster than spreading it.
  return String.fromCharCode.apply(null, der as unknown as number[]);
}

function remember<T>(map: Map<string, T>, key: string, value: T): T {
  if (map.size >= MAX_ENTRIES) map.clear();
  map.set(key, value);
  return value;
}

/**
 * `normalizeDN` of the Name whose DER is `der`, cached by that DER. `rdns` gives the decoded
 * Name on a miss (the Certificate's own cached decode, so nothing is decoded twice).
 */
export function normalizedNameOf(der: Uint8Array, rdns: () => readonly RDN[]): string {
  const key = keyOf(der);
  if (key === undefined) return normalizeDN(rdns());
  return normalized.get(key) ?? remember(normalized, key, normalizeDN(rdns()));
}
