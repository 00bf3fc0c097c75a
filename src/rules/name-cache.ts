/**
 * Normalized names by their DER. The same few subjects and issuers come back on
 * every request from one API client, and decoding plus RFC 4518 normalization costs several
 * microseconds, so a bounded cache keyed by the DER bytes turns the repeat cost into one map
 * lookup. Bounded by entry count and key length; cleared when full (no clock, no LRU
 * bookkeeping on the request path).
 *
 * Keyed by a hash of the DER with the bytes compared on a hit, rather than by a string of the
 * bytes: the lookup runs on every request whose rule compares a name, and making a string
 * per lookup cost ~0.3-0.5 µs where hashing ~70 octets costs ~0.1 µs.
 */

import { bytesHash, ownCopy, sameBytes } from '../bytes.js';
import { normalizeDN } from '../dn.js';
import { isSharedName } from '../name-der.js';
import type { RDN } from '../rdn.js';

const MAX_ENTRIES = 1024;
const MAX_KEY_BYTES = 1024;

interface Entry {
  /** A private copy: the name's DER is a view into a certificate the caller owns. */
  readonly der: Uint8Array;
  readonly normalized: string;
}

const normalized = new Map<number, Entry[]>();
let entries = 0;

/**
 * `normalizeDN` of the Name whose DER is `der` and whose decoded RDNs are `decoded` (the
 * Certificate's own decode, so nothing is decoded twice), cached.
 */
export function normalizedNameOf(der: Uint8Array, decoded: readonly RDN[]): string {
  // Issuer names are decoded once per CA and shared (frozen) by the certificates it issued
  // (name-der.ts): for those, the answer hangs off the decoded name itself.
  const shared = isSharedName(decoded);
  if (shared) {
    const known = bySharedName.get(decoded);
    if (known !== undefined) return known;
  }
  const value = byDer(der, decoded);
  if (shared) bySharedName.set(decoded, value);
  return value;
}

const bySharedName = new WeakMap<readonly RDN[], string>();

/** By the DER: a hash, then the bytes compared. */
function byDer(der: Uint8Array, decoded: readonly RDN[]): string {
  if (der.length > MAX_KEY_BYTES) return normalizeDN(decoded);
  const hash = bytesHash(der);
  const bucket = normalized.get(hash);
  if (bucket) {
    for (const entry of bucket) if (sameBytes(entry.der, der)) return entry.normalized;
  }
  const value = normalizeDN(decoded);
  if (entries >= MAX_ENTRIES) {
    normalized.clear();
    entries = 0;
  }
  const entry = { der: ownCopy(der), normalized: value };
  const list = normalized.get(hash);
  if (list) list.push(entry);
  else normalized.set(hash, [entry]);
  entries++;
  return value;
}
