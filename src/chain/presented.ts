/**
 * Reads the presented intermediates (and a leaf given with its chain) into Certificates,
 * through the ChainCache when there is one, so that a known intermediate is neither parsed
 * nor hashed again: DER is looked up by its bytes before any parse.
 */

import { Certificate } from '../certificate.js';
import { malformed } from '../errors.js';
import {
  type CertificateInput,
  eachCertificate,
  isNodeX509,
  MAX_NESTING,
  pemBlockDer,
} from '../input.js';
import { pemCertificates } from '../pem.js';
import type { ChainCache } from './cache.js';

/** Thrown by {@link readCertificates} when `input` holds more certificates than `limit`. */
export class TooManyCertificates extends Error {
  override readonly name = 'TooManyCertificates';
}

/**
 * Every certificate in `input`, in order. Throws MtlsError `malformed` as parseCertificates,
 * and TooManyCertificates as soon as more than `limit` are found: nothing past the limit is
 * parsed or enters the cache, so an oversized list can neither cost a parse per entry nor
 * flush what other calls rely on.
 */
export function readCertificates(
  input: CertificateInput,
  cache: ChainCache | undefined,
  limit = Number.POSITIVE_INFINITY,
): Certificate[] {
  const out: Certificate[] = [];
  const room = () => {
    if (out.length >= limit) throw new TooManyCertificates(`more than ${limit} certificates`);
  };
  if (cache) collect(input, cache, out, 0, room);
  else eachCertificate(input, (cert) => out.push(cert), room);
  return out;
}

/**
 * Through the cache: DER is looked up by its bytes before any parse. The same walk as
 * input.ts's, kept apart: run through that one (with a hook for the cache lookup, its visit
 * and hook then shared with bundle loading and parseCertificates) a validation cost ~0.25 µs
 * more, measured.
 */
function collect(
  input: CertificateInput,
  cache: ChainCache,
  out: Certificate[],
  depth: number,
  room: () => void,
) {
  if (input instanceof Certificate) {
    room();
    out.push(input);
  } else if (input instanceof Uint8Array) {
    room();
    out.push(cache.certificate(input));
  } else if (input instanceof ArrayBuffer) {
    room();
    out.push(cache.certificate(new Uint8Array(input)));
  } else if (Array.isArray(input)) {
    if (depth > MAX_NESTING) throw malformed('certificate input nested too deeply');
    for (const item of input as readonly CertificateInput[]) {
      collect(item, cache, out, depth + 1, room);
    }
  } else if (typeof input === 'string') {
    const blocks = pemCertificates(input);
    // No block: refused with parseCertificates' own message.
    if (blocks.length === 0) eachCertificate(input, (cert) => out.push(cert), room);
    for (const block of blocks) {
      room();
      out.push(cache.certificate(pemBlockDer(block)));
    }
  } else if (isNodeX509(input)) {
    room();
    out.push(cache.certificate(input.raw));
  } else {
    // Not a certificate input: refused with parseCertificates' own message.
    eachCertificate(input, (cert) => out.push(cert), room);
  }
}
