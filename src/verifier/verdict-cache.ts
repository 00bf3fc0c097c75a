/**
 * The verifier's memory of verdicts for chains it has seen: a bounded LRU per verifier, keyed
 * by client, server name and the presented input, dropped whole when the trust store's
 * version changes. An entry is only served for a validation time inside the window where
 * every certificate of its chain is valid, so a cached success never outlives the earliest
 * notAfter (nor precedes the latest notBefore).
 *
 * The key is a fingerprint, not a hash: the length and last octets of each DER (which lie
 * inside its signature, so two different certificates practically never share them), and an
 * entry holds the presented bytes themselves and is served only when they are equal to the
 * request's, byte for byte. A SHA-256 over the whole input cost ~1.5-3 µs per handshake
 * (a tenth of an RSA-2048 verify) and still left a hash to trust; a colliding fingerprint
 * here only costs a miss.
 *
 * Admission on the second sighting: a chain's verdict is stored the second time the chain is
 * verified, the first only leaves its fingerprint. Most handshakes of a busy server are new
 * leaves that never return within the cache's lifetime, and storing each one's verdict (with
 * its parsed leaf, ~7 KB) cost every cold validation an insertion, an eviction and the garbage
 * collection of objects that lived just long enough to be promoted. A client that comes back
 * pays one more validation, then hits.
 */

import { sameBytes } from '../bytes.js';
import { Certificate } from '../certificate.js';
import type { CertificateInput } from '../input.js';
import type { Verdict } from './verdict.js';

/** Default number of verdicts kept. */
export const DEFAULT_VERDICT_CACHE_SIZE = 10_000;

/** The presented input, flattened: DER views and PEM texts, in order. */
type Part = Uint8Array | string;

/** A request as the cache sees it: its key and the parts an entry must equal. */
export interface Probe {
  readonly key: string;
  readonly parts: readonly Part[];
}

interface Entry {
  readonly verdict: Verdict;
  /** Copies of the presented parts (or the chain's own DER when equal): never caller memory. */
  readonly parts: readonly Part[];
  /** The window (ms since the epoch, inclusive) in which `verdict` holds. */
  readonly fromMs: number;
  readonly untilMs: number;
}

/** Octets of each DER taken into the key: enough to tell signatures apart. */
const TAIL_OCTETS = 6;
/** Characters of each PEM text taken into the key: the END line and some signature. */
const TAIL_CHARS = 96;
/** Nesting of input arrays looked into; deeper inputs are not cached. */
const MAX_DEPTH = 8;
/** A separator no fingerprint contains at its start (they begin with `d` or `s`). */
const BETWEEN = '|';

/** Bounded LRU of verdicts; one per verifier. */
export class VerdictCache {
  readonly #entries = new Map<string, Entry>();
  /** Fingerprints seen once, not yet admitted; emptied when it reaches the capacity. */
  readonly #seen = new Set<string>();
  readonly #capacity: number;
  #version = -1;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /**
   * The probe for a request, or `undefined` when its input has a shape the cache does not
   * key (the request is then verified without the cache).
   */
  probe(
    clientId: string,
    serverName: string | undefined,
    certificate: CertificateInput,
    intermediates: CertificateInput | undefined,
  ): Probe | undefined {
    const parts: Part[] = [];
    if (!flatten(certificate, parts, 0)) return undefined;
    const leafParts = parts.length;
    if (intermediates !== undefined && !flatten(intermediates, parts, 0)) return undefined;
    let key = `${clientId.length}:${clientId}${BETWEEN}${serverName === undefined ? '-' : `+${serverName.length}:${serverName}`}${BETWEEN}${leafParts}`;
    for (const part of parts) key += fingerprint(part);
    return { key, parts };
  }

  /** The verdict for `probe` if it holds at `atMs` under store `version`. */
  get(probe: Probe, version: number, atMs: number): Verdict | undefined {
    this.#sync(version);
    const entry = this.#entries.get(probe.key);
    if (!entry || !sameParts(entry.parts, probe.parts)) return undefined;
    if (atMs < entry.fromMs || atMs > entry.untilMs) return undefined;
    this.#entries.delete(probe.key);
    this.#entries.set(probe.key, entry);
    return entry.verdict;
  }

  /**
   * Remembers `verdict`, valid while every certificate of `chain` is, if this is the second
   * time the probe's chain is stored. Only verdicts that depend on nothing but the bytes, the
   * store and the time should be stored.
   */
  set(probe: Probe, version: number, verdict: Verdict, chain: readonly Certificate[]): void {
    if (this.#capacity === 0 || chain.length === 0) return;
    this.#sync(version);
    if (!this.#seen.delete(probe.key) && !this.#entries.has(probe.key)) {
      if (this.#seen.size >= this.#capacity) this.#seen.clear();
      this.#seen.add(probe.key);
      return;
    }
    let fromMs = Number.NEGATIVE_INFINITY;
    let untilMs = Number.POSITIVE_INFINITY;
    for (const cert of chain) {
      fromMs = Math.max(fromMs, cert.notBeforeMs);
      untilMs = Math.min(untilMs, cert.notAfterMs);
    }
    const parts = probe.parts.map((part) => held(part, chain));
    this.#entries.delete(probe.key);
    this.#entries.set(probe.key, { verdict, parts, fromMs, untilMs });
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
    this.#seen.clear();
  }

  #sync(version: number): void {
    if (version !== this.#version) {
      this.#version = version;
      this.clear();
    }
  }
}

/** Appends the parts of one input; `false` for a shape the cache does not key. */
function flatten(input: unknown, out: Part[], depth: number): boolean {
  if (input instanceof Uint8Array) out.push(input);
  else if (input instanceof ArrayBuffer) out.push(new Uint8Array(input));
  else if (input instanceof Certificate) out.push(input.der);
  else if (typeof input === 'string') out.push(input);
  else if (Array.isArray(input)) {
    if (depth >= MAX_DEPTH) return false;
    // An array's extent is part of the key, so [[a, b]] and [a, [b]] stay apart.
    out.push(`[${input.length}`);
    for (const item of input) if (!flatten(item, out, depth + 1)) return false;
  } else {
    const raw = (input as { raw?: unknown } | null)?.raw;
    if (!(raw instanceof Uint8Array)) return false;
    out.push(raw);
  }
  return true;
}

function fingerprint(part: Part): string {
  if (typeof part === 'string') {
    return `${BETWEEN}s${part.length}:${part.length > TAIL_CHARS ? part.slice(-TAIL_CHARS) : part}`;
  }
  // Two numbers of 24 bits from the last six octets: a number prints in one step, where a
  // string of octets is built one character at a time.
  const n = part.length;
  let high = 0;
  let low = 0;
  for (let i = Math.max(0, n - TAIL_OCTETS); i < n; i++) {
    high = ((high << 8) | (low >>> 16)) & 0xffffff;
    low = ((low << 8) | part[i]!) & 0xffffff;
  }
  return `${BETWEEN}d${n}:${high.toString(36)}.${low.toString(36)}`;
}

function sameParts(a: readonly Part[], b: readonly Part[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (typeof x === 'string' || typeof y === 'string' ? x !== y : !sameBytes(x, y)) return false;
  }
  return true;
}

/**
 * What an entry keeps of a part: the chain's own DER when the part is that certificate (it is
 * already a private copy), else a copy, since the caller may reuse its buffer.
 */
function held(part: Part, chain: readonly Certificate[]): Part {
  if (typeof part === 'string') return part;
  for (const cert of chain) if (sameBytes(cert.der, part)) return cert.der;
  return new Uint8Array(part);
}
