/**
 * The decision for one request, step by step in the order the codes are checked: the client
 * (4020), its bundles in the live store (4016), the certificate's presence (4017), its parse
 * and chain (4018), the rule (4019). Each step returns what the next needs or the failure.
 */

import { ownCopy } from '../bytes.js';
import { Certificate } from '../certificate.js';
import { MAX_PRESENTED, tooMany, validatePath } from '../chain/build-chain.js';
import type { ChainCache } from '../chain/cache.js';
import { type ResolvedPolicy, resolveTime, withAnchors } from '../chain/options.js';
import { readCertificates, TooManyCertificates } from '../chain/presented.js';
import type { ChainResult } from '../chain/search.js';
import { MtlsError, MtlsErrorCode } from '../errors.js';
import { type CertificateInput, isNodeX509 } from '../input.js';
import { ruleContext } from '../rules/context.js';
import type { TrustBundle } from '../trust/trust-bundle.js';
import type { TrustStore } from '../trust/trust-store.js';
import type { ResolvedClient } from './client-config.js';
import { bundleApplies } from './server-name.js';
import { failure, type Verdict, type VerdictFailure } from './verdict.js';
import type { VerdictCache } from './verdict-cache.js';

/** What the verifier holds across requests. */
export interface VerifierState {
  readonly store: TrustStore;
  readonly clients: ReadonlyMap<string, ResolvedClient>;
  readonly verdicts: VerdictCache | undefined;
  readonly chainCache: ChainCache | undefined;
  /** The verifier's chain policy, resolved once at creation (the ChainCache included). */
  readonly policy: ResolvedPolicy;
}

/** The fields of `VerifyRequest` the steps read (see create-verifier.ts). */
export interface DecisionRequest {
  readonly certificate?: CertificateInput | null;
  readonly intermediates?: CertificateInput;
  readonly at?: Date;
  readonly serverName?: string;
}

type Fail = (fields: Omit<VerdictFailure, 'ok' | 'enforced' | 'clientId'>) => VerdictFailure;

/** Client ids come from requests: keep them short and quoted in messages and logs. */
export function quoteId(clientId: string): string {
  return JSON.stringify(clientId.length > 64 ? `${clientId.slice(0, 61)}...` : clientId);
}

/**
 * Decides `request` for `clientId`: synchronously, unless the signature backend answers
 * asynchronously (WebCrypto), when the verdict is a promise. Throws (or rejects) only on a
 * bug or an invalid `at`; the caller makes that a 4018 verdict.
 */
export function decide(
  state: VerifierState,
  clientId: string,
  request: DecisionRequest | undefined,
): Verdict | Promise<Verdict> {
  const client = state.clients.get(clientId);
  if (!client) {
    return failure({
      ok: false,
      code: MtlsErrorCode.ClientNotConfigured,
      message: `API client ${quoteId(clientId)} doesn't exist or isn't configured.`,
      enforced: true,
      clientId,
    });
  }
  const fail: Fail = (fields) =>
    failure({ ok: false, enforced: client.enforce, clientId, ...fields });

  const bundles = clientBundles(client, state.store, fail);
  if (!Array.isArray(bundles)) return bundles as VerdictFailure;

  if (request === undefined || request === null) return missing(fail);
  const certificate = request.certificate;
  if (isAbsent(certificate)) return missing(fail);
  // With a synchronous backend (node:crypto) the request's bytes are read in place: nothing
  // can change them before the verdict. Otherwise everything below reads a private copy, so
  // that a buffer the caller reuses while the backend works changes neither the verdict nor
  // what the verdict cache files it under.
  const inPlace = state.policy.backend.synchronous === true;
  const given = inPlace ? certificate : detach(certificate);
  const presentedChain = inPlace ? request.intermediates : detach(request.intermediates);

  const atMs = resolveTime(request.at, 'verify');
  const serverName = typeof request.serverName === 'string' ? request.serverName : undefined;
  const version = state.store.version;
  const verdicts = state.verdicts;
  // Without host bindings (the common case) every bundle applies, and the server name
  // changes nothing: it is not part of the verdict's key either.
  const hostBound = !unbound(bundles);
  const probe = verdicts?.probe(
    clientId,
    hostBound ? serverName : undefined,
    given,
    presentedChain,
  );
  const hit = probe && verdicts!.get(probe, version, atMs);
  if (hit) return hit;

  const read = readLeaf(given, fail);
  if (!('leaf' in read)) return read;
  const { leaf, presented } = read;

  const applicable = hostBound
    ? bundles.filter((bundle) => bundleApplies(bundle, serverName))
    : bundles;
  if (applicable.length === 0) {
    return fail({
      code: MtlsErrorCode.CertificateInvalid,
      reason: 'untrusted',
      certificate: leaf,
      message:
        serverName === undefined
          ? `Client certificate is invalid: the bundles of API client ${quoteId(clientId)} are bound to host names and the connection named none.`
          : `Client certificate is invalid: no bundle of API client ${quoteId(clientId)} is bound to ${JSON.stringify(serverName)}.`,
    });
  }

  const intermediates: CertificateInput[] =
    presentedChain === undefined ? [presented] : [presented, presentedChain];
  const chain = validatePath(
    leaf,
    intermediates,
    withAnchors(state.policy, applicable, true, atMs),
    !(given instanceof Certificate),
  );
  // A backend that answered later despite `synchronous`: the caller's buffer may have changed
  // meanwhile, so nothing parsed in place is kept.
  const keep = inPlace && chain instanceof Promise ? undefined : probe;
  const conclude = (result: ChainResult): Verdict => {
    if (!result.ok) {
      return fail({
        code: MtlsErrorCode.CertificateInvalid,
        reason: result.reason,
        certificate: leaf,
        message: `Client certificate is invalid: ${result.message}`,
      });
    }

    const broken = client.rule ? brokenRule(client, leaf, result.chain) : undefined;
    const verdict: Verdict = broken
      ? fail({
          code: MtlsErrorCode.RuleFailed,
          certificate: leaf,
          clause: broken.clause,
          message: `Certificate failed the validation rule: ${broken.message}`,
        })
      : Object.freeze({
          ok: true as const,
          clientId,
          certificate: leaf,
          // The search made this array for this call alone: frozen, not copied.
          chain: Object.freeze(result.chain),
          bundle: result.bundle?.name ?? bundleOf(applicable, result.anchor),
          anchor: result.anchor,
        });
    // Successes and rule failures depend only on the bytes, the store and the time, so they
    // can be served again within the chain's validity window; other failures are not kept.
    // The cache answers with the verdict as it keeps it: on its own copy of the bytes.
    return keep ? verdicts!.set(keep, version, verdict, result.chain) : verdict;
  };
  // node:crypto answers synchronously: the verdict is then reached without a promise.
  return chain instanceof Promise ? chain.then(conclude) : conclude(chain);
}

