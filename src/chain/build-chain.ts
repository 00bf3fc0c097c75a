/**
 * buildChain: RFC 5280 path building and validation (the search is in search.ts). This file
 * reads the inputs: the leaf, the presented intermediates (through the ChainCache when there
 * is one, and never more than MAX_PRESENTED of them) and the options.
 */

import { Certificate } from '../certificate.js';
import { MtlsError } from '../errors.js';
import type { CertificateInput } from '../input.js';
import { Presented } from './candidates.js';
import { type ChainOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { readCertificates, TooManyCertificates } from './presented.js';
import { type ChainResult, type Failure, failure, searchPath } from './search.js';

export type { ChainResult } from './search.js';

/**
 * Builds and validates a path from `leaf` to an anchor. When `leaf` holds several
 * certificates (a PEM chain), the first is the leaf and the others are added to the
 * presented intermediates. A leaf that is itself in a bundle is trusted as it is (pinned),
 * after the leaf checks. Resolves to a ChainResult and never rejects for a bad chain
 * (a malformed leaf or intermediate is the result `malformed`); bad options reject with a
 * TypeError, and anchors that are not certificates with MtlsError `malformed`.
 */
export async function buildChain(
  leaf: CertificateInput,
  options: ChainOptions,
): Promise<ChainResult> {
  const opts = resolveOptions(options);
  let given: Certificate[];
  try {
    given = readCertificates(leaf, undefined, MAX_PRESENTED + 1);
  } catch (error) {
    if (error instanceof MtlsError && error.reason === 'malformed') {
      return failure('malformed', error.message);
    }
    if (error instanceof TooManyCertificates) return tooMany();
    throw error;
  }
  if (given.length === 0) return failure('malformed', 'no leaf certificate given');
  const [first, ...rest] = given;
  const inputs: CertificateInput[] = [rest];
  if (options.intermediates !== undefined) inputs.push(options.intermediates);
  return validatePath(first!, inputs, opts, !(leaf instanceof Certificate));
}

/**
 * @internal The verifier's entry: `leaf` already parsed, `intermediates` as presented, the
 * options resolved once; `leafIsNew` when the leaf was parsed for this call (see Search).
 * Returns the result itself when the backend answered synchronously (node:crypto), a promise
 * of it otherwise. Throws only what buildChain rejects with.
 */
export function validatePath(
  leaf: Certificate,
  intermediates: CertificateInput,
  opts: ResolvedOptions,
  leafIsNew: boolean,
): ChainResult | Promise<ChainResult> {
  let presented: Certificate[];
  try {
    presented = readCertificates(intermediates, opts.cache, MAX_PRESENTED);
  } catch (error) {
    if (error instanceof MtlsError && error.reason === 'malformed') {
      return failure('malformed', error.message);
    }
    if (error instanceof TooManyCertificates) return tooMany();
    throw error;
  }
  return searchPath(leaf, new Presented(presented), opts, leafIsNew);
}

/** Refused before the rest is parsed: see readCertificates. */
export function tooMany(): Failure {
  return failure(
    'chain-too-long',
    `more than ${MAX_PRESENTED} intermediates presented; at most ${MAX_PRESENTED} are considered`,
  );
}

/**
 * The most presented intermediates a call looks at, in `intermediates` and again after the
 * leaf in a leaf input. Real client chains carry one to three; TLS bounds a certificate list
 * at about 100 KB (some 60 certificates), so a larger set can only come from a caller feeding
 * untrusted input, and is refused before any search.
 */
export const MAX_PRESENTED = 64;
