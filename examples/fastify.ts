/**
 * Fastify behind mutual TLS: the plugin checks every request of the instance it is registered
 * on; the verdict is on `request.mtls`.
 *
 *   npx tsx examples/fastify.ts        then call it with the curl line it prints
 *
 * In your project write `from 'mtls-gate'` and `from 'mtls-gate/fastify'`.
 */
import Fastify from 'fastify';
import { mtlsGatePlugin } from '../src/adapters/fastify.js';
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

const app = Fastify({
  https: tlsServerOptions(trustStore, { cert: pki.serverCert, key: pki.serverKey }),
});
await app.register(mtlsGatePlugin, {
  verifier,
  clientId: (request) => {
    const id = request.headers['x-api-client'];
    return typeof id === 'string' ? id : undefined;
  },
});
app.get('/', async (request) => ({
  hello: request.mtls?.ok ? request.mtls.certificate.subject : 'unverified',
}));

const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
const url = `${address}/`;
console.log(`listening on ${url}`);
console.log(`certificates in ${pki.dir}`);
console.log(curlLine(pki, url));
