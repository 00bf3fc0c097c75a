/**
 * Outbound mTLS: agents that present a client certificate when this server calls another
 * (the Itential and Unqork integrations call out with mTLS).
 */

import { createPrivateKey } from 'node:crypto';
import { Agent, type AgentOptions } from 'node:https';

/** A client identity and the CAs to trust for the server's certificate. */
export interface ClientIdentity {
  /** The client certificate, PEM (leaf first, then intermediates to send) or DER (armoured here). */
  readonly cert: string | Uint8Array | readonly (string | Uint8Array)[];
  /** Its private key, PEM or DER (PKCS#8, PKCS#1 or SEC 1). */
  readonly key: string | Uint8Array;
  /** CAs for the server's certificate; default Node's bundled roots. */
  readonly ca?: string | Uint8Array | readonly (string | Uint8Array)[];
  /** Passphrase of an encrypted key. */
  readonly passphrase?: string;
}

type Material = string | string[];

/** OpenSSL reads certificates as PEM only: DER bytes are armoured here. */
function certificates(value: ClientIdentity['cert']): Material {
  const one = (v: string | Uint8Array): string => {
    if (typeof v === 'string') return v;
    const text = Buffer.from(v).toString('latin1');
    if (text.startsWith('-----BEGIN')) return text;
    const lines =
      Buffer.from(v)
        .toString('base64')
        .match(/.{1,64}/g) ?? [];
    return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
  };
  return Array.isArray(value) ? value.map(one) : one(value as string | Uint8Array);
}

/** A DER key (PKCS#8, PKCS#1 or SEC 1) as PKCS#8 PEM, which is what OpenSSL reads. */
function privateKey(value: string | Uint8Array, passphrase: string | undefined): string {
  if (typeof value === 'string') return value;
  const bytes = Buffer.from(value);
  if (bytes.toString('latin1').startsWith('-----BEGIN')) return bytes.toString('latin1');
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      return createPrivateKey({ key: bytes, format: 'der', type, passphrase })
        .export({ format: 'pem', type: 'pkcs8' })
        .toString();
    } catch {
      // Try the next encoding.
    }
  }
  throw new TypeError('`key` is neither PEM nor a PKCS#8, PKCS#1 or SEC 1 DER private key');
}

function tlsMaterial(identity: ClientIdentity) {
  if (typeof identity !== 'object' || identity === null || !identity.cert || !identity.key) {
    throw new TypeError('a client identity needs `cert` and `key`');
  }
  return {
    cert: certificates(identity.cert),
    key: privateKey(identity.key, identity.passphrase),
    ...(identity.ca !== undefined ? { ca: certificates(identity.ca) } : {}),
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
  const module = undici ?? (await loadUndici<A>());
  return new module.Agent({ connect });
}

/**
 * `import('undici')` through a variable, so that bundlers (tsup here) leave it a run-time
 * import instead of inlining a package mtls-gate does not depend on.
 */
async function loadUndici<A>(): Promise<UndiciModule<A>> {
  const specifier = 'undici';
  const loaded: unknown = await import(specifier);
  const agent = (loaded as { Agent?: unknown } | null)?.Agent;
  if (typeof agent !== 'function') throw new TypeError('the undici module has no Agent class');
  return loaded as UndiciModule<A>;
}
