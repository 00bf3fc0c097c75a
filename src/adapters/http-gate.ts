/**
 * The one core every framework adapter wraps: given a node:http request, decide whether it may
 * reach the handler. The adapters only translate between their framework and this function
 * (tRPC's adapters sit on one node-http core the same way).
 */

import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Certificate } from '../certificate.js';
import { MtlsErrorCode } from '../errors.js';
import { callObserver, ignore } from '../observer.js';
import {
  type GateDecision,
  type MtlsGateOptions,
  type MtlsVerdict,
  storeView,
  validate,
} from './gate-options.js';
import { hostMatchesServerName } from './node.js';
import { peerCertificates, rememberAcceptedChain, sessionReused } from './peer-chain.js';
import { certificateFromProxy, isTrustedProxy } from './proxy-headers.js';
import { forbidden, internalError, misdirected } from './respond.js';

export type {
  CertificateSource,
  GateDecision,
  MtlsGateOptions,
  MtlsVerdict,
} from './gate-options.js';

/**
 * Checks one node:http request; `request` is the framework's own object, for the callbacks.
 * Returns the decision itself when no waiting was needed, a promise of it otherwise; the
 * promise never rejects.
 */
export type HttpGate<Request> = (
  incoming: IncomingMessage,
  request: Request,
) => GateDecision | Promise<GateDecision>;

/** Where the certificate for this request is to be found. */
type Located =
  | {
      readonly source: 'proxy';
      /** `undefined`: a trusted proxy forwarded no certificate (answered 4017). */
      readonly certificate: Uint8Array | undefined;
      readonly intermediates: readonly Uint8Array[];
    }
  | {
      readonly source: 'tls';
      readonly socket: TLSSocket | undefined;
      /**
       * What one TLS connection is known by: the socket for HTTP/1, the session for HTTP/2,
       * where every stream's request carries a socket object of its own.
       */
      readonly connection: object | undefined;
      readonly serverName: string | undefined;
      readonly note: string | undefined;
    };

interface CacheEntry {
  readonly verdict: Promise<MtlsVerdict>;
  /** Past this instant the entry is verified again; bounded by an accepted chain's notAfter. */
  expires: number;
  /** The trust store's version when the verification started. */
  readonly version: number;
  /** Set once the verdict is in, so that later requests can be answered synchronously. */
  decision: GateDecision | undefined;
}

/** Client ids remembered per connection; real clients use one, a gateway a handful. */
const MAX_CLIENTS_PER_CONNECTION = 16;

/**
 * The HTTP/2 session of a request made through node:http2's compatibility API (whose
 * `request.stream.session` is the connection), `undefined` for HTTP/1.
 */
function http2SessionOf(incoming: IncomingMessage): object | undefined {
  const session = (incoming as { stream?: { session?: unknown } }).stream?.session;
  return typeof session === 'object' && session !== null ? session : undefined;
}

function isTlsSocket(socket: Socket): socket is TLSSocket {
  return (socket as Partial<TLSSocket>).encrypted === true;
}

/**
 * The last instant an accepted chain is valid (its earliest notAfter), or Infinity when the
 * verdict carries no chain to read it from (a verifier of the host's own making).
 */
function earliestNotAfter(chain: unknown): number {
  let earliest = Number.POSITIVE_INFINITY;
  if (!Array.isArray(chain)) return earliest;
  for (const cert of chain as readonly Partial<Certificate>[]) {
    const notAfter = cert?.notAfterMs;
    if (typeof notAfter === 'number' && notAfter < earliest) earliest = notAfter;
  }
  return earliest;
}

/** A promise-like, told apart from a plain value by its `then`. */
function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function clientIdOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function decisionFor(verdict: MtlsVerdict): GateDecision {
  return !verdict.ok && verdict.enforced ? { verdict, refusal: forbidden(verdict) } : { verdict };
}

/**
 * Builds the gate. Options are checked here, so a misconfigured adapter throws when the
 * application starts rather than on its first request.
 *
 * The gate answers synchronously when it can (a synchronous `clientId` and a verdict already
 * reached on this connection), since most requests on a keep-alive connection are of that
 * kind and a chain of promises per request is most of what the gate would otherwise cost.
 */
