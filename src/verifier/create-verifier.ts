/**
 * createVerifier: the per-client policy host servers call. Configuration is checked and rules
 * are compiled here; `verify` decides one request in a fixed order (4020, 4016, 4017, 4018,
 * 4019) and never throws.
 */

import { ChainCache } from '../chain/cache.js';
import { type ChainOptions, type ResolvedPolicy, resolvePolicy } from '../chain/options.js';
import { MtlsErrorCode } from '../errors.js';
import type { CertificateInput } from '../input.js';
import { callObserver, ignore } from '../observer.js';
import { TrustStore } from '../trust/trust-store.js';
import { type ClientConfig, resolveClients, VerifierConfigError } from './client-config.js';
import { decide, type VerifierState } from './decide.js';
import { failure, type Verdict } from './verdict.js';
import { DEFAULT_VERDICT_CACHE_SIZE, VerdictCache } from './verdict-cache.js';

/** Configuration of {@link createVerifier}. */
export interface VerifierConfig {
  /** The bundles clients name. Live: changes apply to the next `verify`. */
  trustStore: TrustStore;
  /** API clients by id. */
  clients: Record<string, ClientConfig>;
  /**
   * Verdict cache for chains seen before: `{ size }` entries (default 10,000), or `false`.
   * A chain's verdict is stored the second time the same bytes are verified for the same
   * client and server name, and served from the third. Entries are dropped when the store
   * changes and never served outside their chain's validity window.
   */
  cache?: { size?: number } | false;
  /**
   * Parsed intermediates, prepared keys and verified links kept across calls; default a
   * ChainCache bound to the trust store; `false` for none.
   */
  chainCache?: ChainCache | false;
  /**
   * Chain-validation policy for every client (see `buildChain`): the purpose asked of the
   * leaf (default clientAuth), `maxDepth`, `allowCaLeaf`, `strict` (RFC 5280 profile rules,
   * default true; `false` accepts e.g. the v1 client certificates `openssl x509 -req` makes),
   * `allowSha1`, the work `budget` and the signature `backend`. Checked here, at creation.
   */
  chain?: VerifierChainOptions;
  /**
   * Called with every verdict before `verify` resolves, for logs and metrics. Must not do
   * slow work; what it throws is caught and ignored.
   */
  onVerdict?: (verdict: Verdict, request: VerifyRequest) => void;
}

/** The `buildChain` options a verifier applies to every request. */
export type VerifierChainOptions = Pick<
  ChainOptions,
  'extendedKeyUsage' | 'maxDepth' | 'allowCaLeaf' | 'strict' | 'allowSha1' | 'budget' | 'backend'
>;

/** One request to decide. */
export interface VerifyRequest {
  /** The API client the request belongs to. */
  clientId: string;
  /**
   * The client's leaf; several certificates = leaf then its chain. Missing → 4017. With the
   * default (node:crypto) backend DER is read in place, not copied: the certificates of the
   * verdict view these bytes (as buildChain's do), so copy a buffer you will reuse while you
   * still hold the verdict. Verdicts the verifier keeps for later requests are on its own
   * copy; with an asynchronous backend the request is copied first (a Certificate too, so the
   * verdict's certificate is then a new object over the copy).
   */
  certificate?: CertificateInput | null;
  /** Intermediates as presented in the handshake (untrusted). */
  intermediates?: CertificateInput;
  /** Validation time; default now. */
  at?: Date;
  /**
   * The TLS server name (SNI) the client connected to. Bundles bound to hosts apply only when
   * it matches one of their hosts (see `hostPatternMatches`); without it they never apply.
   */
  serverName?: string;
}

/** What {@link createVerifier} returns. */
export interface Verifier {
  /** Decides one request. Never rejects. */
  verify(request: VerifyRequest): Promise<Verdict>;
  /** The store the verifier reads (adapters read its version and host bindings). */
  readonly trustStore: TrustStore;
  /** The configured client ids. */
  readonly clientIds: readonly string[];
}

/**
 * Builds a verifier. Throws VerifierConfigError (naming the client) for a missing store, an
 * empty or malformed client list, more than 5 bundles, a bad bundle name, or a rule that
 * does not compile (the RuleSyntaxError, with its position, is the `cause`).
 */
