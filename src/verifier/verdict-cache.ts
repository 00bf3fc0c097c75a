/**
 * The verifier's memory of verdicts for chains it has seen: a bounded LRU per verifier, keyed
 * by client, server name and the presented input, dropped whole when the trust store's
 * version changes. An entry is only served for a validation time inside the window where
 * every certificate of its chain is valid, so a cached success never outlives the earliest
 * notAfter (nor precedes the latest notBefore).
 *
 * The key is a 32-bit fingerprint, not a cryptographic hash: of the client id, the server
 * name, the length and last octets of each DER (which lie inside its signature, so two
 * different certificates practically never share them), and of a PEM text its length and the
 * characters before each END line (the same, in base64). An entry holds the client id, the
 * server name and the presented bytes themselves, and is served only when all are equal to
 * the request's, byte for byte. A SHA-256
 * over the whole input cost ~1.5-3 µs per handshake (a tenth of an RSA-2048 verify) and still
 * left a hash to trust; a string key cost its building and, kept, the garbage collector's
 * time. Requests whose fingerprints collide replace each other's entry, so a collision, even
 * a crafted one, costs misses and never serves one request another's verdict.
 *
 * Admission on the second sighting: a chain's verdict is stored the second time the chain is
 * verified; the first only marks its fingerprint in a fixed table. Most handshakes of a busy
 * server are new leaves that never return within the cache's lifetime, and storing each one's
 * verdict (with its parsed leaf, ~7 KB) cost every cold validation an insertion, an eviction
 * and the garbage collection of objects that lived just long enough to be promoted. A client
 * that comes back pays one more validation, then hits.
 */

import { ownCopy, sameBytes } from '../bytes.js';
import { Certificate } from '../certificate.js';
import type { CertificateInput } from '../input.js';
import type { Verdict } from './verdict.js';

/** Default number of verdicts kept. */
export const DEFAULT_VERDICT_CACHE_SIZE = 10_000;

/** The presented input, flattened: DER views and PEM texts, in order. */
type Part = Uint8Array | string;

/**
 * A request as the cache sees it: its fingerprint and what an entry must equal. The input is
 * flattened into parts only when an entry is compared or stored: most probes of a busy server
 * are first sightings, which need the fingerprint alone.
 */
export interface Probe {
  readonly fingerprint: number;
  readonly clientId: string;
  readonly serverName: string | undefined;
  readonly certificate: CertificateInput;
  readonly intermediates: CertificateInput | undefined;
}

interface Entry {
  readonly fingerprint: number;
  readonly clientId: string;
  readonly serverName: string | undefined;
  readonly parts: readonly Part[];
  readonly verdict: Verdict;
  /** The window (ms since the epoch, inclusive) in which `verdict` holds. */
  readonly fromMs: number;
  readonly untilMs: number;
}

/** Octets at the end of each DER taken into the fingerprint. */
const TAIL_OCTETS = 8;
/** Characters before each PEM END line taken in: the end of the block's signature. */
const TAIL_CHARS = 48;
/** Nesting of input arrays looked into; deeper inputs are not cached. */
const MAX_DEPTH = 8;

/** Bounded LRU of verdicts; one per verifier. */
export class VerdictCache {
  readonly #entries = new Map<number, Entry>();
  /**
   * Fingerprints seen once, not yet admitted: a fixed table indexed by the fingerprint's low
   * bits. An overwritten slot forgets a first sighting (one more validation); a false match
   * admits a chain one sighting early. Neither changes a verdict.
   */
  readonly #seen: Int32Array;
  readonly #capacity: number;
  #version = -1;

  constructor(capacity: number) {
    this.#capacity = capacity;
    let slots = 16;
    while (slots < capacity * 2 && slots < 1 << 20) slots *= 2;
    this.#seen = new Int32Array(slots);
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
    let h: number | undefined = mixText(FNV_OFFSET, clientId, 256);
    h = serverName === undefined ? mix(h, 0x2d) : mixText(mix(h, 0x2b), serverName, 255);
    h = hashInput(certificate, h, 0);
    if (h === undefined) return undefined;
    // Where the leaf's parts end is part of the identity (see partsOf).
    h = mix(h, SPLIT_MARK);
    if (intermediates !== undefined) {
      h = hashInput(intermediates, h, 0);
      if (h === undefined) return undefined;
    }
    return { fingerprint: h, clientId, serverName, certificate, intermediates };
  }

