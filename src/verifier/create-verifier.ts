/**
 * createVerifier: the per-client policy host servers call. Configuration is checked and rules
 * are compiled here; `verify` decides one request in a fixed order (4020, 4016, 4017, 4018,
 * 4019) and never throws.
 */

import { Certificate } from '../certificate.js';
import { buildChain } from '../chain/build-chain.js';
import { ChainCache } from '../chain/cache.js';
import { MtlsError, MtlsErrorCode } from '../errors.js';
import { type CertificateInput, parseCertificates } from '../input.js';
import { ruleContext } from '../rules/context.js';
import type { TrustBundle } from '../trust/trust-bundle.js';
import { TrustStore } from '../trust/trust-store.js';
import {
  type ClientConfig,
  type ResolvedClient,
  resolveClients,
  VerifierConfigError,
} from './client-config.js';
import { bundleApplies } from './server-name.js';
import { failure, type Verdict, type VerdictFailure } from './verdict.js';
import { DEFAULT_VERDICT_CACHE_SIZE, VerdictCache, verdictKey } from './verdict-cache.js';

/** Configuration of {@link createVerifier}. */
export interface VerifierConfig {
  /** The bundles clients name. Live: changes apply to the next `verify`. */
  trustStore: TrustStore;
  /** API clients by id. */
  clients: Record<string, ClientConfig>;
  /**
   * Verdict cache for chains seen before: `{ size }` entries (default 10,000), or `false`.
   * Entries are dropped when the store changes and never served outside their chain's
   * validity window.
   */
  cache?: { size?: number } | false;
  /**
   * Parsed intermediates, prepared keys and verified links kept across calls; default a
   * ChainCache bound to the trust store; `false` for none.
   */
  chainCache?: ChainCache | false;
  /**
   * Called with every verdict before `verify` resolves, for logs and metrics. Must not do
   * slow work; what it throws is caught and ignored.
   */
  onVerdict?: (verdict: Verdict, request: VerifyRequest) => void;
}

/** One request to decide. */
export interface VerifyRequest {
  /** The API client the request belongs to. */
  clientId: string;
  /** The client's leaf; several certificates = leaf then its chain. Missing → 4017. */
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

