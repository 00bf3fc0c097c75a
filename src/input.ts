/** `CertificateInput` → `Certificate[]`: PEM text, DER bytes, parsed or Node certificates. */

import { Certificate } from './certificate.js';
import { DerReader, encodingOf } from './der.js';
import { malformed } from './errors.js';
import { type PemBlock, pemCertificates } from './pem.js';

/**
 * Node's `crypto.X509Certificate`, recognised by shape so that the core need not import it
 * (the same trick jose uses for KeyObject).
 */
export interface NodeX509Like {
  readonly raw: Uint8Array;
  readonly fingerprint256: string;
  readonly subject: string;
}

/** Anything that holds one or more certificates. */
export type CertificateInput =
  | string
  | Uint8Array
  | ArrayBuffer
  | Certificate
  | NodeX509Like
  | readonly CertificateInput[];

/**
 * Parses PEM bundles (any number of blocks, text around them ignored), DER, Node
 * `X509Certificate`s and arrays of these. Throws MtlsError 4018 `malformed` saying what and
 * where, never a dependency's exception.
 */
export function parseCertificates(input: CertificateInput): Certificate[] {
  const out: Certificate[] = [];
  collect(input, (cert) => out.push(cert), 0, undefined);
  return out;
}

/**
 * `parseCertificates` one certificate at a time: `visit` sees each as soon as it is parsed
 * (`given` when the input held the Certificate object itself), so a caller that keeps only
 * part of each (a trust bundle) lets the rest go at once. `before` runs before each
 * certificate is read and may throw to stop there: a limit on untrusted input then holds
 * before the certificate over it is parsed.
 */
export function eachCertificate(
  input: CertificateInput,
  visit: (cert: Certificate, given: boolean) => void,
  before?: () => void,
): void {
  collect(input, visit, 0, before);
}

function collect(
  input: CertificateInput,
  visit: (cert: Certificate, given: boolean) => void,
  depth: number,
  before: (() => void) | undefined,
): void {
  if (input instanceof Certificate) {
    before?.();
    visit(input, true);
  } else if (typeof input === 'string') {
    const blocks = pemCertificates(input);
    if (blocks.length === 0) {
      throw malformed('no PEM certificate found (expected -----BEGIN CERTIFICATE-----)');
    }
    for (const block of blocks) {
      before?.();
      visit(withContext(pemBlockDer(block), `PEM block ${block.index + 1}`), false);
    }
  } else if (input instanceof Uint8Array) {
    before?.();
    visit(withContext(input, 'DER input'), false);
  } else if (input instanceof ArrayBuffer) {
    before?.();
    visit(withContext(new Uint8Array(input), 'DER input'), false);
  } else if (Array.isArray(input)) {
    if (depth > MAX_NESTING) throw malformed('certificate input nested too deeply');
    for (const item of input as readonly CertificateInput[]) {
      collect(item, visit, depth + 1, before);
    }
  } else if (isNodeX509(input)) {
    before?.();
    visit(withContext(input.raw, 'X509Certificate'), false);
  } else {
    throw malformed(`not a certificate input: ${describe(input)}`);
  }
}

/** Arrays in an input may nest this deep (the outermost is depth 0). */
export const MAX_NESTING = 8;

/** The certificate DER of a PEM block: a TRUSTED CERTIFICATE's auxiliary data dropped. */
export function pemBlockDer(block: PemBlock): Uint8Array {
  return block.label === 'TRUSTED CERTIFICATE' ? firstTlv(block.der) : block.der;
}

function withContext(der: Uint8Array, where: string): Certificate {
  try {
    return Certificate.fromDER(der);
  } catch (error) {
    if (error instanceof Error) error.message = `${where}: ${error.message}`;
    throw error;
  }
}

/**
 * OpenSSL's TRUSTED CERTIFICATE is the certificate followed by X509_CERT_AUX: purposes it is
 * trusted for, purposes it is rejected for, an alias and a key id. Dropping trust or reject
 * lists would trust the certificate more widely than its owner said, so a block carrying
 * either is refused; an alias or key id alone is harmless and ignored.
 */
function firstTlv(der: Uint8Array): Uint8Array {
  let cert: Uint8Array;
  let aux: ReturnType<DerReader['read']> | undefined;
  try {
    const reader = new DerReader(der);
    cert = encodingOf(reader.read());
    aux = reader.hasMore() ? reader.read() : undefined;
    reader.done('TRUSTED CERTIFICATE');
  } catch (error) {
    throw malformed('TRUSTED CERTIFICATE block is not DER', error);
  }
  if (aux) {
    // X509_CERT_AUX ::= SEQUENCE { trust SEQUENCE OF OID OPTIONAL, reject [0] …, alias, keyid, … }
    const first = aux.tag === 0x30 ? DerReader.inside(aux).peekTag() : undefined;
    if (first === 0x30 || first === 0xa0) {
      throw malformed(
        'TRUSTED CERTIFICATE carries OpenSSL trust or reject settings, which mtls-gate does not apply; ' +
          'strip them (openssl x509 -in cert.pem -out plain.pem) so the bundle says what it trusts',
      );
    }
  }
  return cert;
}

/** Node's `X509Certificate`, or anything of its shape (see NodeX509Like). */
export function isNodeX509(value: unknown): value is NodeX509Like {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { raw?: unknown }).raw instanceof Uint8Array &&
    typeof (value as { fingerprint256?: unknown }).fingerprint256 === 'string'
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return (value as object).constructor?.name ?? 'object';
}
