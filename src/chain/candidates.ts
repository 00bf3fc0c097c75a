/**
 * Issuer lookup: the certificates whose subject name is a certificate's issuer name, among
 * the anchors of every bundle and the presented intermediates, best first.
 *
 * Names are compared as DER, byte for byte, through the bundles' indexes (no scan). RFC 5280
 * §7.1 asks for RFC 4518 string preparation before comparison, but CAs copy their subject
 * into the issuer field of what they sign, so the bytes match in every chain we have met
 * (webpki and Go compare bytes too).
 */

import { type Certificate, sameBytes } from '../certificate.js';
import { bytesKey } from '../trust/bytes-key.js';
import type { TrustBundle } from '../trust/trust-bundle.js';

/** A possible issuer: an anchor (with its bundle) or a presented intermediate. */
export interface Candidate {
  readonly cert: Certificate;
  /** The bundle when the candidate is an anchor. */
  readonly bundle: TrustBundle | undefined;
}

/** Presented intermediates indexed by subject name. */
export class Presented {
  readonly #bySubject = new Map<string, Certificate[]>();

  constructor(certificates: readonly Certificate[]) {
    // Duplicates by identity only: a duplicate by value costs a candidate step, never a
    // wrong answer (the loop check stops it), and hashing every DER would cost every call.
    const seen = new Set<Certificate>();
    for (const cert of certificates) {
      if (seen.has(cert)) continue;
      seen.add(cert);
      const key = bytesKey(cert.subjectDer);
      const list = this.#bySubject.get(key);
      if (list) list.push(cert);
      else this.#bySubject.set(key, [cert]);
    }
  }

  bySubject(nameDer: Uint8Array): readonly Certificate[] {
    return this.#bySubject.get(bytesKey(nameDer)) ?? [];
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
  for (const bundle of bundles) {
    for (const anchor of bundle.bySubject(cert.issuerDer)) {
      out.push({ c: { cert: anchor, bundle }, rank: keyIdRank(cert, anchor) * 2 });
    }
  }
  for (const inter of presented.bySubject(cert.issuerDer)) {
    out.push({ c: { cert: inter, bundle: undefined }, rank: keyIdRank(cert, inter) * 2 + 1 });
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
