/**
 * Outbound mutual TLS: your service calling a partner's API that requires a client
 * certificate. `clientAgent` builds the https.Agent that presents your certificate and trusts
 * only the partner's CA.
 *
 *   npx tsx examples/outbound-client.ts
 *
 * So that it runs on its own, the example first starts a stand-in "partner API" (plain Node
 * TLS with requestCert, no mtls-gate), calls it once and stops. In your project write
 * `from 'mtls-gate/node'`.
 */
import { createServer, get } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { clientAgent } from '../src/adapters/node.js';
import { examplePki } from './support/pki.js';

const pki = await examplePki();

// The stand-in partner: Node itself rejects clients whose certificate does not chain to ca.
const partner = createServer(
  {
    cert: pki.serverCert,
    key: pki.serverKey,
    ca: pki.ca,
    requestCert: true,
    rejectUnauthorized: true,
  },
  (req, res) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ hello: peer.subject?.CN ?? null }));
  },
);
await new Promise<void>((resolve) => partner.listen(0, '127.0.0.1', resolve));
const url = `https://127.0.0.1:${(partner.address() as AddressInfo).port}/`;

// Your side: one agent per partner, reused for every call (it pools connections).
const { cert, key } = pki.client('valid');
const agent = clientAgent({ cert, key, ca: pki.ca });

const body = await new Promise<string>((resolve, reject) => {
  get(url, { agent }, (res) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      text += chunk;
    });
    res.on('end', () => resolve(`${res.statusCode} ${text}`));
  }).on('error', reject);
});
console.log(`GET ${url} → ${body}`);

agent.destroy();
partner.close();
pki.remove();
