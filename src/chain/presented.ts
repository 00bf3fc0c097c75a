/**
 * Reads the presented intermediates (and a leaf given with its chain) into Certificates,
 * through the ChainCache when there is one, so that a known intermediate is neither parsed
 * nor hashed again: DER is looked up by its bytes before any parse.
 */

import { Certificate } from '../certificate.js';
import { malformed } from '../errors.js';
import { type CertificateInput, type NodeX509Like, parseCertificates } from '../input.js';
import { pemCertificates } from '../pem.js';
import type { ChainCache } from './cache.js';

/** Every certificate in `input`, in order. Throws MtlsError `malformed` as parseCertificates. */
export function readCertificates(
  input: CertificateInput,
  cache: ChainCache | undefined,
): Certificate[] {
  if (!cache) return parseCertificates(input);
  const out: Certificate[] = [];
  collect(input, cache, out, 0);
  return out;
}

function collect(input: CertificateInput, cache: ChainCache, out: Certificate[], depth: number) {
  if (input instanceof Certificate) {
    out.push(input);
  } else if (input instanceof Uint8Array) {
    out.push(cache.certificate(input));
  } else if (input instanceof ArrayBuffer) {
    out.push(cache.certificate(new Uint8Array(input)));
  } else if (Array.isArray(input)) {
    if (depth > 8) throw malformed('certificate input nested too deeply');
    for (const item of input as readonly CertificateInput[]) collect(item, cache, out, depth + 1);
  } else if (typeof input === 'string') {
    const blocks = pemCertificates(input);
    if (blocks.some((b) => b.label === 'TRUSTED CERTIFICATE') || blocks.length === 0) {
      out.push(...parseCertificates(input));
    } else {
      for (const block of blocks) out.push(cache.certificate(block.der));
    }
  } else if (isRawHolder(input)) {
    out.push(cache.certificate(input.raw));
  } else {
    out.push(...parseCertificates(input));
  }
}

function isRawHolder(value: unknown): value is NodeX509Like {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { raw?: unknown }).raw instanceof Uint8Array
  );
}
