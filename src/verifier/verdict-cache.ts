/**
 * The verifier's memory of verdicts for chains it has seen: a bounded LRU keyed by client, a
 * SHA-256 over the presented bytes (leaf and intermediates), the server name and the trust
 * store's version. An entry is only served for a validation time inside the window where
 * every certificate of its chain is valid, so a cached success never outlives the earliest
 * notAfter (nor precedes the latest notBefore). A store change empties the cache.
 */

import { createHash, type Hash } from 'node:crypto';
import { Certificate } from '../certificate.js';
import type { CertificateInput } from '../input.js';
import type { Verdict } from './verdict.js';

/** Default number of verdicts kept. */
export const DEFAULT_VERDICT_CACHE_SIZE = 10_000;

interface Entry {
  readonly verdict: Verdict;
  /** The window (ms since the epoch, inclusive) in which `verdict` holds. */
  readonly fromMs: number;
  readonly untilMs: number;
}

/** Bounded LRU of verdicts; one per verifier. */
export class VerdictCache {
  readonly #entries = new Map<string, Entry>();
  readonly #capacity: number;
  #version = -1;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** The verdict for `key` if it holds at `atMs` under store `version`. */
  get(key: string, version: number, atMs: number): Verdict | undefined {
    this.#sync(version);
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (atMs < entry.fromMs || atMs > entry.untilMs) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.verdict;
  }

  /**
   * Remembers `verdict`, valid while every certificate of `chain` is. Only verdicts that
   * depend on nothing but the bytes, the store and the time should be stored.
   */
  set(key: string, version: number, verdict: Verdict, chain: readonly Certificate[]): void {
    if (this.#capacity === 0 || chain.length === 0) return;
    this.#sync(version);
    let fromMs = Number.NEGATIVE_INFINITY;
    let untilMs = Number.POSITIVE_INFINITY;
    for (const cert of chain) {
      fromMs = Math.max(fromMs, cert.notBeforeMs);
      untilMs = Math.min(untilMs, cert.notAfterMs);
    }
    this.#entries.delete(key);
    this.#entries.set(key, { verdict, fromMs, untilMs });
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  /** Number of verdicts held. */
  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }

  #sync(version: number): void {
    if (version !== this.#version) {
      this.#version = version;
      this.#entries.clear();
    }
  }
}

/**
 * The cache key of a request. The input is hashed as given, without parsing: the same chain
 * as PEM text and as DER gives two keys, which only costs a miss. Each part is tagged and
 * length-prefixed so that no two different inputs hash alike.
 */
export function verdictKey(
  clientId: string,
  serverName: string | undefined,
  certificate: CertificateInput,
  intermediates: CertificateInput | undefined,
): string | undefined {
  const hash = createHash('sha256');
  if (!feed(hash, certificate, 0)) return undefined;
  hash.update('|');
  if (intermediates !== undefined && !feed(hash, intermediates, 0)) return undefined;
  const name = serverName === undefined ? '-' : `+${serverName.length}:${serverName}`;
  return `${clientId.length}:${clientId}|${name}|${hash.digest('base64')}`;
}

/** Hashes one input; `false` for a shape it does not know (the request is then not cached). */
function feed(hash: Hash, input: unknown, depth: number): boolean {
  if (input instanceof Uint8Array) return bytes(hash, 'd', input);
  if (input instanceof ArrayBuffer) return bytes(hash, 'd', new Uint8Array(input));
  if (input instanceof Certificate) return bytes(hash, 'd', input.der);
  if (typeof input === 'string') {
    hash.update(`s${input.length}:`);
    hash.update(input);
    return true;
  }
  if (Array.isArray(input)) {
    if (depth > 8) return false;
    hash.update(`a${input.length}:`);
    return input.every((item) => feed(hash, item, depth + 1));
  }
  const raw = (input as { raw?: unknown } | null)?.raw;
  if (raw instanceof Uint8Array) return bytes(hash, 'd', raw);
  return false;
}

function bytes(hash: Hash, tag: string, data: Uint8Array): boolean {
  hash.update(`${tag}${data.length}:`);
  hash.update(data);
  return true;
}
