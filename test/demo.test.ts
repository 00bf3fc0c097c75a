/**
 * The README's first command: `npm run demo` builds, then runs scripts/demo.mjs. Here the build
 * is reused (CI builds before testing) and the script itself is run and its table checked.
 */
import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './cli/run-cli.js';

let result: { code: number; stdout: string; stderr: string };

beforeAll(async () => {
  ensureBuilt();
  result = await new Promise((resolve) => {
    execFile(
      process.execPath,
      ['scripts/demo.mjs'],
      { env: withoutColourSettings() },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
});

afterAll(() => {
  // The demo leaves its PKI for the user on purpose; a test run should not.
  const dir = /Certificates and keys are in (\S+)/.exec(result.stdout)?.[1];
  if (dir?.includes('mtls-gate-demo-')) rmSync(dir, { recursive: true, force: true });
});

/** The environment without NO_COLOR/FORCE_COLOR: output is piped, so colour must be off. */
function withoutColourSettings(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  return env;
}

/** The table's row for a client, split into its columns. */
function row(client: string): string[] {
  const line = result.stdout.split('\n').find((l) => l.startsWith(`${client}  `));
  if (!line) throw new Error(`no row for ${client} in:\n${result.stdout}`);
  return [client, ...line.slice(client.length).trim().split(/ {2,}/)];
}

describe('npm run demo', () => {
  it('exits 0 with nothing on standard error', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('prints a table with client, HTTP status, code, reason and message', () => {
    expect(result.stdout).toMatch(/^client\s+HTTP\s+code\s+reason\s+message$/m);
  });

  it('lets the valid client through', () => {
    expect(row('valid client')).toEqual([
      'valid client',
      '200',
      '-',
      '-',
      'OK: CN=svc-billing,O=mtls-gate demo',
    ]);
  });

  it('refuses the expired, unknown-CA, wrong-SAN, certificate-less and unknown-client requests', () => {
    expect(row('expired client').slice(1, 4)).toEqual(['403', '4018', 'expired']);
    expect(row('unknown CA').slice(1, 4)).toEqual(['403', '4018', 'untrusted']);
    expect(row('unknown CA')[4]).toContain('CN=Rogue Root CA');
    expect(row('SAN fails the rule').slice(1, 4)).toEqual(['403', '4019', '-']);
    expect(row('SAN fails the rule')[4]).toContain(
      'SAN.include?("DNS:billing.demo.internal") was false',
    );
    expect(row('no certificate').slice(1, 4)).toEqual(['403', '4017', '-']);
    expect(row('unknown API client').slice(1, 4)).toEqual(['403', '4020', '-']);
  });

  it('says where the certificates are and how to call the server with curl --cert', () => {
    const dir = /Certificates and keys are in (\S+)/.exec(result.stdout)?.[1];
    expect(dir).toBeDefined();
    for (const name of [
      'ca.pem',
      'server.pem',
      'valid.pem',
      'valid-key.pem',
      'expired.pem',
      'wrong-san.pem',
    ]) {
      expect(existsSync(join(dir!, name))).toBe(true);
    }
    expect(result.stdout).toContain(
      `curl --cert ${join(dir!, 'valid.pem')} --key ${join(dir!, 'valid-key.pem')} --cacert ${join(dir!, 'ca.pem')}`,
    );
    expect(result.stdout).toContain('npm run demo -- --serve');
  });

  it('uses no colour when piped', () => {
    expect(result.stdout).not.toContain('\u001b[');
  });
});
