/**
 * Behind a TLS-terminating proxy: the proxy (nginx, Envoy, a load balancer) does the TLS
 * handshake with the client and forwards the client's certificate in a header; the app runs
 * plain HTTP and trusts that header only from the proxy's address.
 *
 * To run in one command, this example starts both: a small HTTPS front that stands in for the
 * proxy (it forwards the certificate as RFC 9440 `Client-Cert` / `Client-Cert-Chain`, as
 * nginx or Envoy would be configured to), and the Express app behind it.
 *
 *   npx tsx examples/behind-proxy.ts   then call the front with the curl line it prints
 *
 * See docs/proxy.md for the nginx and Envoy settings. In your project write `from 'mtls-gate'`
 * and `from 'mtls-gate/express'`.
 */
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import express from 'express';
import { mtlsGate } from '../src/adapters/express.js';
import { tlsServerOptions } from '../src/adapters/node.js';
import { createVerifier, TrustStore } from '../src/index.js';
import { curlLine, examplePki } from './support/pki.js';

const pki = await examplePki();

// --- The app: plain HTTP on 127.0.0.1, certificates from the proxy's header ---------------
const trustStore = new TrustStore();
trustStore.addBundle('partners', pki.ca);
const verifier = createVerifier({
  trustStore,
  clients: { 'billing-api': { bundles: ['partners'] } },
});
const app = express();
app.use(
  mtlsGate({
    verifier,
    clientId: (req) => req.get('x-api-client'),
    // Only the proxy may speak for a client: a Client-Cert header from any other address is
    // ignored (and the request then has no certificate: 4017).
    proxy: { trusted: ['127.0.0.1'], header: 'rfc9440' },
  }),
);
app.get('/', (req, res) => {
  res.json({
    hello: req.mtls?.ok ? req.mtls.certificate.subject : 'unverified',
    via: req.mtls?.source,
  });
});
const backend = createHttpServer(app);
await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
const backendPort = (backend.address() as AddressInfo).port;

// --- The stand-in proxy: terminates TLS, forwards the client certificate ------------------
const sf = (der: Buffer) => `:${der.toString('base64')}:`; // RFC 8941 byte sequence
const front = createHttpsServer(
  tlsServerOptions(trustStore, { cert: pki.serverCert, key: pki.serverKey }),
  (req, res) => {
    const headers = { ...req.headers };
    // A proxy must drop whatever a client sent under these names, or clients could forge them.
    delete headers['client-cert'];
    delete headers['client-cert-chain'];
    const peer = (req.socket as TLSSocket).getPeerCertificate(true);
    if (peer?.raw) {
      headers['client-cert'] = sf(peer.raw);
      const chain: string[] = [];
      let issuer = peer.issuerCertificate;
      while (issuer?.raw && issuer !== issuer.issuerCertificate && chain.length < 8) {
        chain.push(sf(issuer.raw));
        issuer = issuer.issuerCertificate;
      }
      if (chain.length > 0) headers['client-cert-chain'] = chain.join(', ');
    }
    const upstream = httpRequest(
      { host: '127.0.0.1', port: backendPort, path: req.url, method: req.method, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  },
);
front.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const url = `https://127.0.0.1:${(front.address() as AddressInfo).port}/`;
  console.log(`listening on ${url} (proxy) → http://127.0.0.1:${backendPort}/ (app)`);
  console.log(`certificates in ${pki.dir}`);
  console.log(curlLine(pki, url));
});
