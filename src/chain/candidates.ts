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

import { type Certificate, sameBytes } from '../certificate.js';
import { bytesKey } from '../trust/bytes-key.js';
import { normalizedIndex, normalizedName, type TrustBundle } from '../trust/trust-bundle.js';

/** A possible issuer: an anchor (with its bundle) or a presented intermediate. */
export interface Candidate {
  readonly cert: Certificate;
  /** The bundle when the candidate is an anchor. */
  readonly bundle: TrustBundle | undefined;
}

/** Presented intermediates indexed by subject name. */
export class Presented {
  readonly #bySubject = new Map<string, Certificate[]>();
  readonly #all: Certificate[] = [];
  #byNormalizedName: Map<string, Certificate[]> | undefined;

  constructor(certificates: readonly Certificate[]) {
    // Duplicates by identity only: a duplicate by value costs a candidate step, never a
    // wrong answer (the loop check stops it), and hashing every DER would cost every call.
    const seen = new Set<Certificate>();
    for (const cert of certificates) {
      if (seen.has(cert)) continue;
      seen.add(cert);
      this.#all.push(cert);
      const key = bytesKey(cert.subjectDer);
      const list = this.#bySubject.get(key);
      if (list) list.push(cert);
      else this.#bySubject.set(key, [cert]);
    }
  }

  bySubject(nameDer: Uint8Array): readonly Certificate[] {
    return this.#bySubject.get(bytesKey(nameDer)) ?? [];
  }

  /** Presented certificates whose subject normalizes to `normalizedName`. */
  byNormalizedSubject(normalizedName: string): readonly Certificate[] {
    this.#byNormalizedName ??= normalizedIndex(this.#all);
    return this.#byNormalizedName.get(normalizedName) ?? [];
  }
}

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
  const out: { c: Candidate; rank: number }[] = [];
  const add = (found: readonly Certificate[], bundle: TrustBundle | undefined) => {
    for (const issuer of found) {
      out.push({
        c: { cert: issuer, bundle },
        rank: keyIdRank(cert, issuer) * 2 + (bundle ? 0 : 1),
      });
    }
  };
  for (const bundle of bundles) add(bundle.bySubject(cert.issuerDer), bundle);
  add(presented.bySubject(cert.issuerDer), undefined);
  if (out.length === 0) {
    const name = normalizedName(cert.issuerDer);
    if (name !== undefined) {
      for (const bundle of bundles) add(bundle.byNormalizedSubject(name), bundle);
      add(presented.byNormalizedSubject(name), undefined);
    }
  }
  // Array.prototype.sort is stable: equal ranks keep bundle order, then presentation order.
  out.sort((a, b) => a.rank - b.rank);
  // The same certificate in two bundles, or presented and trusted, is one candidate: the
  // first (an anchor when it is one). Lists are a handful long, so comparing bytes is cheap.
  const unique: Candidate[] = [];
  for (const { c } of out) {
    if (!unique.some((u) => u.cert === c.cert || sameBytes(u.cert.der, c.cert.der))) unique.push(c);
  }
  return unique;
}

/** Identity of a CA for loop detection: the same subject name with the same key. */
export function caIdentity(cert: Certificate): string {
  // Both parts are DER TLVs, so their concatenation is unambiguous.
  return bytesKey(cert.subjectDer) + bytesKey(cert.spki);
}
