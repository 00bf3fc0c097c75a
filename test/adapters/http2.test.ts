/**
 * HTTP/2 through Node's compatibility API: the gate reads the request's host from the
 * `:authority` pseudo-header (RFC 9113 §8.3.1) when it compares it with the TLS server name.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect, createSecureServer, type Http2SecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mtlsGate } from '../../src/adapters/express.js';
import { createVerifier, TrustStore } from '../../src/index.js';
import { type GatePki, gatePki, headerClientId, httpsOptions } from '../fixtures/servers.js';

let pki: GatePki;
let server: Http2SecureServer;
let port: number;

beforeAll(async () => {
  pki = await gatePki();
  const trustStore = new TrustStore();
  trustStore.addBundle('acme', pki.root.pem, { hosts: ['localhost'] });
  const verifier = createVerifier({ trustStore, clients: { acme: { bundles: ['acme'] } } });
  const gate = mtlsGate({ verifier, clientId: headerClientId });
  server = createSecureServer(httpsOptions(pki), (req, res) => {
    // The compatibility objects stand in for node:http's, as Express-style middleware expects.
    const request = req as unknown as IncomingMessage & { mtls?: { ok: boolean } };
    const response = res as unknown as ServerResponse;
    gate(request, response, () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: request.mtls?.ok ?? null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function h2get(authority: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const session = connect(`https://127.0.0.1:${port}`, {
      ca: pki.serverRoot.pem,
      cert: pki.valid.pem,
      key: pki.valid.keyPem,
      servername: 'localhost',
    });
    session.on('error', reject);
    const stream = session.request({
      ':path': '/',
      ':authority': authority,
      'x-api-client': 'acme',
    });
    let status = 0;
    let body = '';
    stream.on('response', (headers) => {
      status = Number(headers[':status']);
    });
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      body += chunk;
    });
    stream.on('end', () => {
      session.close();
      resolve({ status, body });
    });
    stream.on('error', reject);
    stream.end();
  });
}

describe('the gate over HTTP/2', () => {
  it('admits a request whose :authority matches the TLS server name', async () => {
    const reply = await h2get(`localhost:${port}`);
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ ok: true });
  });

  it('answers 421 when :authority names another host than the TLS server name', async () => {
    const reply = await h2get('intranet.example');
    expect(reply.status).toBe(421);
  });
});
