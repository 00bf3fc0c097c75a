/**
 * Review findings on the adapters' certificate sourcing: which certificate a request is judged
 * by when a TLS-terminating proxy is configured.
 */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createHttpGate } from '../../src/adapters/http-gate.js';
import { createVerifier, TrustStore } from '../../src/index.js';
import { ca, endEntity } from '../fixtures/pki.js';

const root = await ca('Review Root');
const client = await endEntity('real-client', { issuer: root });
// The proxy's own client certificate, from the same CA (a service mesh's usual setup).
const proxyCert = await endEntity('edge-proxy', { issuer: root });

const store = new TrustStore();
store.addBundle('root', root.pem);
const verifier = createVerifier({ trustStore: store, clients: { acme: { bundles: ['root'] } } });

/** An incoming request on a TLS socket whose peer presented `peer` (or nothing). */
function incoming(
  remoteAddress: string,
  headers: Record<string, string>,
  peer: Uint8Array | undefined,
): IncomingMessage {
  const socket = {
    encrypted: true,
    remoteAddress,
    servername: undefined,
    getPeerCertificate: () => (peer ? { raw: Buffer.from(peer) } : {}),
    getPeerX509Certificate: () => undefined,
  };
  return { socket, headers } as unknown as IncomingMessage;
}

const PROXY = '10.0.0.7';
const gate = createHttpGate<IncomingMessage>(
  {
    verifier,
    clientId: () => 'acme',
    proxy: { trusted: ['10.0.0.0/24'], header: 'nginx' },
    connectionCacheMs: 0,
  },
  'review',
);

describe('a trusted proxy that forwards no client certificate', () => {
  it("is not authenticated by the proxy's own TLS certificate", async () => {
    const decision = await gate(incoming(PROXY, {}, proxyCert.der), {} as IncomingMessage);
    expect(decision.verdict?.ok).toBe(false);
    expect(decision.verdict && !decision.verdict.ok && decision.verdict.code).toBe(4017);
    expect(decision.refusal?.status).toBe(403);
  });

  it('also when the proxy is reached over IPv4-mapped IPv6', async () => {
    const decision = await gate(
      incoming(`::ffff:${PROXY}`, {}, proxyCert.der),
      {} as IncomingMessage,
    );
    expect(decision.verdict?.ok).toBe(false);
  });

  it('a direct client (not a proxy) is still judged by its TLS certificate', async () => {
    const decision = await gate(incoming('192.0.2.1', {}, client.der), {} as IncomingMessage);
    expect(decision.verdict?.ok).toBe(true);
  });

  it("the header wins over the proxy's own TLS certificate", async () => {
    const headers = { 'x-ssl-client-cert': encodeURIComponent(client.pem) };
    const decision = await gate(incoming(PROXY, headers, proxyCert.der), {} as IncomingMessage);
    expect(decision.verdict?.ok).toBe(true);
    expect(decision.verdict?.ok && decision.verdict.certificate.subject).toBe('CN=real-client');
  });
});
