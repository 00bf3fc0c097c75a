/**
 * The error family of mtls-gate. Every failure a host server may have to answer carries a
 * stable numeric {@link MtlsErrorCode} (the codes integration platforms already document) and,
 * for an invalid certificate, an {@link InvalidReason} that says precisely why.
 */

/** Error codes, as the Workato API platform documents them for mTLS failures. */
export enum MtlsErrorCode {
  /** Certificate bundle is missing from the client configuration. */
  BundleMissing = 4016,
  /** Client certificate is missing from the request. */
  CertificateMissing = 4017,
  /** Client certificate is invalid (see `reason`). */
  CertificateInvalid = 4018,
  /** Certificate failed the validation rule. */
  RuleFailed = 4019,
  /** API client doesn't exist or isn't configured. */
  ClientNotConfigured = 4020,
}

/** The product's one-line description of each code, for documentation, logs and UIs. */
export const MTLS_ERROR_DESCRIPTIONS: Readonly<Record<MtlsErrorCode, string>> = Object.freeze({
  [MtlsErrorCode.BundleMissing]: 'Certificate bundle is missing from the client configuration.',
  [MtlsErrorCode.CertificateMissing]: 'Client certificate is missing from the request.',
  [MtlsErrorCode.CertificateInvalid]: 'Client certificate is invalid.',
  [MtlsErrorCode.RuleFailed]: 'Certificate failed the formula validation rule.',
  [MtlsErrorCode.ClientNotConfigured]: "API client doesn't exist or isn't configured.",
});

/**
 * Why a certificate (code 4018) was refused. Each value names one condition; when several
 * candidate paths fail, the most specific reason is reported (see {@link reasonRank}).
 */
export type InvalidReason =
  /** The bytes are not a certificate: bad PEM, truncated or non-DER encoding, wrong structure. */
  | 'malformed'
  /** The validation time is after a certificate's notAfter. */
  | 'expired'
  /** The validation time is before a certificate's notBefore. */
  | 'not-yet-valid'
  /** No path leads from the certificate to an anchor in the selected bundles. */
  | 'untrusted'
  /** An issuer's key does not verify a certificate's signature. */
  | 'bad-signature'
  /** A certificate acts as an issuer without basicConstraints cA=TRUE, or a CA acts as the leaf. */
  | 'not-ca'
  /** An issuer's pathLenConstraint is smaller than the number of CAs below it. */
  | 'path-length'
  /** keyUsage forbids the use: keyCertSign on an issuer, digitalSignature on the leaf. */
  | 'key-usage'
  /** extendedKeyUsage of the leaf (or of a CA above it) does not allow the purpose asked for. */
  | 'extended-key-usage'
  /** A name in the certificate falls outside the permitted or inside the excluded subtrees. */
  | 'name-constraints'
  /** A critical extension the verifier does not understand, or an extension present twice. */
  | 'unsupported-critical-extension'
  /** The certificate has been revoked. */
  | 'revoked'
  /** The path exceeds the maximum depth, or the search exceeded its work budget. */
  | 'chain-too-long'
  /** A signature or key algorithm the verifier does not support. */
  | 'unsupported-algorithm'
  /** A key not accepted: RSA under 2048 bits, EC off P-256/384/521, DSA. */
  | 'weak-key'
  /** A structurally valid certificate that breaks an RFC 5280 profile rule (e.g. empty issuer). */
  | 'invalid-encoding';

/** Every reason, for iteration in tests, docs and CLIs. */
export const INVALID_REASONS: readonly InvalidReason[] = Object.freeze([
  'malformed',
  'expired',
  'not-yet-valid',
  'untrusted',
  'bad-signature',
  'not-ca',
  'path-length',
  'key-usage',
  'extended-key-usage',
  'name-constraints',
  'unsupported-critical-extension',
  'revoked',
  'chain-too-long',
  'unsupported-algorithm',
  'weak-key',
  'invalid-encoding',
]);

/**
 * How specific a reason is, higher is more specific. When every candidate path fails the
 * reason with the highest rank wins: an expired intermediate says more than "untrusted"
 * (rustls-webpki ranks its errors the same way).
 */
export function reasonRank(reason: InvalidReason): number {
  switch (reason) {
    case 'untrusted':
      return 0;
    case 'chain-too-long':
      return 1;
    case 'bad-signature':
      return 2;
    case 'unsupported-algorithm':
      return 3;
    default:
      return 10;
  }
}

/** The HTTP status adapters answer a failed, enforced verdict with. */
export const MTLS_HTTP_STATUS = 403;

/** The one error class mtls-gate throws. Switch on `code`; for 4018 read `reason`. */
export class MtlsError extends Error {
  override readonly name: string = 'MtlsError';
  readonly code: MtlsErrorCode;
  readonly reason: InvalidReason | undefined;
  /** The HTTP status a server should answer with: always 403. */
  readonly status: number = MTLS_HTTP_STATUS;

  constructor(
    code: MtlsErrorCode,
    message: string,
    reason?: InvalidReason,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.code = code;
    this.reason = reason;
  }

  /** `{ error: { code, reason, message } }`, the shape of the adapters' 403 body. */
  toJSON(): { error: { code: MtlsErrorCode; reason?: InvalidReason; message: string } } {
    return {
      error: {
        code: this.code,
        ...(this.reason !== undefined ? { reason: this.reason } : {}),
        message: this.message,
      },
    };
  }
}

/** A 4018 `malformed` error: the input was not a certificate. */
export function malformed(message: string, cause?: unknown): MtlsError {
  return new MtlsError(
    MtlsErrorCode.CertificateInvalid,
    message,
    'malformed',
    cause === undefined ? undefined : { cause },
  );
}
