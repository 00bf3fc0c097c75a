/**
 * ChainCache: what `buildChain` may remember between calls, held by the caller (one per
 * verifier or per trust store), never in a module global.
 *
 * - Parsed intermediates by their DER, in a bounded LRU. The crypto backends cache a prepared
 *   public key per Certificate object, so a remembered intermediate also keeps its key.
 * - Verified issuer → subject signature links, in a WeakMap keyed by the subject Certificate
 *   object: an entry lives as long as the subject does, so the LRU above and the trust
 *   bundles bound it. Whether a key verifies a signature depends on the bytes alone and so
 *   can never go stale; a cache bound to a TrustStore nevertheless drops everything when the
 *   store's version changes, so that removed anchors are released at once.
 *
 * With both, a new leaf under a known intermediate costs one leaf parse and one signature.
 *
 * Once the LRU is full, an intermediate enters it on its second sighting: the first is parsed
 * in place (not copied, not kept) and only marked. A stream of intermediates that never come
 * back (a scan, a flood, many one-off chains) then neither evicts the ones every handshake
 * uses nor makes the collector promote and later sweep each of them: cycling 192 new
 * intermediates through 32 entries cost 20-35 µs per validation beyond the crypto with every
 * one kept, 10-12 µs without (RSA-2048, measured). Below capacity nothing is evicted, so
 * everything is kept at once.
 */

import { ownCopy, sameBytes } from '../bytes.js';
import { type Certificate, Certificate as CertificateClass } from '../certificate.js';
import type { TrustStore } from '../trust/trust-store.js';
import { Lru } from './lru.js';

/** Options of {@link ChainCache}. */
export interface ChainCacheOptions {
  /** Most parsed intermediates kept (default 1,000). */
  maxCertificates?: number;
  /** When given, the cache empties itself whenever the store's version changes. */
  store?: TrustStore;
}

/** Memory for `buildChain` across calls; pass the same instance as `options.cache`. */
export class ChainCache {
  #certificates: Lru<number, Certificate>;
  /**
   * subject → the issuer that verified it, or a WeakSet when more than one did (cross-signed
   * intermediates). Most subjects have one issuer, and a WeakSet per new leaf was an
   * allocation (and GC work) on every cold validation. The single issuer is held strongly
   * while the subject lives, which the anchors and the LRU bound anyway.
   */
  #links = new WeakMap<Certificate, Certificate | WeakSet<Certificate>>();
  /** Held intermediates whose signature chains, link by link, to a trust anchor. */
  #anchored = new WeakSet<Certificate>();
  readonly #store: TrustStore | undefined;
  #storeVersion: number;
  /**
   * Keys of intermediates seen once while the LRU was full, by their low bits. An overwritten
   * slot costs one more parse; a false match admits an intermediate one sighting early.
   */
  readonly #seen: Int32Array;

  constructor(options: ChainCacheOptions = {}) {
    const max = options.maxCertificates ?? 1000;
    if (!Number.isInteger(max) || max < 0) {
      throw new TypeError('ChainCache: maxCertificates must be a non-negative integer');
    }
    this.#certificates = new Lru(max);
    this.#store = options.store;
    this.#storeVersion = options.store?.version ?? 0;
    let slots = 16;
    while (slots < max * 2 && slots < 1 << 16) slots *= 2;
    this.#seen = new Int32Array(slots);
  }

  /**
   * The Certificate for these DER bytes: the remembered one, or a new parse (remembered).
   * Throws MtlsError `malformed` as `Certificate.fromDER` does.
   */
  certificate(der: Uint8Array): Certificate {
    this.#sync();
    // Keyed by a hash of the length and the last 12 octets, which lie inside the signature
    // and so differ between any two certificates that are not copies; the full bytes are
    // then compared. Hashing or stringifying the whole DER (~1-1.8 µs for 900 octets,
    // measured) would cost every call more than a collision costs one. Anyone can craft a
    // collision (a copy of a real intermediate keeps its last octets, signature included), so
    // a held certificate known to chain to a trust anchor keeps its slot against one that
    // collides: evicting it would cost its clients a parse, a key import and a signature on
    // every handshake. Any other is replaced, so that a crafted copy, first in (and signed, if
    // need be, by a CA of the attacker's own), cannot hold a real intermediate's slot.
    const key = tailKey(der);
    const known = this.#certificates.get(key);
    if (known) {
      if (sameBytes(known.der, der)) return known;
      if (this.#anchored.has(known)) return CertificateClass.fromDER(der);
    }
    if (this.#certificates.size >= this.#certificates.capacity && !this.#secondSighting(key)) {
      return CertificateClass.fromDER(der);
    }
    // Copy: the caller may reuse its buffer, and the parsed view must not change under us.
    const cert = CertificateClass.fromDER(ownCopy(der));
    this.#certificates.set(key, cert);
    return cert;
  }

  /** Whether `issuer`'s key is known to verify `subject`'s signature. */
  hasLink(subject: Certificate, issuer: Certificate): boolean {
    this.#sync();
    const known = this.#links.get(subject);
    if (known === undefined) return false;
    return known === issuer || (known instanceof WeakSet && known.has(issuer));
  }

  /**
   * Records that `issuer`'s key verifies `subject`'s signature; `issuerIsAnchor` when the
   * issuer is a trust anchor. A held subject signed by an anchor, or by a certificate itself
   * so signed, is known to chain to an anchor (see `certificate`).
   */
  addLink(subject: Certificate, issuer: Certificate, issuerIsAnchor = false): void {
    if (
      (issuerIsAnchor || this.#anchored.has(issuer)) &&
      this.#certificates.get(tailKey(subject.der)) === subject
    ) {
      this.#anchored.add(subject);
    }
    const known = this.#links.get(subject);
    if (known === undefined) {
      this.#links.set(subject, issuer);
    } else if (known instanceof WeakSet) {
      known.add(issuer);
    } else if (known !== issuer) {
      this.#links.set(subject, new WeakSet([known, issuer]));
    }
  }

  /** Forgets everything. */
  clear(): void {
    this.#certificates.clear();
    this.#links = new WeakMap();
    this.#anchored = new WeakSet();
    this.#seen.fill(0);
  }

  /** Number of parsed intermediates held. */
  get size(): number {
    return this.#certificates.size;
  }

  /** Whether `key` was marked before (the mark is then spent); marks it if not. */
  #secondSighting(key: number): boolean {
    const slot = key & (this.#seen.length - 1);
    // `| 0`: the table holds int32, the key is unsigned.
    if (this.#seen[slot] === (key | 0)) {
      this.#seen[slot] = 0;
      return true;
    }
    this.#seen[slot] = key;
    return false;
  }

  #sync(): void {
    if (this.#store && this.#store.version !== this.#storeVersion) {
      this.#storeVersion = this.#store.version;
      this.clear();
    }
  }
}

/** FNV-1a over the length and the last 12 octets of a DER. */
function tailKey(der: Uint8Array): number {
  const n = der.length;
  let hash = Math.imul(0x811c9dc5 ^ n, 0x01000193);
  for (let i = Math.max(0, n - 12); i < n; i++) hash = Math.imul(hash ^ der[i]!, 0x01000193);
  return hash >>> 0;
}
