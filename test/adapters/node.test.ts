import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  capturePeerCertificates,
  hostMatchesServerName,
  loadBundleFiles,
  tlsServerOptions,
  verifySocket,
} from '../../src/adapters/node.js';
import {
  createVerifier,
  MtlsError,
  parseCertificates,
  TrustStore,
  type Verdict,
  verdictErrorBody,
} from '../../src/index.js';
import { ca, DAY, endEntity, type Issued } from '../fixtures/pki.js';

const now = Date.now();
const serverRoot = await ca('Node Server Root');
const server = await endEntity('localhost', {
  issuer: serverRoot,
  eku: ['1.3.6.1.5.5.7.3.1'],
  san: [
    { type: 'ip', value: '127.0.0.1' },
    { type: 'dns', value: 'localhost' },
  ],
});
const root = await ca('Node Client Root');
const intermediate = await ca('Node Issuing CA', { issuer: root });
const valid = await endEntity('node-client', { issuer: root });
const chained = await endEntity('node-chained', { issuer: intermediate });
const expired = await endEntity('node-expired', {
  issuer: root,
  notBefore: new Date(now - 30 * DAY),
  notAfter: new Date(now - DAY),
});
const strangerRoot = await ca('Node Stranger Root');
const stranger = await endEntity('node-client', { issuer: strangerRoot });
const partnerRoot = await ca('Partner Root');

interface Answer {
  readonly status: number;
  readonly body: { error?: { code: number; reason?: string }; cn?: string; verdict?: Verdict };
}

