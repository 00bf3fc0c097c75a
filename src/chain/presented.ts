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

/** Thrown by {@link readCertificates} when `input` holds more certificates than `limit`. */
export class TooManyCertificates extends Error {
  override readonly name = 'TooManyCertificates';
}

/**
 * Every certificate in `input`, in order. Throws MtlsError `malformed` as parseCertificates,
 * and TooManyCertificates as soon as more than `limit` are found: nothing past the limit is
 * parsed or enters the cache, so an oversized list cannot flush what other calls rely on.
 */
export function readCertificates(
  input: CertificateInput,
  cache: ChainCache | undefined,
  limit = Number.POSITIVE_INFINITY,
): Certificate[] {
  if (!cache) {
    const all = parseCertificates(input);
    if (all.length > limit) throw new TooManyCertificates(`${all.length} certificates`);
    return all;
  }
  const out: Certificate[] = [];
  collect(input, cache, out, 0, limit);
  return out;
}

function collect(
  input: CertificateInput,
  cache: ChainCache,
  out: Certificate[],
  depth: number,
  limit: number,
) {
  if (input instanceof Certificate) {
    room(out, limit);
    out.push(input);
  } else if (input instanceof Uint8Array) {
    room(out, limit);
    out.push(cache.certificate(input));
  } else if (input instanceof ArrayBuffer) {
    room(out, limit);
    out.push(cache.certificate(new Uint8Array(input)));
  } else if (Array.isArray(input)) {
    if (depth > 8) throw malformed('certificate input nested too deeply');
    for (const item of input as readonly CertificateInput[]) {
      collect(item, cache, out, depth + 1, limit);
    }
  } else if (typeof input === 'string') {
    const blocks = pemCertificates(input);
    if (blocks.some((b) => b.label === 'TRUSTED CERTIFICATE') || blocks.length === 0) {
      out.push(...parseCertificates(input));
    } else {
      for (const block of blocks) {
        room(out, limit);
        out.push(cache.certificate(block.der));
      }
    }
  } else if (isRawHolder(input)) {
    room(out, limit);
    out.push(cache.certificate(input.raw));
  } else {
    out.push(...parseCertificates(input));
  }
}

/** Checked before each certificate is read, so the one over the limit is never parsed. */
function room(out: readonly Certificate[], limit: number): void {
  if (out.length >= limit) throw new TooManyCertificates(`more than ${limit} certificates`);
}

function isRawHolder(value: unknown): value is NodeX509Like {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { raw?: unknown }).raw instanceof Uint8Array
  );
}
