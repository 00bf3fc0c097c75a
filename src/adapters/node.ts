/**
 * `mtls-gate/node`: mutual TLS for servers on `node:tls` and `node:https` without a framework.
 *
 * ```ts
 * import { createServer } from 'node:https';
 * import { tlsServerOptions, verifySocket } from 'mtls-gate/node';
 *
 * const server = createServer({ ...tlsServerOptions(store, { cert, key }) }, async (req, res) => {
 *   const verdict = await verifySocket(verifier, req.socket as TLSSocket, 'acme');
 *   if (!verdict.ok && verdict.enforced) { res.writeHead(403); res.end(JSON.stringify(verdictErrorBody(verdict))); return; }
 *   …
 * });
 * ```
 */

import type { TLSSocket } from 'node:tls';
import type { Verifier, VerifyRequest } from '../verifier/create-verifier.js';
import type { Verdict } from '../verifier/verdict.js';
import { peerCertificates, rememberAcceptedChain } from './peer-chain.js';

export { loadBundleFiles } from './load-bundles.js';
export { type ClientIdentity, clientAgent, type UndiciModule, undiciAgent } from './outbound.js';
export {
  capturePeerCertificates,
  MAX_RESUMABLE_LEAVES,
  type PeerCertificates,
  peerCertificates,
  rememberAcceptedChain,
} from './peer-chain.js';
export {
  certificateFromProxy,
  compileProxyOptions,
  isTrustedProxy,
  type ProxyCertificate,
  type ProxyHeaderFormat,
  type ProxyOptions,
} from './proxy-headers.js';
export {
  type MtlsServerOptions,
  type TlsServerOptionsInput,
  tlsServerOptions,
} from './tls-options.js';

/**
 * Verifies the certificate the peer of `socket` presented, for API client `clientId`, with the
 * TLS server name (SNI) the client asked for, so that host-bound bundles apply. Resolves to
 * the verdict; never rejects (the verifier never does).
 */
export function verifySocket(
  verifier: Verifier,
  socket: TLSSocket,
  clientId: string,
  options: Pick<VerifyRequest, 'at'> = {},
): Promise<Verdict> {
  let request: VerifyRequest;
  try {
    const peer = peerCertificates(socket);
    const servername = socket.servername;
    request = {
      clientId,
      certificate: peer.certificate ?? null,
      intermediates: peer.intermediates,
      ...(typeof servername === 'string' && servername !== '' ? { serverName: servername } : {}),
      ...(options.at ? { at: options.at } : {}),
    };
  } catch {
    request = { clientId, certificate: null };
  }
  return Promise.resolve(verifier.verify(request)).then((verdict) => {
    // For the resumed sessions of this client, which bring its leaf alone.
    if (verdict?.ok) rememberAcceptedChain(socket, verdict);
    return verdict;
  });
}

/**
 * Whether an HTTP `Host` header names the same host as the TLS server name: equal ignoring
 * case, a port and one trailing dot (`API.example.com.:8443` matches `api.example.com`).
 * `false` without a Host header. Adapters answer 421 (Misdirected Request) on `false` when
 * bundles are bound to hosts, since otherwise a client certificate accepted for one hostname
 * would open another hostname's routes on the same connection.
 */
export function hostMatchesServerName(hostHeader: string | undefined, servername: string): boolean {
  if (typeof hostHeader !== 'string' || typeof servername !== 'string') return false;
  let host = hostHeader.trim();
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    if (end === -1) return false;
    host = host.slice(1, end);
  } else {
    const colon = host.lastIndexOf(':');
    // One colon is a port; several would be a bare IPv6 literal, which RFC 9110 forbids.
    if (colon !== -1 && host.indexOf(':') === colon) host = host.slice(0, colon);
    else if (colon !== -1) return false;
  }
  const normalize = (name: string) => name.toLowerCase().replace(/\.$/, '');
  const a = normalize(host);
  return a !== '' && a === normalize(servername);
}
