/**
 * ChainCache: what `buildChain` may remember between calls, held by the caller (one per
 * verifier or per trust store), never in a module global.
 *
 * - Parsed intermediates by their DER, in a bounded LRU. The crypto backends cache a prepared
 *   public key per Certificate object, so a remembered intermediate also keeps its key.
 * - Verified issuer → subject signature links, in a WeakMap keyed by the subject Certificate
 *   object: an entry lives as long as both certificates do, so the LRU above and the trust
 *   bundles bound it. Whether a key verifies a signature depends on the bytes alone and so
 *   can never go stale; a cache bound to a TrustStore nevertheless drops everything when the
 *   store's version changes, so that removed anchors are released at once.
 *
 * With both, a new leaf under a known intermediate costs one leaf parse and one signature.
 */

import { type Certificate, Certificate as CertificateClass, sameBytes } from '../certificate.js';
import { bytesKey } from '../trust/bytes-key.js';
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
  #certificates: Lru<string, Certificate>;
  #links = new WeakMap<Certificate, WeakSet<Certificate>>();
  readonly #store: TrustStore | undefined;
  #storeVersion: number;

  constructor(options: ChainCacheOptions = {}) {
    const max = options.maxCertificates ?? 1000;
    if (!Number.isInteger(max) || max < 0) {
      throw new TypeError('ChainCache: maxCertificates must be a non-negative integer');
    }
    this.#certificates = new Lru(max);
    this.#store = options.store;
    this.#storeVersion = options.store?.version ?? 0;
  }

  /**
   * The Certificate for these DER bytes: the remembered one, or a new parse (remembered).
   * Throws MtlsError `malformed` as `Certificate.fromDER` does.
   */
  certificate(der: Uint8Array): Certificate {
    this.#sync();
    // Keyed by the length and the last 32 octets, which lie inside the signature and so
    // differ between any two certificates that are not copies; the full bytes are then
    // compared. Cheaper than hashing or stringifying a whole DER on every call.
    const key = `${der.length}:${bytesKey(der.subarray(der.length - 32))}`;
    const known = this.#certificates.get(key);
    if (known && sameBytes(known.der, der)) return known;
    // Copy: the caller may reuse its buffer, and the parsed view must not change under us.
    const cert = CertificateClass.fromDER(der.slice());
    this.#certificates.set(key, cert);
    return cert;
  }

  /** Whether `issuer`'s key is known to verify `subject`'s signature. */
  hasLink(subject: Certificate, issuer: Certificate): boolean {
    this.#sync();
    return this.#links.get(subject)?.has(issuer) === true;
  }

  /** Records that `issuer`'s key verifies `subject`'s signature. */
  addLink(subject: Certificate, issuer: Certificate): void {
    let set = this.#links.get(subject);
    if (!set) {
      set = new WeakSet();
      this.#links.set(subject, set);
    }
    set.add(issuer);
  }

  /** Forgets everything. */
  clear(): void {
    this.#certificates.clear();
    this.#links = new WeakMap();
  }

  /** Number of parsed intermediates held. */
  get size(): number {
    return this.#certificates.size;
  }

  #sync(): void {
    if (this.#store && this.#store.version !== this.#storeVersion) {
      this.#storeVersion = this.#store.version;
      this.clear();
    }
  }
}
