#!/usr/bin/env node
/**
 * What the middleware costs an mTLS endpoint: requests per second of the same route with and
 * without the gate, on the same kind of HTTPS server (requestCert: true), over keep-alive
 * connections with a client certificate, measured in one run with autocannon.
 *
 *   npm run build && node bench/http.mjs [express|fastify|both] [--seconds 2] [--rounds 9]
 *
 * The servers run in a child process so that the load generator does not share their event
 * loop. Each round runs both sides back to back (alternating which goes first) and the median
 * of the per-round ratios is reported, so that a slow moment of the machine does not land on
 * one side only.
 */
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { createServer } from 'node:https';
import { fileURLToPath } from 'node:url';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);
const DAY = 86_400_000;

async function issue(name, { issuer, ca = false, serverAuth = false, san } = {}) {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const extensions = [
    new x509.BasicConstraintsExtension(ca, undefined, true),
    new x509.KeyUsagesExtension(
      ca ? x509.KeyUsageFlags.keyCertSign : x509.KeyUsageFlags.digitalSignature,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (!ca) {
    extensions.push(
      new x509.ExtendedKeyUsageExtension([serverAuth ? '1.3.6.1.5.5.7.3.1' : '1.3.6.1.5.5.7.3.2']),
    );
  }
  if (san) extensions.push(new x509.SubjectAlternativeNameExtension(san));
  if (issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.cert));
  const common = {
    serialNumber: webcrypto
      .getRandomValues(new Uint8Array(8))
      .reduce((s, b) => s + (b | 16).toString(16), ''),
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 30 * DAY),
    signingAlgorithm: alg,
    extensions,
  };
  const cert = issuer
    ? await x509.X509CertificateGenerator.create({
        ...common,
        subject: `CN=${name}`,
        issuer: issuer.cert.subject,
        publicKey: keys.publicKey,
        signingKey: issuer.keys.privateKey,
      })
    : await x509.X509CertificateGenerator.createSelfSigned({ ...common, name: `CN=${name}`, keys });
  const key = x509.PemConverter.encode(
    await webcrypto.subtle.exportKey('pkcs8', keys.privateKey),
    'PRIVATE KEY',
  );
  return { cert, keys, pem: cert.toString('pem'), key };
}

/** Child process: one plain and one gated server of the chosen framework. */
async function serve(framework, pki) {
  const { createVerifier, TrustStore } = await import('../dist/index.js');
  const trustStore = new TrustStore();
  trustStore.addBundle('bench', pki.clientRoot);
  const verifier = createVerifier({ trustStore, clients: { bench: { bundles: ['bench'] } } });
  const options = { verifier, clientId: (req) => req.headers['x-api-client'] };
  const tls = {
    key: pki.serverKey,
    cert: pki.server,
    requestCert: true,
    rejectUnauthorized: false,
  };
  const body = { hello: 'world' };
  const ports = {};
  for (const gated of [false, true]) {
    let server;
    if (framework === 'express') {
      const { default: express } = await import('express');
      const { mtlsGate } = await import('../dist/adapters/express.js');
      const app = express();
      if (gated) app.use(mtlsGate(options));
      app.get('/', (_req, res) => res.json(body));
      server = createServer(tls, app);
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    } else {
      const { default: Fastify } = await import('fastify');
      const { mtlsGatePlugin } = await import('../dist/adapters/fastify.js');
      const app = Fastify({ https: tls });
      if (gated) await app.register(mtlsGatePlugin, options);
      app.get('/', async () => body);
      await app.listen({ port: 0, host: '127.0.0.1' });
      server = app.server;
    }
    ports[gated ? 'gated' : 'plain'] = server.address().port;
  }
  process.send(ports);
}

/**
 * The middleware alone, without sockets or a framework: per request on a connection whose
 * verdict is known (the keep-alive case), and per new connection (a full verification).
 * Load on the machine moves these far less than it moves requests per second.
 */
