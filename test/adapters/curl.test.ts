/**
 * curl as the client, the way operators test an mTLS endpoint (`curl --cert … --key …
 * --cacert …`), against the Express middleware mounted on a plain node:https server.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mtlsGate } from '../../src/adapters/express.js';
import type { MtlsVerdict } from '../../src/adapters/http-gate.js';
import { createVerifier, TrustStore } from '../../src/index.js';
import {
  close,
  curl,
  type GatePki,
  gatePki,
  gateVerifier,
  headerClientId,
  httpsOptions,
  listen,
  pemDir,
  removePemDir,
  summarize,
} from '../fixtures/servers.js';

let pki: GatePki;
const servers: Server[] = [];
let verifications = 0;

/** A node:https server: the middleware, then a handler echoing the verdict. */
async function serve(verifier: ReturnType<typeof gateVerifier>['verifier']): Promise<string> {
  const gate = mtlsGate({ verifier, clientId: headerClientId });
  const server = createServer(httpsOptions(pki), (req, res) => {
    gate(req, res, () => {
      const verdict = (req as typeof req & { mtls?: MtlsVerdict }).mtls;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ reached: true, verdict: summarize(verdict) }));
    });
  });
  servers.push(server);
  return listen(server);
}

/** Runs curl with the given arguments; resolves stdout. */
function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'curl',
      ['-sS', '--http1.1', ...args],
      { encoding: 'utf8' },
      (error, stdout, stderr) =>
        error ? reject(new Error(stderr || error.message)) : resolve(stdout),
    );
  });
}

let origin: string;

beforeAll(async () => {
  pki = await gatePki();
  const { verifier } = gateVerifier(pki);
  const counting: typeof verifier = {
    verify: (request) => {
      verifications++;
      return verifier.verify(request);
    },
    trustStore: verifier.trustStore,
    clientIds: verifier.clientIds,
  };
  origin = await serve(counting);
});

afterAll(async () => {
  for (const server of servers) await close(server);
  removePemDir(pki);
});

describe('curl against an mTLS endpoint', () => {
  it('is let through with a valid --cert and --key, and the handler sees the identity', async () => {
    const reply = await curl(origin, '/whoami', { cert: 'valid', client: 'acme' }, pki);
    expect(reply).toEqual({
      status: 200,
      body: {
        reached: true,
        verdict: { ok: true, clientId: 'acme', subject: 'CN=acme-client', source: 'tls' },
      },
    });
  });

  it('is refused with 4018 untrusted for a certificate from an unknown CA', async () => {
    const reply = await curl(origin, '/whoami', { cert: 'stranger', client: 'acme' }, pki);
    expect(reply.status).toBe(403);
    expect(reply.body).toMatchObject({ error: { code: 4018, reason: 'untrusted' } });
  });

  it('is refused with 4017 and a JSON body when it sends no certificate', async () => {
    const reply = await curl(origin, '/whoami', { client: 'acme' }, pki);
    expect(reply.status).toBe(403);
    expect(reply.body).toMatchObject({ error: { code: 4017 } });
  });

  it('reuses one connection for two URLs and is verified once for both', async () => {
    const dir = pemDir(pki);
    const before = verifications;
    const out = await run([
      '--cacert',
      join(dir, 'server-root.pem'),
      '--cert',
      join(dir, 'valid.pem'),
      '--key',
      join(dir, 'valid.key'),
      '-H',
      'x-api-client: acme',
      // One -o per URL: curl pairs them in order.
      '-o',
      '/dev/null',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code} %{num_connects}\n',
      `${origin}/one`,
      `${origin}/two`,
    ]);
    expect(out.trim().split('\n')).toEqual(['200 1', '200 0']);
    expect(verifications - before).toBe(1);
  });

  it('is answered 421 when its Host header names another host than its TLS server name', async () => {
    const trustStore = new TrustStore();
    trustStore.addBundle('acme', pki.root.pem, { hosts: ['localhost'] });
    const bound = await serve(
      createVerifier({ trustStore, clients: { acme: { bundles: ['acme'] } } }),
    );
    const port = new URL(bound).port;
    const dir = pemDir(pki);
    const common = [
      '--cacert',
      join(dir, 'server-root.pem'),
      '--cert',
      join(dir, 'valid.pem'),
      '--key',
      join(dir, 'valid.key'),
      '--resolve',
      `localhost:${port}:127.0.0.1`,
      '-H',
      'x-api-client: acme',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
    ];
    const url = `https://localhost:${port}/whoami`;
    expect(await run([...common, '-H', 'Host: intranet.example', url])).toBe('421');
    expect(await run([...common, url])).toBe('200');
  });
});