export function createVerifier(config: VerifierConfig): Verifier {
  if (typeof config !== 'object' || config === null) {
    throw new VerifierConfigError('createVerifier: a configuration object is required');
  }
  const { trustStore, onVerdict } = config;
  if (!(trustStore instanceof TrustStore)) {
    throw new VerifierConfigError('createVerifier: `trustStore` must be a TrustStore');
  }
  if (onVerdict !== undefined && typeof onVerdict !== 'function') {
    throw new VerifierConfigError('createVerifier: `onVerdict` must be a function');
  }
  const clients = resolveClients(config.clients);
  const verdicts = verdictCacheOf(config.cache);
  const chainCache =
    config.chainCache === false
      ? undefined
      : (config.chainCache ?? new ChainCache({ store: trustStore }));

  const policy = policyOf(config.chain, chainCache);
  const state: VerifierState = { store: trustStore, clients, verdicts, chainCache, policy };

  /** A bug or a hostile input we did not foresee: refuse, say why, never throw at the host. */
  const crashed = (request: VerifyRequest, error: unknown): Verdict => {
    const clientId = clientIdOf(request);
    return failure({
      ok: false,
      code: MtlsErrorCode.CertificateInvalid,
      reason: 'malformed',
      message: `Client certificate could not be verified: ${errorText(error)}`,
      enforced: clients.get(clientId)?.enforce ?? true,
      clientId,
    });
  };

  const observed = (verdict: Verdict, request: VerifyRequest): Verdict => {
    // An observer must not change the verdict; what it throws has nowhere to go.
    if (onVerdict) callObserver(() => onVerdict(verdict, request), ignore);
    return verdict;
  };

  // Not an async function: a verdict reached without waiting (a cache hit, an early code)
  // costs one resolved promise instead of a chain of them.
  const verify = (request: VerifyRequest): Promise<Verdict> => {
    let outcome: Verdict | Promise<Verdict>;
    try {
      outcome = decide(state, clientIdOf(request), request);
    } catch (error) {
      outcome = crashed(request, error);
    }
    if (outcome instanceof Promise) {
      return outcome.then(
        (verdict) => observed(verdict, request),
        (error: unknown) => observed(crashed(request, error), request),
      );
    }
    return Promise.resolve(observed(outcome, request));
  };

  return Object.freeze({
    verify,
    trustStore,
    clientIds: Object.freeze([...clients.keys()]),
  });
}

function verdictCacheOf(option: VerifierConfig['cache']): VerdictCache | undefined {
  if (option === false) return undefined;
  if (option !== undefined && (typeof option !== 'object' || option === null)) {
    throw new VerifierConfigError('createVerifier: `cache` must be { size } or false');
  }
  const size = option?.size ?? DEFAULT_VERDICT_CACHE_SIZE;
  if (!Number.isInteger(size) || size < 0) {
    throw new VerifierConfigError('createVerifier: `cache.size` must be a non-negative integer');
  }
  return size === 0 ? undefined : new VerdictCache(size);
}

/** What went wrong, as text; never throws (a thrown value may be any object, or none). */
function errorText(error: unknown): string {
  try {
    return error instanceof Error ? String(error.message) : String(error);
  } catch {
    return 'an error that has no text';
  }
}

/** The request's client id; '' (never configured) for a missing request or a non-string. */
function clientIdOf(request: VerifyRequest): string {
  try {
    return typeof request?.clientId === 'string' ? request.clientId : '';
  } catch {
    return '';
  }
}

/**
 * Checks and resolves the chain policy once, so that a bad option fails here and requests
 * do not resolve it again. Only the documented options are read.
 */
function policyOf(
  chain: VerifierChainOptions | undefined,
  cache: ChainCache | undefined,
): ResolvedPolicy {
  if (chain === undefined) return resolvePolicy({ cache });
  if (typeof chain !== 'object' || chain === null) {
    throw new VerifierConfigError(
      'createVerifier: `chain` must be an object of buildChain options',
    );
  }
  const { extendedKeyUsage, maxDepth, allowCaLeaf, strict, allowSha1, budget, backend } = chain;
  try {
    return resolvePolicy({
      extendedKeyUsage,
      maxDepth,
      allowCaLeaf,
      strict,
      allowSha1,
      budget,
      backend,
      cache,
    });
  } catch (error) {
    throw new VerifierConfigError(
      `createVerifier: chain options: ${error instanceof Error ? error.message : String(error)}`,
      undefined,
      { cause: error },
    );
  }
}