function unbound(bundles: readonly TrustBundle[]): boolean {
  for (const bundle of bundles) if (bundle.hosts.length > 0) return false;
  return true;
}

/** The client's bundles as the store holds them now, or 4016 naming the first missing one. */
function clientBundles(
  client: ResolvedClient,
  store: TrustStore,
  fail: Fail,
): TrustBundle[] | VerdictFailure {
  if (client.bundles.length === 0) {
    return fail({
      code: MtlsErrorCode.BundleMissing,
      message: `API client ${quoteId(client.id)} names no certificate bundle.`,
    });
  }
  const bundles: TrustBundle[] = [];
  for (let i = 0; i < client.bundles.length; i++) {
    const name = client.bundles[i]!;
    const bundle = store.getBundle(name);
    if (!bundle) {
      return fail({
        code: MtlsErrorCode.BundleMissing,
        bundle: name,
        message: `Certificate bundle "${name}" of API client ${quoteId(client.id)} is missing.`,
      });
    }
    bundles.push(bundle);
  }
  return bundles;
}

function missing(fail: Fail): VerdictFailure {
  return fail({
    code: MtlsErrorCode.CertificateMissing,
    message: 'Client certificate is missing from the request.',
  });
}

/**
 * The leaf and any certificates given after it, or 4017/4018 `malformed`. With a synchronous
 * backend DER is parsed in place, as buildChain does: copying ~1 KB per handshake cost ~1 µs
 * and the collector more, and only the verdict cache keeps a certificate past the call (it
 * copies what it keeps). Otherwise `given` is a copy (see detach).
 */
function readLeaf(
  given: CertificateInput,
  fail: Fail,
): { leaf: Certificate; presented: Certificate[] } | VerdictFailure {
  try {
    const certs =
      given instanceof Certificate
        ? [given]
        : readCertificates(given, undefined, MAX_PRESENTED + 1);
    const [leaf, ...presented] = certs;
    return leaf ? { leaf, presented } : missing(fail);
  } catch (error) {
    if (error instanceof TooManyCertificates) {
      return fail({
        code: MtlsErrorCode.CertificateInvalid,
        reason: 'chain-too-long',
        message: `Client certificate is invalid: ${tooMany().message}`,
      });
    }
    if (!(error instanceof MtlsError)) throw error;
    return fail({
      code: MtlsErrorCode.CertificateInvalid,
      reason: 'malformed',
      message: `Client certificate is invalid: ${error.message}`,
    });
  }
}

function isAbsent(value: CertificateInput | null | undefined): value is null | undefined {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return value.byteLength === 0;
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

/** The deciding clause when the rule is false, `undefined` when it holds. */
function brokenRule(
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

/**
 * A copy of every caller-owned byte of `input`, for a verification that waits on its backend:
 * the caller may change its buffers before the verdict, which the verdict cache may keep.
 * A Certificate (parsed over the caller's bytes) and an X509Certificate-like `raw` become
 * copies of their DER, parsed again by this call; strings cannot change.
 */
function detach<T extends CertificateInput | undefined>(input: T): T;
function detach(input: CertificateInput | undefined): CertificateInput | undefined {
  if (input instanceof Uint8Array) return ownCopy(input);
  if (input instanceof ArrayBuffer) return input.slice(0);
  if (input instanceof Certificate) return ownCopy(input.der);
  if (Array.isArray(input)) return input.map((item: CertificateInput) => detach(item));
  if (isNodeX509(input)) return ownCopy(input.raw);
  return input;
}
