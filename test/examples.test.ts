/**
 * Every example is started as users start it (tsx, no build) and answers real requests, so that
 * the examples never rot.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';

const running: ChildProcess[] = [];
const folders: string[] = [];

afterEach(() => {
  for (const child of running.splice(0)) child.kill();
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Started {
  readonly port: number;
  readonly dir: string;
  readonly output: () => string;
}

/** Starts an example and waits for its "listening on", "certificates in" and how-to lines. */
function start(example: string): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', join('examples', example)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const check = () => {
      const port = /listening on \w+:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1];
      const dir = /certificates in (\S+)/.exec(out)?.[1];
      // The last line an example prints is how to call it: wait for it, whole.
      const howTo = /^(?:curl|openssl) .*\n/m.test(out);
      if (port && dir && howTo) {
        folders.push(dir);
        resolve({ port: Number(port), dir, output: () => out });
      }
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      check();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`${example} exited with ${code}:\n${out}`)));
  });
}

/** Runs an example to completion. */
function runToEnd(example: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join('examples', example)],
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** One HTTPS request as the named demo client (`undefined` = no certificate). */
function call(
  started: Started,
  client: string | undefined,
): Promise<{
  status: number;
  body: { hello?: string; error?: { code: number; reason?: string } };
}> {
  const file = (name: string) => readFileSync(join(started.dir, name), 'utf8');
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: started.port,
        path: '/',
        servername: 'localhost',
        ca: file('ca.pem'),
        headers: { 'x-api-client': 'billing-api' },
        agent: false,
        ...(client ? { cert: file(`${client}.pem`), key: file(`${client}-key.pem`) } : {}),
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe.each([
  ['express.ts', 'CN=svc-billing,O=mtls-gate demo'],
  ['koa.ts', 'CN=svc-billing,O=mtls-gate demo'],
  ['fastify.ts', 'CN=svc-billing,O=mtls-gate demo'],
  ['nest.ts', 'a verified billing-api client'],
])('examples/%s', (example, hello) => {
  it('answers a valid client certificate with 200 and an expired one with 403 4018', async () => {
    const server = await start(example);
    expect(server.output()).toContain('curl --cert');
    const ok = await call(server, 'valid');
    expect(ok).toEqual({ status: 200, body: { hello } });
    const expired = await call(server, 'expired');
    expect(expired.status).toBe(403);
    expect(expired.body.error).toMatchObject({ code: 4018, reason: 'expired' });
    const wrongSan = await call(server, 'wrong-san');
    expect(wrongSan.body.error?.code).toBe(4019);
  });
});

describe('examples/behind-proxy.ts', () => {
  it('accepts a client certificate forwarded by the proxy and refuses a request without one', async () => {
    const server = await start('behind-proxy.ts');
    const ok = await call(server, 'valid');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ hello: 'CN=svc-billing,O=mtls-gate demo', via: 'proxy' });
    const none = await call(server, undefined);
    expect(none.status).toBe(403);
    expect(none.body.error?.code).toBe(4017);
  });
});

describe('examples/node-tls.ts', () => {
  it('greets a verified client over plain TLS and denies an unknown CA', async () => {
    const server = await start('node-tls.ts');
    const file = (name: string) => readFileSync(join(server.dir, name), 'utf8');
    const talk = (client: string) =>
      new Promise<string>((resolve, reject) => {
        let text = '';
        const socket = connect({
          host: '127.0.0.1',
          port: server.port,
          servername: 'localhost',
          ca: file('ca.pem'),
          cert: file(`${client}.pem`),
          key: file(`${client}-key.pem`),
        });
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => {
          text += chunk;
        });
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
    expect(await talk('valid')).toBe('hello CN=svc-billing,O=mtls-gate demo\n');
    expect(await talk('unknown-ca')).toMatch(/^denied 4018 untrusted: /);
  });
});

describe('examples/outbound-client.ts', () => {
  it('calls an mTLS server with clientAgent and prints its answer', async () => {
    const r = await runToEnd('outbound-client.ts');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/GET https:\/\/127\.0\.0\.1:\d+\/ → 200 \{"hello":"svc-billing"\}/);
  });
});

describe('examples/rules.ts', () => {
  it('prints a verdict and the deciding clause per rule and certificate, then a compile error', async () => {
    const r = await runToEnd('rules.ts');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'pass  CN=svc-billing,O=mtls-gate demo\n      SAN.include?("DNS:billing.demo.internal") was true',
    );
    expect(r.stdout).toContain(
      'FAIL  CN=svc-reports,O=mtls-gate demo\n      SAN.include?("DNS:billing.demo.internal") was false',
    );
    expect(r.stdout).toContain('rule rejected at compile time:');
    expect(r.stdout).toMatch(/\n\s+\^+/);
  });
});