/** GET / with the API client in a header and, optionally, a client certificate (and chain). */
function get(port: number, clientId: string, client?: Issued, chain: Issued[] = []) {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/',
        headers: { 'x-api-client': clientId },
        ca: serverRoot.pem,
        agent: false,
        ...(client
          ? { cert: [client.pem, ...chain.map((c) => c.pem)].join('\n'), key: client.keyPem }
          : {}),
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('mtls-gate/node on a real HTTPS server', () => {
  const trustStore = new TrustStore();
  trustStore.addBundle('acme', root.pem);
  const verifier = createVerifier({
    trustStore,
    clients: {
      acme: { bundles: ['acme'] },
      lenient: { bundles: ['acme'], enforce: false },
      strict: { bundles: ['acme'], rule: 'CN == "someone-else"' },
      orphan: { bundles: ['gone'] },
    },
  });
  let httpsServer: Server;
  let port = 0;

  beforeAll(async () => {
    httpsServer = createServer(
      tlsServerOptions(trustStore, { cert: server.pem, key: server.keyPem }),
      async (req, res) => {
        const clientId = String(req.headers['x-api-client'] ?? '');
        const verdict = await verifySocket(verifier, req.socket as TLSSocket, clientId);
        res.setHeader('content-type', 'application/json');
        if (!verdict.ok && verdict.enforced) {
          res.writeHead(403);
          res.end(JSON.stringify(verdictErrorBody(verdict)));
          return;
        }
        res.end(
          JSON.stringify(
            verdict.ok
              ? { cn: verdict.certificate.subject.replace(/^CN=/, '') }
              : { verdict: { ...verdict } },
          ),
        );
      },
    );
    capturePeerCertificates(httpsServer);
    await new Promise<void>((resolve) => httpsServer.listen(0, '127.0.0.1', resolve));
    port = (httpsServer.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => httpsServer.close(() => resolve())));

  it('lets a valid client certificate through with its identity', async () => {
    const answer = await get(port, 'acme', valid);
    expect(answer.status).toBe(200);
    expect(answer.body.cn).toBe('node-client');
  });

  it('accepts a chain whose intermediate only the client sends', async () => {
    const answer = await get(port, 'acme', chained, [intermediate]);
    expect(answer.status).toBe(200);
    expect(answer.body.cn).toBe('node-chained');
  });

  it('refuses a connection without a client certificate with 4017', async () => {
    const answer = await get(port, 'acme');
    expect(answer).toEqual({
      status: 403,
      body: { error: { code: 4017, message: 'Client certificate is missing from the request.' } },
    });
  });

  it('refuses expired, unknown-CA and rule-failing certificates with their codes', async () => {
    const expiredAnswer = await get(port, 'acme', expired);
    expect([expiredAnswer.status, expiredAnswer.body.error?.reason]).toEqual([403, 'expired']);
    const strangerAnswer = await get(port, 'acme', stranger);
    expect([strangerAnswer.status, strangerAnswer.body.error?.reason]).toEqual([403, 'untrusted']);
    const ruled = await get(port, 'strict', valid);
    expect([ruled.status, ruled.body.error?.code]).toEqual([403, 4019]);
  });

  it('refuses an unknown client with 4020 and a missing bundle with 4016', async () => {
    expect((await get(port, 'nobody', valid)).body.error?.code).toBe(4020);
    expect((await get(port, 'orphan', valid)).body.error?.code).toBe(4016);
  });

  it('lets a failing request of an enforce: false client through with the verdict recorded', async () => {
    const answer = await get(port, 'lenient', stranger);
    expect(answer.status).toBe(200);
    expect(answer.body.verdict).toMatchObject({ ok: false, code: 4018, enforced: false });
  });
});

describe('tlsServerOptions', () => {
  it('asks for a certificate, lets the verifier decide and lists every anchor once', () => {
    const store = new TrustStore();
    store.addBundle('a', root.pem);
    store.addBundle('b', [root.pem, partnerRoot.pem]);
    const options = tlsServerOptions(store, { cert: server.pem });
    expect(options.requestCert).toBe(true);
    expect(options.rejectUnauthorized).toBe(false);
    expect(options.cert).toBe(server.pem);
    expect(options.ca).toHaveLength(2);
    // Written from the bundles' DER (no anchor parsed for it): the same certificates, as PEM.
    const listed = (options.ca as string[]).map((pem) => parseCertificates(pem)[0]!.fingerprint256);
    expect(listed).toEqual(
      [root.pem, partnerRoot.pem].map((pem) => parseCertificates(pem)[0]!.fingerprint256),
    );
    expect((options.ca as string[])[0]).toMatch(
      /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+\n-----END CERTIFICATE-----\n$/,
    );
    expect(options.SNICallback).toBeUndefined();
    expect(tlsServerOptions(store, { bundles: ['a'] }).ca).toHaveLength(1);
  });

  it('hands SNI failures to the callback instead of throwing, and can be told not to use SNI', () => {
    const store = new TrustStore();
    store.addBundle('acme', root.pem, { hosts: ['acme.example'] });
    expect(tlsServerOptions(store, { sni: false }).SNICallback).toBeUndefined();
    const broken = tlsServerOptions(store, { cert: 'not a certificate', key: 'nor a key' });
    let received: unknown;
    broken.SNICallback?.('acme.example', (error) => {
      received = error;
    });
    expect(received).toBeInstanceOf(Error);
    const working = tlsServerOptions(store, { cert: server.pem, key: server.keyPem });
    let context: unknown;
    working.SNICallback?.('ACME.example', (_error, ctx) => {
      context = ctx;
    });
    expect(context).toBeDefined();
  });

  it('advertises per server name only the CAs of the bundles bound to it (openssl s_client)', async () => {
    const store = new TrustStore();
    store.addBundle('acme', root.pem, { hosts: ['acme.example'] });
    store.addBundle('partners', partnerRoot.pem, { hosts: ['*.partners.example'] });
    const options = tlsServerOptions(store, { cert: server.pem, key: server.keyPem });
    expect(typeof options.SNICallback).toBe('function');
    const srv = createServer(options, (_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const { port } = srv.address() as AddressInfo;
    try {
      const acme = await acceptableCaNames(port, 'acme.example');
      expect(acme).toContain('Node Client Root');
      expect(acme).not.toContain('Partner Root');
      const partner = await acceptableCaNames(port, 'eu.partners.example');
      expect(partner).toContain('Partner Root');
      expect(partner).not.toContain('Node Client Root');
      // No bundle for this name: no CA names at all, rather than Node's bundled roots, and
      // the certificate is still requested.
      expect(await acceptableCaNames(port, 'nobody.example')).toBe('');
    } finally {
      await new Promise<void>((resolve) => srv.close(() => resolve()));
    }
  });
});

describe('host-bound bundles over SNI, end to end', () => {
  it('accept a client under the bound name only, and follow store changes at the next handshake', async () => {
    const store = new TrustStore();
    store.addBundle('acme', root.pem, { hosts: ['acme.example'] });
    const verifier = createVerifier({
      trustStore: store,
      clients: { acme: { bundles: ['acme'] } },
    });
    const srv = createServer(
      tlsServerOptions(store, { cert: server.pem, key: server.keyPem }),
      async (req, res) => {
        const verdict = await verifySocket(verifier, req.socket as TLSSocket, 'acme');
        res.end(JSON.stringify(verdict.ok ? { ok: true } : verdictErrorBody(verdict)));
      },
    );
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const { port } = srv.address() as AddressInfo;
    const call = (servername: string) =>
      new Promise<unknown>((resolve, reject) => {
        request(
          {
            host: '127.0.0.1',
            port,
            servername,
            agent: false,
            rejectUnauthorized: false,
            cert: valid.pem,
            key: valid.keyPem,
          },
          (res) => {
            let text = '';
            res.on('data', (chunk) => {
              text += chunk;
            });
            res.on('end', () => resolve(JSON.parse(text)));
          },
        )
          .on('error', reject)
          .end();
      });
    try {
      expect(await call('acme.example')).toEqual({ ok: true });
      expect(await call('other.example')).toMatchObject({
        error: { code: 4018, reason: 'untrusted' },
      });
      store.addBundle('partners', partnerRoot.pem, { hosts: ['other.example'] });
      expect(await acceptableCaNames(port, 'other.example')).toContain('Partner Root');
    } finally {
      await new Promise<void>((resolve) => srv.close(() => resolve()));
    }
  });
});

/**
 * The "Acceptable client certificate CA names" section of openssl s_client's report; '' when
 * the server requested a certificate without naming any CA.
 */
function acceptableCaNames(port: number, servername: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'openssl',
      ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', servername, '-tls1_2'],
      { timeout: 20_000 },
      (error, stdout) => {
        if (stdout.includes('No client certificate CA names sent')) {
          resolve('');
          return;
        }
        const start = stdout.indexOf('Acceptable client certificate CA names');
        if (start === -1) {
          reject(error ?? new Error(`no CA names in s_client output:\n${stdout}`));
          return;
        }
        const end = stdout.indexOf('---', start);
        resolve(stdout.slice(start, end === -1 ? undefined : end));
      },
    );
    child.stdin?.end();
  });
}

describe('hostMatchesServerName', () => {
  it('compares the Host header with the TLS server name, ignoring case, port and a final dot', () => {
    expect(hostMatchesServerName('api.example.com', 'api.example.com')).toBe(true);
    expect(hostMatchesServerName('API.Example.com:8443', 'api.example.com')).toBe(true);
    expect(hostMatchesServerName('api.example.com.', 'api.example.com')).toBe(true);
    expect(hostMatchesServerName('[::1]:443', '::1')).toBe(true);
  });

  it('refuses another host, a missing Host and malformed forms', () => {
    expect(hostMatchesServerName('other.example.com', 'api.example.com')).toBe(false);
    expect(hostMatchesServerName(undefined, 'api.example.com')).toBe(false);
    expect(hostMatchesServerName('', 'api.example.com')).toBe(false);
    expect(hostMatchesServerName('[::1', '::1')).toBe(false);
    expect(hostMatchesServerName('a:b:c', 'a')).toBe(false);
    expect(hostMatchesServerName('api.example.com.evil', 'api.example.com')).toBe(false);
  });
});

describe('loadBundleFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bundles-'));
  const pemFile = join(dir, 'roots.pem');
  const derFile = join(dir, 'partner.der');
  const badFile = join(dir, 'bad.pem');
  writeFileSync(pemFile, `# our roots\n${root.pem}\n${intermediate.pem}\n`);
  writeFileSync(derFile, partnerRoot.der);
  writeFileSync(badFile, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');

  it('reads PEM and DER files into one bundle, with hosts', async () => {
    const store = new TrustStore();
    const bundle = await loadBundleFiles(store, 'mixed', [pemFile, derFile], {
      hosts: ['api.example.com'],
    });
    expect(bundle.size).toBe(3);
    expect(bundle.hosts).toEqual(['api.example.com']);
    expect(store.getBundle('mixed')).toBe(bundle);
  });

  it('names the file that is not certificates and leaves the store unchanged', async () => {
    const store = new TrustStore();
    await expect(loadBundleFiles(store, 'bad', [pemFile, badFile])).rejects.toThrow(MtlsError);
    await expect(loadBundleFiles(store, 'bad', badFile)).rejects.toThrow(badFile);
    expect(store.getBundle('bad')).toBeUndefined();
  });

  it('rejects with the file system error for a missing file', async () => {
    await expect(loadBundleFiles(new TrustStore(), 'x', join(dir, 'none.pem'))).rejects.toThrow(
      /ENOENT/,
    );
  });
});
