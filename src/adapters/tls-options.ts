/**
 * Server options for `tls.createServer` / `https.createServer` that ask every client for a
 * certificate, let the handshake finish whatever it sends (the verifier decides, per API
 * client, with a typed error instead of a TLS alert), and advertise the acceptable CA names.
 */

import { createSecureContext, type SecureContext, type SecureContextOptions } from 'node:tls';
import { bytesKey } from '../bytes.js';
import { certificatePem } from '../pem.js';
import type { TrustBundle } from '../trust/trust-bundle.js';
import type { TrustStore } from '../trust/trust-store.js';
import { bundleApplies } from '../verifier/server-name.js';

/** Options of {@link tlsServerOptions}. */
export interface TlsServerOptionsInput extends SecureContextOptions {
  /** Names of the bundles whose anchors are advertised; default every bundle of the store. */
  readonly bundles?: readonly string[];
  /**
   * Per-hostname selection through SNI: default `true` when some bundle is bound to hosts.
   * The CertificateRequest of a connection to `api.example.com` then lists only the anchors
   * of bundles bound to that name and of bundles bound to no name.
   */
  readonly sni?: boolean;
}

/** The options to spread into `tls.createServer` or `https.createServer`. */
export interface MtlsServerOptions extends SecureContextOptions {
  readonly requestCert: true;
  readonly rejectUnauthorized: false;
  /** Every advertised anchor as PEM: OpenSSL sends their subjects as acceptable CA names. */
  readonly ca: string[];
  readonly SNICallback?: (
    servername: string,
    callback: (error: Error | null, context?: SecureContext) => void,
  ) => void;
}

/**
 * Options for an mTLS server over `store`. `rejectUnauthorized` is false on purpose: a client
 * with a bad or missing certificate must get the JSON error of its API client, which only the
 * verifier can give. Everything else in `options` (cert, key, ciphers …) is passed through.
 *
 * The `ca` list is read now; with SNI the per-name lists are read from the live store at each
 * handshake (memoized per store version). After changing the store without SNI, call again
 * and hand the result to `server.setSecureContext`.
 */
export function tlsServerOptions(
  store: TrustStore,
  options: TlsServerOptionsInput = {},
): MtlsServerOptions {
  const { bundles: names, sni, ...secure } = options;
  const pick = (): TrustBundle[] =>
    names === undefined
      ? [...store.bundles]
      : names.flatMap((name) => {
          const bundle = store.getBundle(name);
          return bundle ? [bundle] : [];
        });
  const base: MtlsServerOptions = {
    ...secure,
    requestCert: true,
    rejectUnauthorized: false,
    ca: anchorPems(pick()),
  };
  const useSni = sni ?? store.bundles.some((bundle) => bundle.hosts.length > 0);
  if (!useSni) return base;
  let memo: { version: number; contexts: Map<string, SecureContext> } | undefined;
  return {
    ...base,
    SNICallback(servername, callback) {
      try {
        if (!memo || memo.version !== store.version) {
          memo = { version: store.version, contexts: new Map() };
        }
        const key = servername.toLowerCase();
        let context = memo.contexts.get(key);
        if (!context) {
          const ca = anchorPems(pick().filter((bundle) => bundleApplies(bundle, servername)));
          // Always a list, even empty: without `ca` Node loads its bundled Mozilla roots and
          // would advertise them all as acceptable client CAs.
          context = createSecureContext({ ...secure, ca });
          if (memo.contexts.size >= 1000) memo.contexts.clear();
          memo.contexts.set(key, context);
        }
        callback(null, context);
      } catch (error) {
        callback(error instanceof Error ? error : new Error(String(error)));
      }
    },
  };
}

/**
 * PEM of every anchor, each once. From the bundles' DER: parsing every anchor here would undo
 * what a bundle saves by parsing an anchor only when a chain reaches it (see TrustBundle).
 */
function anchorPems(bundles: readonly TrustBundle[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const bundle of bundles) {
    for (const der of bundle.ders) {
      const key = bytesKey(der);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(certificatePem(der));
    }
  }
  return out;
}
