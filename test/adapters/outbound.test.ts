import { webcrypto } from 'node:crypto';
import { createServer as createHttpsServer, get, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import * as undici from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientAgent,
  tlsServerOptions,
  undiciAgent,
  verifySocket,
} from '../../src/adapters/node.js';
import { createVerifier, TrustStore, verdictErrorBody } from '../../src/index.js';
import { ca, endEntity } from '../fixtures/pki.js';

const serverRoot = await ca('Outbound Server Root');
const server = await endEntity('localhost', {
  issuer: serverRoot,
  eku: ['1.3.6.1.5.5.7.3.1'],
  san: [{ type: 'ip', value: '127.0.0.1' }],
});
const clientRoot = await ca('Outbound Client Root');
const client = await endEntity('integration', { issuer: clientRoot });
const otherRoot = await ca('Outbound Other Root');

let srv: Server;
let url = '';

beforeAll(async () => {
  const trustStore = new TrustStore();
  trustStore.addBundle('partners', clientRoot.pem);
  const verifier = createVerifier({
    trustStore,
    clients: { itential: { bundles: ['partners'] } },
  });
  srv = createHttpsServer(
    tlsServerOptions(trustStore, { cert: server.pem, key: server.keyPem }),
    async (req, res) => {
      const verdict = await verifySocket(verifier, req.socket as TLSSocket, 'itential');
      res.setHeader('content-type', 'application/json');
      if (!verdict.ok) {
        res.writeHead(403);
        res.end(JSON.stringify(verdictErrorBody(verdict)));
        return;
      }
      res.end(JSON.stringify({ subject: verdict.certificate.subject }));
    },
  );
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(srv.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => srv.close(() => resolve())));

function fetchWith(agent: ReturnType<typeof clientAgent>) {
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    get(url, { agent }, (res) => {
      let text = '';
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    }).on('error', reject);
  });
}

describe('clientAgent', () => {
  it('presents the client certificate to an mTLS server', async () => {
    const agent = clientAgent({ cert: client.pem, key: client.keyPem, ca: serverRoot.pem });
    try {
      expect(await fetchWith(agent)).toEqual({
        status: 200,
        body: { subject: 'CN=integration' },
      });
    } finally {
      agent.destroy();
    }
  });

  it('accepts DER certificate and key bytes', async () => {
    const keyDer = new Uint8Array(
      await webcrypto.subtle.exportKey('pkcs8', client.keys.privateKey),
    );
    const agent = clientAgent({ cert: client.der, key: keyDer, ca: [serverRoot.der] });
    try {
      expect((await fetchWith(agent)).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });

  it('still verifies the server: a CA that did not issue its certificate fails the call', async () => {
    const agent = clientAgent({ cert: client.pem, key: client.keyPem, ca: otherRoot.pem });
    try {
      await expect(fetchWith(agent)).rejects.toThrow();
    } finally {
      agent.destroy();
    }
  });

  it('refuses an identity without a key', () => {
    expect(() => clientAgent({ cert: client.pem } as never)).toThrow(TypeError);
  });
});

describe('undiciAgent', () => {
  it('gives a dispatcher of the undici module passed in that presents the certificate', async () => {
    const dispatcher = await undiciAgent(
      { cert: client.pem, key: client.keyPem, ca: serverRoot.pem },
      undici,
    );
    expect(dispatcher).toBeInstanceOf(undici.Agent);
    try {
      const response = await undici.request(url, { dispatcher });
      expect(response.statusCode).toBe(200);
      expect(await response.body.json()).toEqual({ subject: 'CN=integration' });
    } finally {
      await dispatcher.close();
    }
  });

  it('imports undici itself when no module is passed', async () => {
    const dispatcher = (await undiciAgent({
      cert: client.pem,
      key: client.keyPem,
      ca: serverRoot.pem,
    })) as undici.Agent;
    try {
      const response = await undici.request(url, { dispatcher });
      expect(response.statusCode).toBe(200);
      await response.body.dump();
    } finally {
      await dispatcher.close();
    }
  });
});
