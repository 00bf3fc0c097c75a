/**
 * Issuer lookup: the certificates whose subject name is a certificate's issuer name, among
 * the anchors of every bundle and the presented intermediates, best first.
 *
 * Names are compared as DER, byte for byte, through the bundles' indexes (no scan): CAs copy
 * their subject into the issuer field of what they sign, so the bytes match in nearly every
 * chain. Only when no certificate matches that way are names compared as RFC 5280 §7.1 asks,
 * after RFC 4518 string preparation (normalizeDN), as OpenSSL does; a CA that re-encoded its
 * name (PrintableString to UTF8String, other case) is then still found.
 */

import { bytesHash, sameBytes } from '../bytes.js';
import type { Certificate } from '../certificate.js';
import { normalizedIndex, normalizedName, type TrustBundle } from '../trust/trust-bundle.js';

/** A possible issuer: an anchor (with its bundle) or a presented intermediate. */
export interface Candidate {
  readonly cert: Certificate;
  /** The bundle when the candidate is an anchor. */
  readonly bundle: TrustBundle | undefined;
}

/**
 * Up to this many presented certificates are searched by comparing names directly: a client
 * sends one to three, and a few byte comparisons (which mostly stop at the length) cost less
 * than building a map of string keys on every handshake.
 */
const SCAN_LIMIT = 8;

/** Presented intermediates, searchable by subject name. */
export class Presented {
  readonly #all: Certificate[] = [];
  /** By `bytesHash` of the subject, past SCAN_LIMIT certificates; buckets are compared. */
  #bySubject: Map<number, Certificate[]> | undefined;
  #byNormalizedName: Map<string, Certificate[]> | undefined;

  constructor(certificates: readonly Certificate[]) {
    // Duplicates by identity only: a duplicate by value costs a candidate step, never a
    // wrong answer (the loop check stops it), and hashing every DER would cost every call.
    for (const cert of certificates) {
      if (!this.#all.includes(cert)) this.#all.push(cert);
    }
    if (this.#all.length > SCAN_LIMIT) {
      const index = new Map<number, Certificate[]>();
      for (const cert of this.#all) push(index, bytesHash(cert.subjectDer), cert);
      this.#bySubject = index;
    }
  }

  /** Presented certificates whose subject is `nameDer` byte for byte; `hash` is its bytesHash. */
  bySubject(nameDer: Uint8Array, hash: number): readonly Certificate[] {
    const list = this.#bySubject ? this.#bySubject.get(hash) : this.#all;
    let found: Certificate[] | undefined;
    for (const cert of list ?? NONE) {
      if (!sameBytes(cert.subjectDer, nameDer)) continue;
      if (found) found.push(cert);
      else found = [cert];
    }
    return found ?? NONE;
  }

  /** Presented certificates whose subject normalizes to `normalizedName`. */
  byNormalizedSubject(normalizedName: string): readonly Certificate[] {
    this.#byNormalizedName ??= normalizedIndex(this.#all);
    return this.#byNormalizedName.get(normalizedName) ?? NONE;
  }
}

const NONE: readonly Certificate[] = Object.freeze([]);

/**
 * How well `issuer` fits `cert`'s authorityKeyIdentifier: 0 when the key identifiers match,
 * 1 when either is absent, 2 when they differ. The identifier is a hint (RFC 5280 §4.2.1.1),
 * so a mismatch only moves a candidate to the end; its signature decides.
 */
function keyIdRank(cert: Certificate, issuer: Certificate): number {
  const aki = cert.authorityKeyIdentifier?.keyIdentifier;
  const ski = issuer.subjectKeyIdentifier;
  if (!aki || !ski) return 1;
  return sameBytes(aki, ski) ? 0 : 2;
}

/** Candidate issuers of `cert`, best first: key identifier match, then anchors first. */
export function candidatesFor(
  cert: Certificate,
  bundles: readonly TrustBundle[],
  presented: Presented,
): Candidate[] {
  // Nearly always one candidate: a one-element array, grown only for a second.
  // Indexed loops here and below: this runs once per link of every validation, and for-of
  // left an iterator object per loop in the profile (~0.3 KB per validation).
  let found: Candidate[] | undefined;
  const hash = bytesHash(cert.issuerDer);
  for (let b = 0; b < bundles.length; b++) {
    const bundle = bundles[b]!;
    const issuers = bundle.bySubjectHashed(cert.issuerDer, hash);
    for (let i = 0; i < issuers.length; i++) found = append(found, { cert: issuers[i]!, bundle });
  }
  const fromPresented = presented.bySubject(cert.issuerDer, hash);
  for (let i = 0; i < fromPresented.length; i++) {
    found = append(found, { cert: fromPresented[i]!, bundle: undefined });
  }
  if (found === undefined) {
    const name = normalizedName(cert.issuerDer);
    if (name === undefined) return [];
    for (const bundle of bundles) {
      for (const issuer of bundle.byNormalizedSubject(name)) {
        found = append(found, { cert: issuer, bundle });
      }
    }
    for (const issuer of presented.byNormalizedSubject(name)) {
      found = append(found, { cert: issuer, bundle: undefined });
    }
    if (found === undefined) return [];
  }
  // One candidate, the common case: nothing to order.
  if (found.length < 2) return found;
  const rank = (c: Candidate) => keyIdRank(cert, c.cert) * 2 + (c.bundle ? 0 : 1);
  // Array.prototype.sort is stable: equal ranks keep bundle order, then presentation order.
  const ranked = found.map((c) => ({ c, rank: rank(c) })).sort((a, b) => a.rank - b.rank);
  // The same certificate in two bundles, or presented and trusted, is one candidate: the
  // first (an anchor when it is one). Lists are a handful long, so comparing bytes is cheap.
  const unique: Candidate[] = [];
  for (const { c } of ranked) {
    if (!unique.some((u) => u.cert === c.cert || sameBytes(u.cert.der, c.cert.der))) unique.push(c);
  }
  return unique;
}

function append(list: Candidate[] | undefined, candidate: Candidate): Candidate[] {
  if (list === undefined) return [candidate];
  list.push(candidate);
  return list;
}

/**
 * The first bundle holding `leaf` itself (the same DER), if any: a pinned leaf is trusted as
 * it is. The subject's key is made once for every bundle.
 */
export function bundleHolding(
  leaf: Certificate,
  bundles: readonly TrustBundle[],
): TrustBundle | undefined {
  const hash = bytesHash(leaf.subjectDer);
  for (let b = 0; b < bundles.length; b++) {
    const named = bundles[b]!.bySubjectHashed(leaf.subjectDer, hash);
    for (let i = 0; i < named.length; i++) {
      const c = named[i]!;
      if (c === leaf || sameBytes(c.der, leaf.der)) return bundles[b];
    }
  }
  return undefined;
}

/**
 * Whether two certificates are the same CA for loop detection: the same subject name with the
 * same key. Compared in place, since a path holds a handful of certificates and most pairs
 * differ in the length of their names.
 */
export function sameCa(a: Certificate, b: Certificate): boolean {
  return a === b || (sameBytes(a.subjectDer, b.subjectDer) && sameBytes(a.spki, b.spki));
}

function push(map: Map<number, Certificate[]>, key: number, cert: Certificate): void {
  const list = map.get(key);
  if (list) list.push(cert);
  else map.set(key, [cert]);
}