  /** The verdict for `probe` if it holds at `atMs` under store `version`. */
  get(probe: Probe, version: number, atMs: number): Verdict | undefined {
    this.#sync(version);
    const entry = this.#entries.get(probe.fingerprint);
    if (!entry) return undefined;
    const parts = partsOf(probe);
    if (!parts || !sameRequest(entry, probe, parts)) return undefined;
    if (atMs < entry.fromMs || atMs > entry.untilMs) return undefined;
    this.#entries.delete(probe.fingerprint);
    this.#entries.set(probe.fingerprint, entry);
    return entry.verdict;
  }

  /**
   * Remembers `verdict`, valid while every certificate of `chain` is, if this is the second
   * time the probe's chain is stored, and returns the verdict to answer with: as kept, when it
   * was kept (see `owned`), else `verdict` itself. Only verdicts that depend on nothing but
   * the bytes, the store and the time should be stored.
   */
  set(probe: Probe, version: number, verdict: Verdict, chain: readonly Certificate[]): Verdict {
    if (this.#capacity === 0 || chain.length === 0) return verdict;
    // Reached under an older store (an asynchronous check that outlived a change): not kept,
    // and what was kept since the change stays.
    if (version < this.#version) return verdict;
    this.#sync(version);
    const { fingerprint } = probe;
    const slot = fingerprint & (this.#seen.length - 1);
    // `| 0`: the table holds int32, the fingerprint is unsigned.
    if (this.#seen[slot] !== (fingerprint | 0) && !this.#entries.has(fingerprint)) {
      this.#seen[slot] = fingerprint;
      return verdict;
    }
    this.#seen[slot] = 0;
    let fromMs = Number.NEGATIVE_INFINITY;
    let untilMs = Number.POSITIVE_INFINITY;
    for (const cert of chain) {
      fromMs = Math.max(fromMs, cert.notBeforeMs);
      untilMs = Math.min(untilMs, cert.notAfterMs);
    }
    const parts = partsOf(probe);
    if (!parts) return verdict;
    const kept = owned(verdict, parts);
    const certificates = kept.ok ? kept.chain : kept.certificate ? [kept.certificate] : [];
    const entry: Entry = {
      fingerprint,
      clientId: probe.clientId,
      serverName: probe.serverName,
      parts: parts.map((part) => held(part, certificates)),
      verdict: kept,
      fromMs,
      untilMs,
    };
    this.#entries.delete(fingerprint);
    this.#entries.set(fingerprint, entry);
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    return kept;
  }

  /** Number of verdicts held. */
  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
    this.#seen.fill(0);
  }

  #sync(version: number): void {
    if (version !== this.#version) {
      this.#version = version;
      this.clear();
    }
  }
}

/** Marks the end of the leaf's parts (no input flattens to it: it is not a part we make). */
const SPLIT = '\u0000split';
/** The same mark in the fingerprint, and the mark of an array's extent. */
const SPLIT_MARK = 0x5350;
const ARRAY_MARK = 0x5b00;

/**
 * The request's input flattened: DER views and PEM texts in order, with the extent of each
 * array and the end of the leaf's parts marked ([leaf, inter] as the certificate and [leaf] +
 * [inter] are different requests: they mean the same, but need not hit).
 */
function partsOf(probe: Probe): Part[] | undefined {
  const parts: Part[] = [];
  // `undefined` if the input changed shape since the probe (a getter answering differently).
  if (!flatten(probe.certificate, parts, 0)) return undefined;
  parts.push(SPLIT);
  if (probe.intermediates !== undefined && !flatten(probe.intermediates, parts, 0)) {
    return undefined;
  }
  return parts;
}

/**
 * The fingerprint `h` with `input` mixed in, walking it as `flatten` does (the length and
 * tail of each part, the extent of each array), or `undefined` for a shape `flatten` refuses.
 */
function hashInput(input: unknown, h: number, depth: number): number | undefined {
  if (input instanceof Uint8Array) return mixTail(mix(h, input.length), input);
  if (input instanceof ArrayBuffer) return mixTail(mix(h, input.byteLength), new Uint8Array(input));
  if (input instanceof Certificate) return mixTail(mix(h, input.der.length), input.der);
  if (typeof input === 'string') return mixPem(mix(h, input.length), input);
  if (Array.isArray(input)) {
    if (depth >= MAX_DEPTH) return undefined;
    let out: number | undefined = mix(mix(h, ARRAY_MARK), input.length);
    for (const item of input) {
      out = hashInput(item, out, depth + 1);
      if (out === undefined) return undefined;
    }
    return out;
  }
  const raw = (input as { raw?: unknown } | null)?.raw;
  return raw instanceof Uint8Array ? mixTail(mix(h, raw.length), raw) : undefined;
}

/** Appends the parts of one input; `false` for a shape the cache does not key. */
function flatten(input: unknown, out: Part[], depth: number): boolean {
  if (input instanceof Uint8Array) out.push(input);
  else if (input instanceof ArrayBuffer) out.push(new Uint8Array(input));
  else if (input instanceof Certificate) out.push(input.der);
  else if (typeof input === 'string') out.push(input);
  else if (Array.isArray(input)) {
    if (depth >= MAX_DEPTH) return false;
    // An array's extent is part of the identity, so [[a, b]] and [a, [b]] stay apart.
    out.push(`\u0000[${input.length}`);
    for (const item of input) if (!flatten(item, out, depth + 1)) return false;
  } else {
    const raw = (input as { raw?: unknown } | null)?.raw;
    if (!(raw instanceof Uint8Array)) return false;
    out.push(raw);
  }
  return true;
}

const FNV_OFFSET = 0x811c9dc5;
const mix = (h: number, value: number) => Math.imul(h ^ value, 0x01000193) >>> 0;

/** Mixes in the last `count` UTF-16 units of `text` (an entry compares the whole text). */
function mixText(h: number, text: string, count: number): number {
  for (let i = Math.max(0, text.length - count); i < text.length; i++)
    h = mix(h, text.charCodeAt(i));
  return h;
}

/**
 * The characters before each END line of a PEM text: the end of each block's base64, which
 * holds its signature. The text's own last characters are an END line, the same for every
 * chain that ends with one intermediate, and hashing the whole text cost 1.3-5 µs a probe.
 */
function mixPem(h: number, text: string): number {
  let from = 0;
  // Past that many blocks the request is refused anyway (MAX_PRESENTED), and an entry is
  // still compared whole: the rest need not cost a crafted text anything more.
  for (let blocks = 0; blocks < PEM_BLOCKS; blocks++) {
    const end = text.indexOf(PEM_END, from);
    if (end === -1) break;
    for (let i = Math.max(from, end - TAIL_CHARS); i < end; i++) h = mix(h, text.charCodeAt(i));
    from = end + PEM_END.length;
  }
  return mixText(h, text, TAIL_CHARS);
}

const PEM_END = '-----END';
const PEM_BLOCKS = 2 * 64 + 2;

function mixTail(h: number, bytes: Uint8Array): number {
  for (let i = Math.max(0, bytes.length - TAIL_OCTETS); i < bytes.length; i++)
    h = mix(h, bytes[i]!);
  return h;
}

function sameRequest(entry: Entry, probe: Probe, parts: readonly Part[]): boolean {
  if (entry.clientId !== probe.clientId || entry.serverName !== probe.serverName) return false;
  const a = entry.parts;
  const b = parts;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (typeof x === 'string' || typeof y === 'string' ? x !== y : !sameBytes(x, y)) return false;
  }
  return true;
}

