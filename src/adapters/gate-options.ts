/**
 * What the framework adapters are given and what they record: the options of every adapter,
 * checked when the middleware is made, and the view of the verifier's trust store that the
 * gate needs (its version, for reusing verdicts on a connection, and whether any bundle is
 * bound to host names, for the 421 check).
 */
import type { IncomingMessage } from 'node:http';
import type { Verdict, Verifier } from '../verifier/index.js';
import { compileProxyOptions, type ProxyOptions } from './proxy-headers.js';
import type { Refusal } from './respond.js';

/** Where the certificate a verdict is about came from. */
export type CertificateSource = 'tls' | 'proxy';

/**
 * The verdict an adapter records on the request: the verifier's {@link Verdict} plus where the
 * certificate came from and, when a proxy header was present but not honoured, why.
 */
export type MtlsVerdict = Verdict & {
  /** `tls`: read off the TLS connection (or none there); `proxy`: a trusted proxy's header. */
  readonly source: CertificateSource;
  /** Set when a client-certificate header was ignored (e.g. sent from an untrusted address). */
  readonly proxyHeaderIgnored?: string;
};

/**
 * The options every framework adapter takes. `Request` is what the adapter hands to
 * `clientId` and `onVerdict`: Express's `req`, Koa's `ctx`, Fastify's `request`.
 */
export interface MtlsGateOptions<Request = IncomingMessage> {
  /** The verifier made by `createVerifier`, holding the clients and the trust store. */
  readonly verifier: Verifier;
  /**
   * Which API client the request belongs to (a header, a path segment, a token claim).
   * `undefined` answers 4020. A resolver that throws is treated as `undefined` (fail closed:
   * 403 with 4020) and the error goes to `onError`.
   */
  readonly clientId: (request: Request) => string | undefined | Promise<string | undefined>;
  /**
   * Read the client certificate from a TLS-terminating proxy's header, from trusted peers
   * only. A request from a trusted proxy is judged by the header alone: without it the
   * client sent no certificate (4017), whatever certificate the proxy itself presented.
   */
  readonly proxy?: ProxyOptions;
  /** Called with every request's verdict, for logs and metrics. Exceptions are caught. */
  readonly onVerdict?: (verdict: MtlsVerdict, request: Request) => void;
  /** Receives what `clientId`, `onVerdict` or the verifier throw; nothing is rethrown. */
  readonly onError?: (error: unknown, request: Request) => void;
  /**
   * How long a verdict about a TLS connection's certificate is reused for later requests on
   * the same connection and client id, in milliseconds. Default 60 000; 0 verifies every
   * request. A change to the verifier's trust store (its `version`) ends reuse at once; the
   * time bound also re-checks validity on long-lived keep-alive connections.
   */
  readonly connectionCacheMs?: number;
}

/** What the gate decided: a refusal to send instead of the handler, and the verdict if any. */
export interface GateDecision {
  /** Absent only when the request was refused before a verdict was reached (421, 500). */
  readonly verdict?: MtlsVerdict;
  /** Present when the handler must not run. */
  readonly refusal?: Refusal;
}

function isFunction(value: unknown): value is (...args: never[]) => unknown {
  return typeof value === 'function';
}

/** Throws a TypeError naming the adapter and the option, at construction time. */
export function validate(options: unknown, adapter: string): void {
  const fail = (what: string): never => {
    throw new TypeError(`mtls-gate/${adapter}: ${what}`);
  };
  if (typeof options !== 'object' || options === null) fail('options must be an object');
  const o = options as Record<string, unknown>;
  const verifier = o.verifier as { verify?: unknown } | null | undefined;
  if (typeof verifier !== 'object' || verifier === null || !isFunction(verifier.verify)) {
    fail('`verifier` must be the object createVerifier returns');
  }
  if (!isFunction(o.clientId))
    fail('`clientId` must be a function (request) => string | undefined');
  if (o.onVerdict !== undefined && !isFunction(o.onVerdict)) fail('`onVerdict` must be a function');
  if (o.onError !== undefined && !isFunction(o.onError)) fail('`onError` must be a function');
  const ms = o.connectionCacheMs;
  if (ms !== undefined && (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)) {
    fail('`connectionCacheMs` must be a finite number ≥ 0');
  }
  if (o.proxy === undefined) return;
  try {
    // Parses the trusted addresses now, so that a bad CIDR fails at start-up.
    compileProxyOptions(o.proxy as ProxyOptions);
  } catch (error) {
    fail(`\`proxy\`: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** What the gate reads of the verifier's trust store, when the verifier exposes it. */
export interface StoreView {
  /** Bumped on every change of the store; cached verdicts from another version are stale. */
  readonly version: () => number;
  /** True when any bundle is bound to host names (IBM-style binding). */
  readonly bindsHosts: () => boolean;
}

/** Reads `verifier.trustStore` by shape, so any verifier with `verify` still works. */
export function storeView(verifier: Verifier): StoreView {
  const store = (verifier as { readonly trustStore?: unknown }).trustStore;
  if (typeof store !== 'object' || store === null) {
    return { version: () => 0, bindsHosts: () => false };
  }
  const read = store as { readonly version?: unknown; readonly bundles?: unknown };
  const version = () => (typeof read.version === 'number' ? read.version : 0);
  let memo: { version: number; binds: boolean } | undefined;
  const bindsHosts = () => {
    const now = version();
    if (memo && memo.version === now && now !== 0) return memo.binds;
    const bundles = read.bundles;
    const binds =
      Array.isArray(bundles) &&
      bundles.some((bundle: unknown) => {
        const hosts = (bundle as { readonly hosts?: unknown } | null)?.hosts;
        return Array.isArray(hosts) && hosts.length > 0;
      });
    memo = { version: now, binds };
    return binds;
  };
  return { version, bindsHosts };
}
