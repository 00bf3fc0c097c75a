/**
 * Runs one x509-limbo testcase through buildChain and returns our verdict. Field mapping
 * (limbo README, schema version 1):
 * - trusted_certs → anchors, untrusted_intermediates → intermediates, validation_time → at
 *   (null = now), max_chain_depth → maxDepth (capped at our MAX_MAX_DEPTH);
 * - extended_key_usage: its first entry when given, else serverAuth for SERVER and
 *   clientAuth for CLIENT cases (what a TLS peer of that kind asks for);
 * - expected_peer_name(s): checked here, after a valid chain, with Node's X509Certificate
 *   (name matching is not buildChain's job): DNS with checkHost (no subject CN fallback, no
 *   partial wildcards, as RFC 6125 §6.4.3 recommends), IP with checkIP, RFC822 with
 *   checkEmail;
 * - crls and key_usage/signature_algorithms lists are not inputs of buildChain (see the
 *   deviations file).
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildChain } from '../../src/chain/build-chain.js';
import { MAX_MAX_DEPTH } from '../../src/chain/options.js';
import type { CryptoBackend } from '../../src/crypto/backend.js';
import { MtlsError } from '../../src/errors.js';

export interface PeerName {
  kind: 'DNS' | 'IP' | 'RFC822';
  value: string;
}

export interface LimboCase {
  id: string;
  features: string[] | null;
  validation_kind: 'SERVER' | 'CLIENT';
  trusted_certs: string[];
  untrusted_intermediates: string[] | null;
  peer_certificate: string;
  validation_time: string | null;
  extended_key_usage: string[] | null;
  expected_result: 'SUCCESS' | 'FAILURE';
  expected_peer_name: PeerName | null;
  expected_peer_names: PeerName[] | null;
  max_chain_depth: number | null;
}

export interface Deviation {
  /** `out-of-scope`: the case tests what mtls-gate does not claim; `policy`: a chosen difference. */
  scope: 'out-of-scope' | 'policy';
  reason: string;
}

export interface Verdict {
  result: 'SUCCESS' | 'FAILURE';
  detail: string;
}

/** The repository root, from this file's location (test/conformance/). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Reads a corpus file from ../shared/corpus/x509-limbo beside the repository. */
export function loadCorpus(file: string): LimboCase[] {
  const path = resolve(REPO_ROOT, '../shared/corpus/x509-limbo', file);
  return (JSON.parse(readFileSync(path, 'utf8')) as { testcases: LimboCase[] }).testcases;
}

/** Reads a deviations file next to this harness. */
export function loadDeviations(file: string): Record<string, Deviation> {
  const path = resolve(REPO_ROOT, 'test/conformance', file);
  return (JSON.parse(readFileSync(path, 'utf8')) as { deviations: Record<string, Deviation> })
    .deviations;
}

/** Our verdict on one case, with the default (node:crypto) or the given backend. */
export async function runCase(t: LimboCase, backend?: CryptoBackend): Promise<Verdict> {
  const eku =
    t.extended_key_usage && t.extended_key_usage.length > 0
      ? t.extended_key_usage[0]!
      : t.validation_kind === 'CLIENT'
        ? 'clientAuth'
        : 'serverAuth';
  let result: Awaited<ReturnType<typeof buildChain>>;
  try {
    result = await buildChain(t.peer_certificate, {
      anchors: t.trusted_certs,
      intermediates: t.untrusted_intermediates ?? [],
      at: t.validation_time ? new Date(t.validation_time) : new Date(),
      extendedKeyUsage: eku,
      ...(backend ? { backend } : {}),
      maxDepth: t.max_chain_depth === null ? undefined : Math.min(t.max_chain_depth, MAX_MAX_DEPTH),
    });
  } catch (error) {
    // A malformed anchor is an options error for buildChain: the case fails to validate.
    if (error instanceof MtlsError)
      return { result: 'FAILURE', detail: `anchors: ${error.message}` };
    throw error;
  }
  if (!result.ok) return { result: 'FAILURE', detail: `${result.reason}: ${result.message}` };
  const cert = new X509Certificate(t.peer_certificate);
  const names = t.expected_peer_name ? [t.expected_peer_name] : (t.expected_peer_names ?? []);
  for (const name of names) {
    const matched =
      name.kind === 'DNS'
        ? cert.checkHost(name.value, { subject: 'never', partialWildcards: false })
        : name.kind === 'IP'
          ? cert.checkIP(name.value)
          : cert.checkEmail(name.value, { subject: 'never' });
    if (matched === undefined) {
      return { result: 'FAILURE', detail: `peer name ${name.kind}:${name.value} does not match` };
    }
  }
  return { result: 'SUCCESS', detail: `chain of ${result.chain.length}` };
}
