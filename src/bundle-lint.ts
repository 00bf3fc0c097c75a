/**
 * Checks a trust bundle for certificates it should not carry. A bundle that loads is not
 * necessarily a good one: a leaf pasted in by mistake, a 1024-bit root, a SHA-1 signature or an
 * anchor about to expire all load fine and only show up as failures in production. Servers can
 * run this when they load their bundles; the CLI's `inspect` prints the same findings.
 */

import type { Certificate } from './certificate.js';
import { checkKeyStrength } from './crypto/algorithms.js';
import { type CertificateInput, parseCertificates } from './input.js';
import { OID } from './oids.js';
import type { PublicKeyInfo } from './public-key.js';

/** What a finding is about. */
export type BundleFindingKind =
  /** The certificate is not a CA (no basicConstraints cA=TRUE): it cannot issue client certificates. */
  | 'not-ca'
  /**
   * A key verification refuses: RSA under 2048 bits, a curve other than P-256, P-384 or
   * P-521, DSA, or an unknown key algorithm.
   */
  | 'weak-key'
  /** Signed with SHA-1 or MD5, hashes with known collisions. */
  | 'weak-signature'
  /** The same certificate (same DER) appears more than once. */
  | 'duplicate'
  /** notAfter is before the time of the check. */
  | 'expired'
  /** notBefore is after the time of the check. */
  | 'not-yet-valid'
  /** notAfter falls within the warning window (14 days by default). */
  | 'expiring';

/** One problem with one certificate of a bundle. */
export interface BundleFinding {
  readonly kind: BundleFindingKind;
  /**
   * `error`: the certificate is unusable or unsafe as an anchor (expired, not yet valid, not a
   * CA, weak key). `warning`: it works today but should be replaced or removed.
   */
  readonly severity: 'error' | 'warning';
  /** Position of the certificate in the bundle, from 0. */
  readonly index: number;
  readonly certificate: Certificate;
  /** One sentence for people, naming the certificate by subject. */
  readonly message: string;
}

/** Where a certificate stands in time. */
export type ValidityStatus = 'valid' | 'expiring' | 'expired' | 'not-yet-valid';

/** Options for {@link lintBundle} and {@link validityStatus}. */
export interface LintOptions {
  /** The time to check validity against. Default: now. */
  at?: Date;
  /** A certificate that expires within this many days is reported as `expiring`. Default 14. */
  expiringWithinDays?: number;
}

/** The default warning window before expiry, in days. */
export const EXPIRING_WITHIN_DAYS = 14;

const DAY_MS = 86_400_000;

const WEAK_SIGNATURES: Readonly<Record<string, string>> = {
  [OID.sha1WithRSAEncryption]: 'SHA-1',
  [OID.ecdsaWithSHA1]: 'SHA-1',
  '1.2.840.10040.4.3': 'SHA-1', // dsa-with-sha1
  '1.2.840.113549.1.1.4': 'MD5', // md5WithRSAEncryption
  '1.2.840.113549.1.1.2': 'MD2', // md2WithRSAEncryption
};

/**
 * Whether a certificate is valid, expiring soon, expired or not yet valid at a time. Bounds are
 * inclusive (RFC 5280 §4.1.2.5).
 *
 * @example
 * validityStatus(cert, { at: new Date('2026-06-01') }) // 'valid'
 */
export function validityStatus(
  certificate: Certificate,
  options: LintOptions = {},
): ValidityStatus {
  const at = (options.at ?? new Date()).getTime();
  const window = (options.expiringWithinDays ?? EXPIRING_WITHIN_DAYS) * DAY_MS;
  if (at > certificate.notAfterMs) return 'expired';
  if (at < certificate.notBeforeMs) return 'not-yet-valid';
  if (certificate.notAfterMs - at <= window) return 'expiring';
  return 'valid';
}

/**
 * Whole days from `at` until the certificate's notAfter, rounded down; negative once expired.
 */
export function daysLeft(certificate: Certificate, at: Date = new Date()): number {
  return Math.floor((certificate.notAfterMs - at.getTime()) / DAY_MS);
}

/**
 * Lints the certificates of a trust bundle. Returns the findings in bundle order (an empty
 * array for a clean bundle); never throws for a bad certificate, only for input that does not
 * parse (MtlsError 4018 `malformed`, as {@link parseCertificates}).
 *
 * @example
 * const findings = lintBundle(pem, { at: new Date() });
 * for (const f of findings) console.warn(`${f.severity}: ${f.message}`);
 */
export function lintBundle(
  certificates: CertificateInput,
  options: LintOptions = {},
): BundleFinding[] {
  const certs = parseCertificates(certificates);
  const at = options.at ?? new Date();
  const findings: BundleFinding[] = [];
  const firstSeen = new Map<string, number>();
  certs.forEach((certificate, index) => {
    const add = (kind: BundleFindingKind, severity: 'error' | 'warning', what: string) =>
      findings.push({
        kind,
        severity,
        index,
        certificate,
        message: `${certificate.subject}: ${what}`,
      });

    const earlier = firstSeen.get(certificate.fingerprint256);
    if (earlier !== undefined) {
      add('duplicate', 'warning', `same certificate as #${earlier + 1}`);
    } else {
      firstSeen.set(certificate.fingerprint256, index);
    }
    if (!certificate.isCA) {
      // An error, though the verifier accepts it: it trusts only itself, as a pinned client
      // certificate, and is far more often a leaf pasted into the bundle by mistake.
      add(
        'not-ca',
        'error',
        'not a CA certificate (no basicConstraints cA=TRUE): it anchors no chain and trusts only itself, as a pinned client certificate',
      );
    }
    const weakKey = describeWeakKey(certificate);
    if (weakKey) add('weak-key', 'error', weakKey);
    const hash = WEAK_SIGNATURES[certificate.signatureAlgorithm.oid];
    if (hash) add('weak-signature', 'warning', `signed with ${hash}, which has known collisions`);

    const status = validityStatus(certificate, { ...options, at });
    const days = daysLeft(certificate, at);
    if (status === 'expired') {
      add('expired', 'error', `expired on ${certificate.notAfter.toISOString()}`);
    } else if (status === 'not-yet-valid') {
      add('not-yet-valid', 'error', `not valid before ${certificate.notBefore.toISOString()}`);
    } else if (status === 'expiring') {
      add(
        'expiring',
        'warning',
        `expires in ${days} day${days === 1 ? '' : 's'} (${certificate.notAfter.toISOString()})`,
      );
    }
  });
  return findings;
}

/**
 * The weak-key sentence, or undefined when the key passes. The policy is the chain builder's
 * own (checkKeyStrength), so the lint flags exactly the anchors that verification refuses.
 */
function describeWeakKey(certificate: Certificate): string | undefined {
  let key: PublicKeyInfo;
  try {
    key = certificate.publicKey;
  } catch {
    // An unreadable key is the chain builder's to reject; the lint only reports what it can read.
    return undefined;
  }
  const problem = checkKeyStrength(key);
  if (!problem) return undefined;
  return problem.reason === 'weak-key'
    ? `weak key: ${problem.message} (verification refuses it)`
    : `unsupported key: ${problem.message} (verification refuses it)`;
}
