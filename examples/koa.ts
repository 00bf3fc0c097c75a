/**
 * Koa behind mutual TLS: the same API client as the Express example, the verdict on
 * `ctx.state.mtls`.
 *
 *   npx tsx examples/koa.ts            then call it with the curl line it prints
 *
 * In your project write `from 'mtls-gate'` and `from 'mtls-gate/koa'`.
 */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { mtlsGate } from '../src/adapters/koa.js';
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

const app = new Koa();
app.use(mtlsGate({ verifier, clientId: (ctx) => ctx.get('x-api-client') || undefined }));
app.use((ctx) => {
  const verdict = ctx.state.mtls;
  ctx.body = { hello: verdict?.ok ? verdict.certificate.subject : 'unverified' };
});

const server = createServer(
  tlsServerOptions(trustStore, { cert: pki.serverCert, key: pki.serverKey }),
  app.callback(),
);
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  console.log(`listening on ${url}`);
  console.log(`certificates in ${pki.dir}`);
  console.log(curlLine(pki, url));
});
