/**
 * ChainOptions with their documented defaults, resolved and checked once per call. This is
 * the one place the core reads the clock: `at` defaults to now.
 */

import type { Certificate } from '../certificate.js';
import type { CryptoBackend } from '../crypto/backend.js';
import { nodeBackend } from '../crypto/node.js';
import { type CertificateInput, parseCertificates } from '../input.js';
import { EKU_BY_NAME } from '../oids.js';
import { TrustBundle } from '../trust/trust-bundle.js';
import { Budget, type BudgetLimits } from './budget.js';
import type { ChainCache } from './cache.js';

/** Default `maxDepth`: OpenSSL's default verify depth is larger, but no real mTLS PKI nests 8. */
export const DEFAULT_MAX_DEPTH = 8;
/** Largest accepted `maxDepth`. */
export const MAX_MAX_DEPTH = 32;

/** Options of `buildChain`. */
export interface ChainOptions {
  /** Trust anchors: bundles from a TrustStore, or certificates (every one is an anchor). */
  anchors: CertificateInput | TrustBundle | readonly TrustBundle[];
  /** Untrusted intermediates as presented by the peer, in any order, noise allowed. */
  intermediates?: CertificateInput;
  /**
   * Validation time; default now. Compared to the second: certificate times have no
   * fractions (RFC 5280 §4.1.2.5), so 12:00:00.700 is still within a notAfter of 12:00:00.
   */
  at?: Date;
  /**
   * The purpose the leaf must allow: 'clientAuth' (default), 'serverAuth', another name of
   * `EKU_BY_NAME`, or a dotted OID; `null` skips every EKU check.
   */
  extendedKeyUsage?: 'clientAuth' | 'serverAuth' | string | null;
  /**
   * Most intermediates between leaf and anchor, as OpenSSL's verify depth; default 8.
   * Self-issued intermediates (a CA's key rollover) are not counted, as pathLenConstraint
   * does not count them (RFC 5280 §6.1.4(l)); the work budget bounds them instead.
   */
  maxDepth?: number;
  /** Accept a leaf with basicConstraints cA=TRUE (default false: a CA may not log in). */
  allowCaLeaf?: boolean;
  /**
   * Enforce the RFC 5280 profile rules that OpenSSL's `-x509_strict` also enforces (default
   * true): authorityKeyIdentifier on every certificate that is not self-issued, a
   * subjectKeyIdentifier on every CA, both non-critical, basicConstraints critical on CAs,
   * non-empty issuer names, serial numbers positive and at most 20 octets.
   */
  strict?: boolean;
  /**
   * Accept SHA-1 signatures (RSA PKCS#1 v1.5 and ECDSA) for a legacy private PKI; default
   * false, and SHA-1 is 'unsupported-algorithm'. Links verified under it are not remembered
   * in the cache, so a later call without it cannot inherit them.
   */
  allowSha1?: boolean;
  /** Work limits for this call (see DEFAULT_BUDGET). */
  budget?: Partial<BudgetLimits>;
  /** Memory across calls: parsed intermediates, prepared keys, verified links. */
  cache?: ChainCache;
  /** Signature backend; default node:crypto. */
  backend?: CryptoBackend;
}

/** Options after defaults and validation. */
export interface ResolvedOptions {
  readonly bundles: readonly TrustBundle[];
  /** Whether the anchors came as TrustBundles (so results name the bundle). */
  readonly bundlesGiven: boolean;
  readonly atMs: number;
  /** `undefined` = do not check EKU. */
  readonly eku: string | undefined;
  readonly maxDepth: number;
  readonly allowCaLeaf: boolean;
  readonly strict: boolean;
  readonly allowSha1: boolean;
  readonly budget: Budget;
  readonly cache: ChainCache | undefined;
  readonly backend: CryptoBackend;
}

const OID_PATTERN = /^[0-2](?:\.(?:0|[1-9][0-9]*))+$/;

/** Everything of ResolvedOptions but the anchors: the policy a verifier fixes once. */
export type ResolvedPolicy = Omit<ResolvedOptions, 'bundles' | 'bundlesGiven'>;

/** Resolves and checks options; throws TypeError (or MtlsError for bad anchors) when wrong. */
export function resolveOptions(options: ChainOptions): ResolvedOptions {
  const policy = resolvePolicy(options);
  const { bundles, given } = resolveAnchors(options.anchors);
  return { ...policy, bundles, bundlesGiven: given };
}

/**
 * Checks and resolves every option but `anchors` (which a verifier supplies per request);
 * throws TypeError when one is wrong.
 */
export function resolvePolicy(options: Omit<ChainOptions, 'anchors'>): ResolvedPolicy {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('buildChain: options are required ({ anchors, … })');
  }
  const at = options.at ?? new Date();
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
    throw new TypeError('buildChain: `at` must be a valid Date');
  }
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (!Number.isInteger(maxDepth) || maxDepth < 0 || maxDepth > MAX_MAX_DEPTH) {
    throw new TypeError(`buildChain: maxDepth must be an integer from 0 to ${MAX_MAX_DEPTH}`);
  }
  for (const [name, value] of Object.entries(options.budget ?? {})) {
    if (!Number.isInteger(value) || (value as number) < 0) {
      throw new TypeError(`buildChain: budget.${name} must be a non-negative integer`);
    }
  }
  return {
    atMs: Math.floor(at.getTime() / 1000) * 1000,
    eku: resolveEku(options.extendedKeyUsage),
    maxDepth,
    allowCaLeaf: options.allowCaLeaf === true,
    strict: options.strict !== false,
    allowSha1: options.allowSha1 === true,
    budget: new Budget(options.budget),
    cache: options.cache,
    backend: options.backend ?? nodeBackend,
  };
}

function resolveEku(value: unknown): string | undefined {
  if (value === null) return undefined;
  if (value === undefined) return EKU_BY_NAME.clientAuth;
  if (typeof value === 'string') {
    const oid = EKU_BY_NAME[value] ?? (OID_PATTERN.test(value) ? value : undefined);
    if (oid) return oid;
  }
  throw new TypeError(
    `buildChain: extendedKeyUsage must be null, a dotted OID or one of ${Object.keys(EKU_BY_NAME).join(', ')}`,
  );
}

function resolveAnchors(anchors: ChainOptions['anchors']): {
  bundles: readonly TrustBundle[];
  given: boolean;
} {
  if (anchors instanceof TrustBundle) return { bundles: [anchors], given: true };
  if (
    Array.isArray(anchors) &&
    anchors.length > 0 &&
    anchors.every((a) => a instanceof TrustBundle)
  ) {
    return { bundles: anchors as readonly TrustBundle[], given: true };
  }
  if (anchors === undefined || anchors === null) {
    throw new TypeError('buildChain: `anchors` is required');
  }
  const certs: Certificate[] = parseCertificates(anchors as CertificateInput);
  if (certs.length === 0) throw new TypeError('buildChain: `anchors` holds no certificate');
  return { bundles: [new TrustBundle('(anchors)', certs, [])], given: false };
}