  const decide = async (request: VerifyRequest): Promise<Verdict> => {
    const clientId = typeof request?.clientId === 'string' ? request.clientId : '';
    const client = clients.get(clientId);
    if (!client) {
      return failure({
        ok: false,
        code: MtlsErrorCode.ClientNotConfigured,
        message: `API client ${JSON.stringify(clientId)} doesn't exist or isn't configured.`,
        enforced: true,
        clientId,
      });
    }
    const fail = (fields: Omit<VerdictFailure, 'ok' | 'enforced' | 'clientId'>) =>
      failure({ ok: false, enforced: client.enforce, clientId, ...fields });

    const bundles: TrustBundle[] = [];
    if (client.bundles.length === 0) {
      return fail({
        code: MtlsErrorCode.BundleMissing,
        message: `API client "${clientId}" names no certificate bundle.`,
      });
    }
    for (const name of client.bundles) {
      const bundle = trustStore.getBundle(name);
      if (!bundle) {
        return fail({
          code: MtlsErrorCode.BundleMissing,
          bundle: name,
          message: `Certificate bundle "${name}" of API client "${clientId}" is missing.`,
        });
      }
      bundles.push(bundle);
    }

    const given = request.certificate;
    if (isAbsent(given)) {
      return fail({
        code: MtlsErrorCode.CertificateMissing,
        message: 'Client certificate is missing from the request.',
      });
    }

    const at = request.at ?? new Date();
    const atMs = at instanceof Date ? at.getTime() : Number.NaN;
    if (Number.isNaN(atMs)) throw new TypeError('verify: `at` must be a valid Date');
    const serverName = typeof request.serverName === 'string' ? request.serverName : undefined;
    const version = trustStore.version;
    const key = verdicts && verdictKey(clientId, serverName, given, request.intermediates);
    const hit = key === undefined ? undefined : verdicts?.get(key, version, atMs);
    if (hit) return hit;

    let leaf: Certificate;
    let presented: Certificate[];
    try {
      const certs = given instanceof Certificate ? [given] : parseCertificates(given);
      if (certs.length === 0) {
        return fail({
          code: MtlsErrorCode.CertificateMissing,
          message: 'Client certificate is missing from the request.',
        });
      }
      leaf = certs[0]!;
      presented = certs.slice(1);
    } catch (error) {
      if (error instanceof MtlsError) {
        return fail({
          code: MtlsErrorCode.CertificateInvalid,
          reason: 'malformed',
          message: `Client certificate is invalid: ${error.message}`,
        });
      }
      throw error;
    }

    const applicable = bundles.filter((bundle) => bundleApplies(bundle, serverName));
    if (applicable.length === 0) {
      return fail({
        code: MtlsErrorCode.CertificateInvalid,
        reason: 'untrusted',
        certificate: leaf,
        message:
          serverName === undefined
            ? `Client certificate is invalid: the bundles of API client "${clientId}" are bound to host names and the connection named none.`
            : `Client certificate is invalid: no bundle of API client "${clientId}" is bound to ${JSON.stringify(serverName)}.`,
      });
    }

    const intermediates: CertificateInput[] = [...presented];
    if (request.intermediates !== undefined) intermediates.push(request.intermediates);
    const result = await buildChain(leaf, {
      anchors: applicable,
      intermediates,
      at,
      ...(chainCache ? { cache: chainCache } : {}),
    });
    if (!result.ok) {
      return fail({
        code: MtlsErrorCode.CertificateInvalid,
        reason: result.reason,
        certificate: leaf,
        message: `Client certificate is invalid: ${result.message}`,
      });
    }

    let verdict: Verdict;
    const ruleFailure = client.rule ? checkRule(client, leaf, result.chain) : undefined;
    if (ruleFailure) {
      verdict = fail({
        code: MtlsErrorCode.RuleFailed,
        certificate: leaf,
        clause: ruleFailure.clause,
        message: `Certificate failed the validation rule: ${ruleFailure.message}`,
      });
    } else {
      verdict = Object.freeze({
        ok: true as const,
        clientId,
        certificate: leaf,
        chain: Object.freeze([...result.chain]),
        bundle: result.bundle?.name ?? bundleOf(applicable, result.anchor),
        anchor: result.anchor,
      });
    }
    if (key !== undefined) verdicts?.set(key, version, verdict, result.chain);
    return verdict;
  };

  const verify = async (request: VerifyRequest): Promise<Verdict> => {
    let verdict: Verdict;
    try {
      verdict = await decide(request);
    } catch (error) {
      // A bug or a hostile input we did not foresee: refuse, say why, never throw at the host.
      const clientId = typeof request?.clientId === 'string' ? request.clientId : '';
      verdict = failure({
        ok: false,
        code: MtlsErrorCode.CertificateInvalid,
        reason: 'malformed',
        message: `Client certificate could not be verified: ${error instanceof Error ? error.message : String(error)}`,
        enforced: clients.get(clientId)?.enforce ?? true,
        clientId,
      });
    }
    if (onVerdict) {
      try {
        onVerdict(verdict, request);
      } catch {
        // An observer must not change the verdict.
      }
    }
    return verdict;
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

function isAbsent(value: CertificateInput | null | undefined): value is null | undefined {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return value.byteLength === 0;
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

function checkRule(
  client: ResolvedClient,
  leaf: Certificate,
  chain: readonly Certificate[],
): { clause: string; message: string } | undefined {
  const rule = client.rule!;
  const context = ruleContext(leaf, chain);
  if (rule.evaluate(context)) return undefined;
  const explained = rule.evaluateDetailed(context);
  return { clause: explained.clause, message: explained.message };
}

function bundleOf(bundles: readonly TrustBundle[], anchor: Certificate): string {
  return bundles.find((bundle) => bundle.has(anchor))?.name ?? bundles[0]!.name;
}