async function gateAlone(pki, clientDer) {
  const { createVerifier, TrustStore } = await import('../dist/index.js');
  const { mtlsGate } = await import('../dist/adapters/express.js');
  const trustStore = new TrustStore();
  trustStore.addBundle('bench', pki.clientRoot);
  const clients = { bench: { bundles: ['bench'] } };
  const clientId = (req) => req.headers['x-api-client'];
  const gate = mtlsGate({ verifier: createVerifier({ trustStore, clients }), clientId });
  // Without the verifier's own caches, so that every new connection is a full verification.
  const uncached = createVerifier({ trustStore, clients, cache: false, chainCache: false });
  const coldGate = mtlsGate({ verifier: uncached, clientId });
  const fakeSocket = () => {
    const peer = { raw: Buffer.from(clientDer) };
    peer.issuerCertificate = peer;
    return {
      encrypted: true,
      remoteAddress: '127.0.0.1',
      getPeerCertificate: () => peer,
      getPeerX509Certificate: () => undefined,
    };
  };
  const res = { headersSent: false, writableEnded: false };
  const request = (socket) => ({ socket, headers: { 'x-api-client': 'bench' } });
  const once = (req, through = gate) =>
    new Promise((resolve, reject) =>
      through(req, res, (error) => (error ? reject(error) : resolve(req.mtls))),
    );
  const verdict = await once(request(fakeSocket()));
  if (!verdict?.ok) throw new Error(`gate alone: ${verdict?.message}`);

  const cold = 2_000;
  let start = process.hrtime.bigint();
  for (let i = 0; i < cold; i++) await once(request(fakeSocket()), coldGate);
  const coldUs = Number(process.hrtime.bigint() - start) / cold / 1_000;

  const warm = 1_000_000;
  const req = request(fakeSocket());
  await once(req);
  let passed = 0;
  const next = () => {
    passed++;
  };
  start = process.hrtime.bigint();
  for (let i = 0; i < warm; i++) gate(req, res, next);
  const warmNs = Number(process.hrtime.bigint() - start) / warm;
  if (passed !== warm) throw new Error('gate alone: a known connection was not answered at once');
  return { warmNs, coldUs };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function measure(framework, pki, seconds, rounds) {
  const { default: autocannon } = await import('autocannon');
  const child = fork(fileURLToPath(import.meta.url), ['--serve', framework], { stdio: 'inherit' });
  child.send(pki);
  const ports = await new Promise((resolve) => child.once('message', resolve));
  const run = async (port) => {
    const result = await autocannon({
      url: `https://127.0.0.1:${port}/`,
      connections: 16,
      duration: seconds,
      headers: { 'x-api-client': 'bench' },
      tlsOptions: { cert: pki.client, key: pki.clientKey },
    });
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`port ${port}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
    }
    return result.requests.average;
  };
  try {
    await run(ports.plain); // warm-up: JIT, TLS session setup
    await run(ports.gated);
    const plain = [];
    const gated = [];
    const ratios = [];
    for (let i = 0; i < rounds; i++) {
      // Alternate which side goes first, and compare within a round: on a shared machine the
      // load drifts between runs, and a ratio of neighbours cancels most of that drift.
      const order = i % 2 === 0 ? ['plain', 'gated'] : ['gated', 'plain'];
      const got = {};
      for (const side of order) got[side] = await run(ports[side]);
      plain.push(got.plain);
      gated.push(got.gated);
      ratios.push(got.gated / got.plain);
    }
    return { plain: median(plain), gated: median(gated), ratio: median(ratios) };
  } finally {
    child.kill();
  }
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--serve') {
    process.once('message', (pki) => serve(args[1], pki));
    return;
  }
  const option = (name, fallback) => {
    const at = args.indexOf(name);
    return at >= 0 ? Number(args[at + 1]) : fallback;
  };
  const which = ['express', 'fastify'].includes(args[0]) ? [args[0]] : ['express', 'fastify'];
  const seconds = option('--seconds', 2);
  const rounds = option('--rounds', 9);
  const serverRoot = await issue('Bench Server Root', { ca: true });
  const server = await issue('127.0.0.1', {
    issuer: serverRoot,
    serverAuth: true,
    san: [{ type: 'ip', value: '127.0.0.1' }],
  });
  const clientRoot = await issue('Bench Client Root', { ca: true });
  const client = await issue('bench-client', { issuer: clientRoot });
  const pki = {
    server: server.pem,
    serverKey: server.key,
    clientRoot: clientRoot.pem,
    client: client.pem,
    clientKey: client.key,
  };
  console.log(
    `keep-alive, 16 connections, ${seconds} s per run, median of ${rounds} rounds (ratio per round)`,
  );
  const alone = await gateAlone(pki, client.cert.rawData);
  console.log(
    `gate alone: ${alone.warmNs.toFixed(0)} ns per request on a verified connection, ` +
      `${alone.coldUs.toFixed(1)} µs per new connection (full verification, P-256 leaf, one anchor)`,
  );
  for (const framework of which) {
    const { plain, gated, ratio } = await measure(framework, pki, seconds, rounds);
    const cost = (1 - ratio) * 100;
    console.log(
      `${framework.padEnd(8)} without ${plain.toFixed(0)} req/s, with mtlsGate ${gated.toFixed(0)} req/s, ` +
        `median ratio ${ratio.toFixed(3)} (cost ${cost.toFixed(1)}%, target ≤ 10%)`,
    );
  }
}

await main();
