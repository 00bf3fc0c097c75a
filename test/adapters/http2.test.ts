/**
 * HTTP/2 through Node's compatibility API: the gate reads the request's host from the
 * `:authority` pseudo-header (RFC 9113 §8.3.1) when it compares it with the TLS server name,
 * and decides once per session (one TLS connection), not once per stream.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type ClientHttp2Session,
  connect,
  createSecureServer,
  type Http2SecureServer,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mtlsGate } from '../../src/adapters/express.js';
import { createVerifier, TrustStore, type Verifier } from '../../src/index.js';
import { type GatePki, gatePki, headerClientId, httpsOptions } from '../fixtures/servers.js';

let pki: GatePki;
let server: Http2SecureServer;
let port: number;
let verifications = 0;

beforeAll(async () => {
  pki = await gatePki();
  const trustStore = new TrustStore();
  trustStore.addBundle('acme', pki.root.pem, { hosts: ['localhost'] });
  const inner = createVerifier({ trustStore, clients: { acme: { bundles: ['acme'] } } });
  const verifier: Verifier = {
    trustStore: inner.trustStore,
    clientIds: inner.clientIds,
    verify: (request) => {
      verifications++;
      return inner.verify(request);
    },
  };
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

type Reply = { status: number; body: string };

function h2get(authority: string): Promise<Reply> {
  return h2gets([authority]).then((replies) => replies[0]!);
}

/** One request per authority, one after another, on one HTTP/2 session. */
async function h2gets(authorities: readonly string[]): Promise<Reply[]> {
  const session = connect(`https://127.0.0.1:${port}`, {
    ca: pki.serverRoot.pem,
    cert: pki.valid.pem,
    key: pki.valid.keyPem,
    servername: 'localhost',
  });
  try {
    const replies: Reply[] = [];
    for (const authority of authorities) replies.push(await h2stream(session, authority));
    return replies;
  } finally {
    session.close();
  }
}

function h2stream(session: ClientHttp2Session, authority: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    session.once('error', reject);
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
      session.off('error', reject);
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

  it('verifies the client certificate once per session, not once per stream', async () => {
    const before = verifications;
    const host = `localhost:${port}`;
    const replies = await h2gets([host, host, host]);
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(verifications - before).toBe(1);
    // A new session is a new connection: verified again.
    expect((await h2get(host)).status).toBe(200);
    expect(verifications - before).toBe(2);
  });

  it('answers 421 when :authority names another host than the TLS server name', async () => {
    const reply = await h2get('intranet.example');
    expect(reply.status).toBe(421);
  });
});
