/**
 * Certificate-bound access tokens (RFC 8705 §3): an authorization server puts the SHA-256
 * thumbprint of the client's certificate into the token's `cnf` claim as `x5t#S256`; a
 * resource server accepts the token only over a connection whose client certificate has that
 * thumbprint. These platforms check the token and the certificate together.
 */

import { createHash, timingSafeEqual } from 'node:crypto';
import { Certificate } from '../certificate.js';
import { malformed } from '../errors.js';
import { type CertificateInput, parseCertificates } from '../input.js';

/** The claims this check reads; every other claim is ignored. */
export interface CertificateBoundClaims {
  readonly cnf?: { readonly 'x5t#S256'?: unknown } | null;
}

function leafOf(certificate: CertificateInput): Certificate {
  if (certificate instanceof Certificate) return certificate;
  const [leaf] = parseCertificates(certificate);
  if (!leaf) throw malformed('certificateThumbprint: no certificate given');
  return leaf;
}

/**
 * The `x5t#S256` confirmation value of a certificate: the base64url encoding (no padding) of
 * the SHA-256 digest of its DER. Given several certificates, the first (the leaf) counts.
 * Throws MtlsError 4018 `malformed` for input that is not a certificate.
 */
export function certificateThumbprint(certificate: CertificateInput): string {
  return createHash('sha256').update(leafOf(certificate).der).digest('base64url');
}

/**
 * Whether the token claims are bound to `certificate`: `cnf['x5t#S256']` is present and equals
 * the certificate's thumbprint. The comparison takes the same time wherever the strings
 * differ. A missing `cnf`, a missing or non-string thumbprint, or one that is not 43
 * base64url characters is `false`, never an exception; a malformed certificate throws as
 * {@link certificateThumbprint} does.
 */
export function checkCertificateBinding(
  tokenClaims: CertificateBoundClaims | null | undefined,
  certificate: CertificateInput,
): boolean {
  const claimed = tokenClaims?.cnf?.['x5t#S256'];
  const expected = Buffer.from(certificateThumbprint(certificate), 'ascii');
  // A SHA-256 digest in base64url without padding is 43 characters of the URL-safe alphabet.
  if (typeof claimed !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(claimed)) return false;
  return timingSafeEqual(Buffer.from(claimed, 'ascii'), expected);
}
