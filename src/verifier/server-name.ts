/**
 * Bundles bound to host names (the IBM document binds root certificates to hostnames): such a
 * bundle only vouches for clients that reached the server under one of its names, as the TLS
 * client said in SNI. A bundle without hosts applies whatever the server name.
 */

import type { TrustBundle } from '../trust/trust-bundle.js';

/** Lower case, without one trailing dot: `API.Example.com.` and `api.example.com` are one name. */
export function normalizeHostName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/**
 * Whether `serverName` matches `pattern`: equal ignoring case and a trailing dot, or for a
 * pattern `*.example.com`, exactly one more label of at least one character on the left
 * (`a.example.com`, not `example.com` nor `a.b.example.com`), as RFC 6125 §6.4.3 wildcards.
 * A `*` anywhere else is an ordinary character and never matches more than itself.
 */
export function hostPatternMatches(pattern: string, serverName: string): boolean {
  const p = normalizeHostName(pattern);
  const name = normalizeHostName(serverName);
  if (p.length === 0 || name.length === 0) return false;
  if (p.startsWith('*.')) {
    const suffix = p.slice(1);
    if (!name.endsWith(suffix)) return false;
    const label = name.slice(0, name.length - suffix.length);
    return label.length > 0 && !label.includes('.');
  }
  return p === name;
}

/**
 * Whether `bundle` applies to a connection under `serverName`. A host-bound bundle does not
 * apply when there is no server name (a client without SNI, or a certificate from a proxy
 * header): fail closed rather than let any hostname's clients in.
 */
export function bundleApplies(bundle: TrustBundle, serverName: string | undefined): boolean {
  if (bundle.hosts.length === 0) return true;
  if (serverName === undefined) return false;
  return bundle.hosts.some((host) => hostPatternMatches(host, serverName));
}
