/**
 * Plain `node:tls`, no HTTP: a line-based service that greets verified clients. The same
 * verifier decides; `peerCertificates` reads the chain the client sent off the socket.
 *
 *   npx tsx examples/node-tls.ts       then: openssl s_client -connect 127.0.0.1:<port> \
 *                                        -cert <dir>/valid.pem -key <dir>/valid-key.pem -CAfile <dir>/ca.pem
 *
 * In your project write `from 'mtls-gate'` and `from 'mtls-gate/node'`.
 */
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:tls';
import { peerCertificates, tlsServerOptions } from '../src/adapters/node.js';
import { createVerifier, TrustStore } from '../src/index.js';
import { examplePki } from './support/pki.js';

const pki = await examplePki();

const trustStore = new TrustStore();
trustStore.addBundle('partners', pki.ca);
const verifier = createVerifier({
  trustStore,
  clients: { 'billing-tcp': { bundles: ['partners'] } },
});

const server = createServer(
  tlsServerOptions(trustStore, { cert: pki.serverCert, key: pki.serverKey }),
  async (socket) => {
    // One service, one API client: the client id is fixed rather than read from a request.
    const { certificate, intermediates } = peerCertificates(socket);
    const verdict = await verifier.verify({ clientId: 'billing-tcp', certificate, intermediates });
    if (verdict.ok) {
      socket.end(`hello ${verdict.certificate.subject}\n`);
    } else {
      socket.end(
        `denied ${verdict.code}${verdict.reason ? ` ${verdict.reason}` : ''}: ${verdict.message}\n`,
      );
    }
  },
);
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`listening on tls://127.0.0.1:${port}`);
  console.log(`certificates in ${pki.dir}`);
  console.log(
    `openssl s_client -quiet -connect 127.0.0.1:${port} -cert ${pki.file('valid.pem')} -key ${pki.file('valid-key.pem')} -CAfile ${pki.file('ca.pem')}`,
  );
});
