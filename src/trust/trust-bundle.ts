/**
 * A named set of trust anchors. Every certificate in a bundle is an anchor, self-signed or
 * not: mTLS deployments often trust an issuing intermediate directly, and RFC 5280 §6.1.1(d)
 * defines an anchor as a name and a key, not as a root.
 *
 * Anchors are indexed by subject name (DER, byte for byte) and by subject key identifier, so
 * that finding the issuers of a certificate costs a map lookup whatever the bundle's size.
 */

import { bytesHash, bytesKey, sameBytes } from '../bytes.js';
import type { Certificate } from '../certificate.js';
import { normalizeDN } from '../dn.js';

let nextBundleId = 1;

/** A named, immutable set of trust anchors. Create through `TrustStore.addBundle`. */
export class TrustBundle {
  /** The bundle's name in its store. */
  readonly name: string;
  /** The anchors, in the order given, without exact duplicates. */
  readonly certificates: readonly Certificate[];
  /** Host names the bundle is meant for (free-form; the chain builder does not read them). */
  readonly hosts: readonly string[];
  /**
   * A number no other bundle of this process carries. Bundles are immutable, so a cache
   * keyed on it can never serve an answer computed for different anchors.
   */
  readonly id: number;

  /** By a hash of the subject's DER; a bucket may hold other names (compare before use). */
  readonly #bySubject = new Map<number, Certificate[]>();
  readonly #byKeyId = new Map<string, Certificate[]>();
  #byNormalizedName: Map<string, Certificate[]> | undefined;

  /** @internal Use `TrustStore.addBundle`, which validates the name and the input. */
  constructor(name: string, certificates: readonly Certificate[], hosts: readonly string[]) {
    this.name = name;
    this.hosts = Object.freeze([...hosts]);
    this.id = nextBundleId++;
    const kept: Certificate[] = [];
    for (const cert of certificates) {
      const subjectHash = bytesHash(cert.subjectDer);
      const bucket = this.#bySubject.get(subjectHash);
      if (bucket?.some((c) => sameBytes(c.der, cert.der))) continue;
      kept.push(cert);
      push(this.#bySubject, subjectHash, cert);
      const ski = cert.subjectKeyIdentifier;
      if (ski) push(this.#byKeyId, bytesKey(ski), cert);
    }
    this.certificates = Object.freeze(kept);
  }

  /** Anchors whose subject name equals `nameDer` byte for byte. */
  bySubject(nameDer: Uint8Array): readonly Certificate[] {
    return this.bySubjectHashed(nameDer, bytesHash(nameDer));
  }

  /**
   * @internal `bySubject` with the name's `bytesHash` already made: the chain builder looks
   * one issuer name up in up to five bundles and hashes it once.
   */
  bySubjectHashed(nameDer: Uint8Array, hash: number): readonly Certificate[] {
    const bucket = this.#bySubject.get(hash);
    if (!bucket) return EMPTY;
    // Nearly always every entry has the name; a collision costs a filtered copy.
    for (const c of bucket) {
      if (!sameBytes(c.subjectDer, nameDer)) {
        return bucket.filter((d) => sameBytes(d.subjectDer, nameDer));
      }
    }
    return bucket;
  }

  /**
   * Anchors whose subject is the same name as `normalizedName` (a `normalizeDN` string) under
   * RFC 4518 string preparation: the fallback of RFC 5280 §7.1 when no subject matches byte
   * for byte. The index is built on first use, once per bundle: about 13 µs per anchor
   * (126 ms for 10,000, measured), paid by the first certificate whose issuer no anchor
   * names byte for byte, rather than by every load.
   */
  byNormalizedSubject(normalizedName: string): readonly Certificate[] {
    this.#byNormalizedName ??= normalizedIndex(this.certificates);
    return this.#byNormalizedName.get(normalizedName) ?? EMPTY;
  }

  /** Anchors whose subjectKeyIdentifier equals `keyId`. */
  byKeyIdentifier(keyId: Uint8Array): readonly Certificate[] {
    return this.#byKeyId.get(bytesKey(keyId)) ?? EMPTY;
  }

  /** Whether this exact certificate (same DER) is one of the anchors. */
  has(cert: Certificate): boolean {
    // Through the name index: no anchor usually has a leaf's subject, so this costs a lookup.
    return this.bySubject(cert.subjectDer).some((c) => c === cert || sameBytes(c.der, cert.der));
  }

  get size(): number {
    return this.certificates.length;
  }

  toString(): string {
    return `TrustBundle(${this.name}, ${this.certificates.length} anchors)`;
  }
}

const EMPTY: readonly Certificate[] = Object.freeze([]);

/** Certificates by `normalizeDN` of their subject; names that do not normalize are left out. */
export function normalizedIndex(certificates: readonly Certificate[]): Map<string, Certificate[]> {
  const index = new Map<string, Certificate[]>();
  for (const cert of certificates) {
    const name = normalizedName(cert.subjectDer);
    if (name !== undefined) push(index, name, cert);
  }
  return index;
}

/** `normalizeDN` of a Name's DER, or `undefined` when it is not a name we can read. */
export function normalizedName(der: Uint8Array): string | undefined {
  try {
    return normalizeDN(der);
  } catch {
    return undefined;
  }
}

function push<K>(map: Map<K, Certificate[]>, key: K, cert: Certificate): void {
  const list = map.get(key);
  if (list) list.push(cert);
  else map.set(key, [cert]);
}
