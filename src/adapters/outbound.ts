/**
 * Outbound mTLS: agents that present a client certificate when this server calls another
 * (the Itential and Unqork integrations call out with mTLS).
 */

import { Agent, type AgentOptions } from 'node:https';

/** A client identity and the CAs to trust for the server's certificate. */
export interface ClientIdentity {
  /** The client certificate, PEM (leaf first, then intermediates to send) or DER. */
  readonly cert: string | Uint8Array | readonly (string | Uint8Array)[];
  /** Its private key, PEM or DER. */
  readonly key: string | Uint8Array;
  /** CAs for the server's certificate; default Node's bundled roots. */
  readonly ca?: string | Uint8Array | readonly (string | Uint8Array)[];
  /** Passphrase of an encrypted key. */
  readonly passphrase?: string;
}

type Material = string | Buffer | (string | Buffer)[];

function material(value: ClientIdentity['cert']): Material {
  const one = (v: string | Uint8Array) => (typeof v === 'string' ? v : Buffer.from(v));
  return Array.isArray(value) ? value.map(one) : one(value as string | Uint8Array);
}

function tlsMaterial(identity: ClientIdentity) {
  if (typeof identity !== 'object' || identity === null || !identity.cert || !identity.key) {
    throw new TypeError('a client identity needs `cert` and `key`');
  }
  return {
    cert: material(identity.cert),
    key: material(identity.key),
    ...(identity.ca !== undefined ? { ca: material(identity.ca) } : {}),
    ...(identity.passphrase !== undefined ? { passphrase: identity.passphrase } : {}),
  };
}

/**
 * An `https.Agent` presenting `cert`/`key`, verifying the server against `ca`, keeping
 * connections alive. Other agent options (`maxSockets`, `servername` …) pass through;
 * server verification stays on unless you pass `rejectUnauthorized: false` yourself.
 */
export function clientAgent(
  identity: ClientIdentity & Omit<AgentOptions, 'cert' | 'key' | 'ca'>,
): Agent {
  const { cert: _c, key: _k, ca: _a, passphrase: _p, ...rest } = identity;
  return new Agent({ keepAlive: true, ...rest, ...tlsMaterial(identity) });
}

/** The part of undici this helper uses: its `Agent` class. */
export interface UndiciModule<A> {
  readonly Agent: new (options: { connect: Record<string, unknown> }) => A;
}

/**
 * An undici `Agent` (a Dispatcher for `fetch(url, { dispatcher })` and `undici.request`)
 * presenting `cert`/`key`. Pass the undici module you use (`import * as undici from
 * 'undici'`) to get its own Agent class and types; without it, `undici` is imported lazily
 * here, so mtls-gate never needs undici unless this is called. Node's built-in `fetch` does
 * not accept a dispatcher from a different undici major; prefer undici's own `fetch` then.
 */
export async function undiciAgent<A = unknown>(
  identity: ClientIdentity,
  undici?: UndiciModule<A>,
): Promise<A> {
  const connect = tlsMaterial(identity);
  const module: UndiciModule<A> =
    undici ?? ((await import('undici')) as unknown as UndiciModule<A>);
  return new module.Agent({ connect });
}
