/**
 * The demo's HTTPS server: node:https with the library's verifier and `mtls-gate/node`
 * helpers, on 127.0.0.1 and a port the OS picks. One API client, "billing-api", trusts the
 * demo root and requires the billing SAN. The TLS layer asks for a certificate but lets every
 * handshake through, so that the verifier — not an opaque TLS alert — answers each failure
 * with a 403 and a JSON body the table can show.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { peerCertificates, tlsServerOptions } from '../../dist/adapters/node.js';
import { createVerifier, TrustStore, verdictErrorBody } from '../../dist/index.js';

/** The header that names the API client, and the demo's one client. */
export const CLIENT_HEADER = 'x-api-client';
export const CLIENT_ID = 'billing-api';
export const RULE = 'SAN.include?("DNS:billing.demo.internal")';

/** Starts the server; resolves to `{ port, close }` once it listens. */
export async function startDemoServer(files) {
  const store = new TrustStore();
  store.addBundle('demo-root', readFileSync(files['ca.pem'], 'utf8'));
  const verifier = createVerifier({
    trustStore: store,
    clients: { [CLIENT_ID]: { bundles: ['demo-root'], rule: RULE } },
  });
  const options = tlsServerOptions(store, {
    cert: readFileSync(files['server.pem'], 'utf8'),
    key: readFileSync(files['server-key.pem'], 'utf8'),
  });
  const server = createServer(options, async (req, res) => {
    const { certificate, intermediates } = peerCertificates(req.socket);
    const clientId = String(req.headers[CLIENT_HEADER] ?? '');
    const verdict = await verifier.verify({ clientId, certificate, intermediates });
    res.setHeader('content-type', 'application/json');
    if (verdict.ok) {
      res.writeHead(200);
      res.end(
        JSON.stringify({
          ok: true,
          client: verdict.clientId,
          subject: verdict.certificate.subject,
        }),
      );
    } else {
      // A demo enforces every client; with `enforce: false` you would check verdict.enforced.
      res.writeHead(403);
      res.end(JSON.stringify(verdictErrorBody(verdict)));
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: server.address().port,
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}