export function createHttpGate<Request>(
  options: MtlsGateOptions<Request>,
  adapter: string,
): HttpGate<Request> {
  validate(options, adapter);
  const { verifier, clientId: resolveClientId, onVerdict, onError, proxy } = options;
  const cacheMs = options.connectionCacheMs ?? 60_000;
  // Keyed by the connection: a keep-alive connection (or an HTTP/2 session) carries many
  // requests but one certificate, and the entries go when the connection is collected.
  const cache = new WeakMap<object, Map<string, CacheEntry>>();
  const store = storeView(verifier);
  // A bundle added, replaced or removed applies to the next request, even on an open
  // connection; the time bound covers verifiers whose store has no version.
  const fresh = (entry: CacheEntry, now: number) =>
    entry.expires > now && entry.version === store.version();

  const report = (error: unknown, request: Request): void => {
    // An error reporter that fails has nowhere left to report to.
    if (onError) callObserver(() => onError(error, request), ignore);
  };

  /** A bug in the verifier or the host's setup: 500, and the handler does not run. */
  const failed = (error: unknown, request: Request): GateDecision => {
    report(error, request);
    return { refusal: internalError() };
  };

  const locate = (incoming: IncomingMessage): Located => {
    const socket = incoming.socket;
    let note: string | undefined;
    if (proxy) {
      const found = certificateFromProxy(incoming.headers, socket.remoteAddress, proxy);
      if (found.status === 'used') {
        return {
          source: 'proxy',
          certificate: found.certificate,
          intermediates: found.intermediates,
        };
      }
      if (found.status === 'ignored') note = found.why;
      // A trusted proxy that forwarded no certificate: its client sent none. The connection's
      // own certificate is the proxy's (proxies often present one upstream, from the same
      // CA as their clients'), so it must never stand in for the client's.
      if (found.status === 'absent' && isTrustedProxy(socket.remoteAddress, proxy)) {
        return { source: 'proxy', certificate: undefined, intermediates: [] };
      }
    }
    const tls = isTlsSocket(socket) ? socket : undefined;
    const serverName = typeof tls?.servername === 'string' ? tls.servername : undefined;
    const connection = tls && (http2SessionOf(incoming) ?? tls);
    return { source: 'tls', socket: tls, connection, serverName, note };
  };

  const fromSocket = (socket: TLSSocket, clientId: string, serverName?: string) => {
    const peer = peerCertificates(socket);
    return verifier
      .verify({
        clientId,
        certificate: peer.certificate ?? null,
        intermediates: peer.intermediates,
        serverName,
      })
      .then((verdict): MtlsVerdict => {
        // For the resumed sessions of this client, which bring its leaf alone.
        if (verdict.ok) rememberAcceptedChain(socket, verdict);
        return { ...verdict, source: 'tls' };
      });
  };

  /** The connection's entry for this client, made (and its verification started) if need be. */
  const entryFor = (
    connection: object,
    socket: TLSSocket,
    clientId: string,
    serverName?: string,
  ): CacheEntry => {
    const now = Date.now();
    let entries = cache.get(connection);
    const cached = entries?.get(clientId);
    if (cached && fresh(cached, now)) return cached;
    const entry: CacheEntry = {
      verdict: fromSocket(socket, clientId, serverName),
      expires: now + cacheMs,
      version: store.version(),
      decision: undefined,
    };
    if (!entries) {
      entries = new Map();
      cache.set(connection, entries);
    }
    const owner = entries;
    owner.delete(clientId);
    if (owner.size >= MAX_CLIENTS_PER_CONNECTION) {
      // Oldest first (Map keeps insertion order): one connection naming ever new client ids
      // must not grow this without bound.
      const oldest = owner.keys().next();
      if (!oldest.done) owner.delete(oldest.value);
    }
    owner.set(clientId, entry);
    entry.verdict
      .then(
        (verdict) => {
          entry.decision = decisionFor(verdict);
          // An accepted chain is accepted until its first certificate expires (notAfter is
          // the last valid millisecond), however long the connection stays open.
          if (verdict.ok) {
            entry.expires = Math.min(entry.expires, earliestNotAfter(verdict.chain) + 1);
          } else if (sessionReused(socket) && owner.get(clientId) === entry) {
            // A resumed session brings the leaf alone, and may come while the full handshake
            // that made it is still being verified: its chain is then known at the next
            // request (see peer-chain.ts), which must not be answered from this refusal.
            owner.delete(clientId);
          }
        },
        // A verifier that threw is asked again next time rather than remembered as broken.
        () => {
          if (owner.get(clientId) === entry) owner.delete(clientId);
        },
      )
      // Bookkeeping only: the request that waits on `entry.verdict` answers for a verdict
      // this could not read, and nothing here may become an unhandled rejection.
      .catch(ignore);
    return entry;
  };

  const decide = (clientId: string | undefined, at: Located): Promise<MtlsVerdict> => {
    if (clientId === undefined) {
      return Promise.resolve({
        ok: false,
        code: MtlsErrorCode.ClientNotConfigured,
        message: 'The request does not name an API client.',
        enforced: true,
        source: at.source,
        ...(at.source === 'tls' && at.note !== undefined ? { proxyHeaderIgnored: at.note } : {}),
      });
    }
    if (at.source === 'proxy') {
      return verifier
        .verify({
          clientId,
          certificate: at.certificate ?? null,
          intermediates: [...at.intermediates],
        })
        .then((verdict): MtlsVerdict => ({ ...verdict, source: 'proxy' }));
    }
    const pending = at.socket
      ? cacheMs > 0 && at.connection
        ? entryFor(at.connection, at.socket, clientId, at.serverName).verdict
        : fromSocket(at.socket, clientId, at.serverName)
      : // Plain HTTP and no trusted proxy header: there is no certificate to find.
        verifier
          .verify({ clientId, certificate: null })
          .then((verdict): MtlsVerdict => ({ ...verdict, source: 'tls' }));
    if (at.note === undefined) return pending;
    const note = at.note;
    return pending.then((verdict): MtlsVerdict => ({ ...verdict, proxyHeaderIgnored: note }));
  };

  /** Tells the observer, then hands back the decision. */
  const conclude = (decision: GateDecision, request: Request): GateDecision => {
    const verdict = decision.verdict;
    if (onVerdict && verdict) {
      // An observer must not change the decision, nor take the server down.
      callObserver(
        () => onVerdict(verdict, request),
        (error) => report(error, request),
      );
    }
    return decision;
  };

  const finish = (
    clientId: string | undefined,
    at: Located,
    request: Request,
  ): GateDecision | Promise<GateDecision> => {
    try {
      if (clientId !== undefined && at.source === 'tls' && at.connection && at.note === undefined) {
        const known = cacheMs > 0 ? cache.get(at.connection)?.get(clientId) : undefined;
        if (known?.decision && fresh(known, Date.now())) return conclude(known.decision, request);
      }
      return decide(clientId, at).then(
        (verdict) => conclude(decisionFor(verdict), request),
        (error: unknown) => failed(error, request),
      );
    } catch (error) {
      // A verifier (or the peer-chain reader) that throws instead of rejecting.
      return failed(error, request);
    }
  };

  const check: HttpGate<Request> = (incoming, request) => {
    const at = locate(incoming);
    if (at.source === 'tls' && at.serverName !== undefined && store.bindsHosts()) {
      if (!hostMatchesServerName(authorityOf(incoming), at.serverName)) {
        return { refusal: misdirected(at.serverName) };
      }
    }
    let id: string | undefined | PromiseLike<string | undefined>;
    try {
      id = resolveClientId(request);
    } catch (error) {
      // Fail closed: a request whose client cannot be named is refused as unnamed (4020).
      report(error, request);
      id = undefined;
    }
    if (!isThenable(id)) return finish(clientIdOf(id), at, request);
    return Promise.resolve(id).then(
      (value) => finish(clientIdOf(value), at, request),
      (error: unknown) => {
        report(error, request);
        return finish(undefined, at, request);
      },
    );
  };

  return (incoming, request) => {
    try {
      return check(incoming, request);
    } catch (error) {
      // Reading the proxy header or the store threw: a bug, answered like a throwing verifier.
      return failed(error, request);
    }
  };
}

/**
 * The host a request is addressed to: HTTP/2 carries it in the `:authority` pseudo-header
 * (RFC 9113 §8.3.1), which Node's compatibility layer puts among the headers; HTTP/1.1 in Host.
 */
function authorityOf(incoming: IncomingMessage): string | undefined {
  const authority = incoming.headers[':authority'];
  if (typeof authority === 'string') return authority;
  return incoming.headers.host;
}
