/**
 * Express behind mutual TLS: one API client, "billing-api", whose certificates must chain to the
 * demo root and carry the billing SAN.
 *
 *   npx tsx examples/express.ts        then call it with the curl line it prints
 *
 * The examples import from ../src so that they run on a fresh clone without a build; in your
 * project write `from 'mtls-gate'` and `from 'mtls-gate/express'`.
 */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { mtlsGate } from '../src/adapters/express.js';
import { tlsServerOptions } from '../src/adapters/node.js';
import { createVerifier, TrustStore } from '../src/index.js';
import { curlLine, examplePki } from './support/pki.js';

const pki = await examplePki();

const trustStore = new TrustStore();
trustStore.addBundle('partners', pki.ca);
const verifier = createVerifier({
  trustStore,
  clients: {
    'billing-api': { bundles: ['partners'], rule: 'SAN.include?("DNS:billing.demo.internal")' },
  },
});

const app = express();
// Every route below is gated: the API client is named by a header, its certificate comes
// from the TLS connection. Failures are answered 403 { error: { code, reason, message } }.
app.use(mtlsGate({ verifier, clientId: (req) => req.get('x-api-client') }));
app.get('/', (req, res) => {
  res.json({ hello: req.mtls?.ok ? req.mtls.certificate.subject : 'unverified' });
});

// tlsServerOptions asks clients for a certificate without letting Node reject the handshake,
// so that the gate (not a TLS alert) answers failures with an error code.
const server = createServer(
  tlsServerOptions(trustStore, { cert: pki.serverCert, key: pki.serverKey }),
  app,
);
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  console.log(`listening on ${url}`);
  console.log(`certificates in ${pki.dir}`);
  console.log(curlLine(pki, url));
});