/**
 * What an entry keeps of a part: the DER of one of the kept verdict's certificates when the
 * part is that certificate (`owned` made it private), else a copy.
 */
function held(part: Part, certificates: readonly Certificate[]): Part {
  if (typeof part === 'string') return part;
  for (const cert of certificates) if (sameBytes(cert.der, part)) return cert.der;
  return ownCopy(part);
}

/**
 * `verdict` with every certificate that views the request's memory re-read from a copy. The
 * verifier parses a request's DER in place (decide.ts) and the verdict it returns views the
 * caller's buffer, which the caller may reuse once the request is done; a kept verdict is
 * served to later requests and must not change with it. A certificate views the request's
 * memory when its DER lies in the same ArrayBuffer as a presented part (Node's pooled Buffers
 * make this over-approximate: then a private certificate is copied once more).
 */
function owned(verdict: Verdict, parts: readonly Part[]): Verdict {
  const copies = new Map<Certificate, Certificate>();
  const own = (cert: Certificate): Certificate => {
    let copy = copies.get(cert);
    if (copy === undefined) {
      const shared = parts.some((p) => typeof p !== 'string' && p.buffer === cert.der.buffer);
      copy = shared ? Certificate.fromDER(ownCopy(cert.der)) : cert;
      copies.set(cert, copy);
    }
    return copy;
  };
  if (verdict.ok) {
    const chain = verdict.chain.map(own);
    if (chain.every((cert, i) => cert === verdict.chain[i])) return verdict;
    return Object.freeze({
      ...verdict,
      certificate: own(verdict.certificate),
      chain: Object.freeze(chain),
      anchor: own(verdict.anchor),
    });
  }
  if (verdict.certificate === undefined) return verdict;
  const certificate = own(verdict.certificate);
  return certificate === verdict.certificate ? verdict : Object.freeze({ ...verdict, certificate });
}
