import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ca, DAY, endEntity, type Issued, NOW, simpleChain } from '../fixtures/pki.js';
import { CLI, ensureBuilt, removeFiles, runCli, writeFiles } from './run-cli.js';

const AT = NOW.toISOString();
let file: (name: string) => string;
let chain: { root: Issued; intermediate: Issued; leaf: Issued };

beforeAll(async () => {
  ensureBuilt();
  chain = await simpleChain('P-256', {
    san: [
      { type: 'dns', value: 'client.example' },
      { type: 'email', value: 'ops@example.com' },
    ],
  });
  const soon = await ca('Soon Root', { notAfter: new Date(NOW.getTime() + 5 * DAY) });
  const hostile = await endEntity('hostile', {
    issuer: chain.intermediate,
    san: [{ type: 'dns', value: 'a\u001b[2J\u0007b.example' }],
  });
  const rsa = await ca('RSA Root', { key: 'RSA-2048' });
  const ed = await ca('Ed Root', { key: 'Ed25519' });
  const expired = await endEntity('expired.example', {
    issuer: chain.intermediate,
    notAfter: new Date(NOW.getTime() - 3 * DAY),
  });
  file = writeFiles({
    'leaf.pem': chain.leaf.pem,
    'leaf.der': chain.leaf.der,
    'chain.pem': chain.leaf.pem + chain.intermediate.pem,
    'bundle.pem': chain.root.pem + soon.pem + chain.root.pem,
    'clean-bundle.pem': chain.root.pem + chain.intermediate.pem,
    'expired.pem': expired.pem,
    'key.pem': chain.leaf.keyPem,
    'combined.pem': `${chain.leaf.pem}\n${chain.leaf.keyPem}\n`,
    'broken-bundle.pem': `${chain.root.pem}\n-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n${chain.intermediate.pem}\n`,
    'garbage.pem': 'hello, I am not a certificate\n',
    'keys.pem': `${rsa.pem}\n${ed.pem}\n`,
    'hostile.pem': hostile.pem,
    'many.pem': `${chain.root.pem}\n`.repeat(1500),
  });
});

afterAll(removeFiles);

describe('mtls-gate inspect', () => {
  it('shows subject, issuer, canonical SANs, validity with days left, key, fingerprints and extensions', async () => {
    const r = await runCli(['inspect', '--at', AT, file('leaf.pem')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/subject\s+CN=client\.example/);
    expect(r.stdout).toMatch(/issuer\s+CN=Test Intermediate/);
    expect(r.stdout).toContain('DNS:client.example, Email:ops@example.com');
    expect(r.stdout).toContain('365 days left');
    expect(r.stdout).toMatch(/key\s+EC P-256/);
    expect(r.stdout).toMatch(/SHA-256\s+([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    expect(r.stdout).toMatch(/keyUsage\s+digitalSignature \(critical\)/);
    expect(r.stdout).toMatch(/extKeyUsage\s+clientAuth/);
    expect(r.stdout).toContain('[valid]');
    expect(r.stdout).not.toContain('Trust bundle');
  });

  it('names the key type and size and the signature algorithm of RSA and Ed25519 certificates', async () => {
    const r = await runCli(['inspect', '--at', AT, file('keys.pem')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/key\s+RSA 2048 bits\n\s+signature\s+sha256WithRSAEncryption/);
    expect(r.stdout).toMatch(/key\s+Ed25519\n\s+signature\s+Ed25519/);
  });

  it('writes control characters from a certificate as \\xNN, so they cannot drive the terminal', async () => {
    const r = await runCli(['inspect', '--at', AT, file('hostile.pem')]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).not.toContain('\u0007');
    expect(r.stdout).toContain('DNS:a\\x1b[2j\\x07b.example');
  });

  it('reads DER as well as PEM', async () => {
    const r = await runCli(['inspect', '--at', AT, file('leaf.der')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('CN=client.example');
  });

  it('reads standard input when the file is -', async () => {
    const r = await runCli(['inspect', '--at', AT, '-'], { input: chain.root.pem });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/basicConstraints\s+CA \(critical\)/);
  });

  it('draws a leaf followed by its intermediates as a chain, without bundle warnings', async () => {
    const r = await runCli(['inspect', '--at', AT, file('chain.pem')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Chain');
    expect(r.stdout).toContain('└─ #2 CN=Test Intermediate');
    expect(r.stdout).toContain('CN=Test Root (not in this input');
    expect(r.stdout).not.toContain('not a CA certificate');
  });

  it('lints a bundle: a status per certificate, an expiry warning and a duplicate', async () => {
    const r = await runCli(['inspect', '--at', AT, file('bundle.pem')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Trust bundle: 3 certificates — 2 valid, 1 expiring, 0 expired');
    expect(r.stdout).toMatch(/warning\s+#2 CN=Soon Root: expires in 5 days/);
    expect(r.stdout).toMatch(/warning\s+#3 CN=Test Root: same certificate as #1/);
  });

  it('says so when a bundle is clean', async () => {
    const r = await runCli(['inspect', '--at', AT, file('clean-bundle.pem')]);
    expect(r.stdout).toContain('no problems found');
  });

  it('exits 1 with --strict when the lint finds something, and 0 when it does not', async () => {
    expect((await runCli(['inspect', '--strict', '--at', AT, file('bundle.pem')])).code).toBe(1);
    expect((await runCli(['inspect', '--strict', '--at', AT, file('clean-bundle.pem')])).code).toBe(
      0,
    );
  });

  it('lints a single leaf as a bundle when asked with --lint', async () => {
    const r = await runCli(['inspect', '--lint', '--at', AT, file('leaf.pem')]);
    expect(r.stdout).toMatch(/error\s+#1 CN=client\.example: not a CA certificate/);
  });

  it('marks an expired certificate and says how long ago it expired', async () => {
    const r = await runCli(['inspect', '--at', AT, file('expired.pem')]);
    expect(r.stdout).toContain('[expired]');
    expect(r.stdout).toContain('expired 3 days ago');
  });

  it('prints JSON with every field and the findings for scripts', async () => {
    const r = await runCli(['inspect', '--json', '--at', AT, file('bundle.pem'), file('leaf.pem')]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as {
      certificates: {
        index: number;
        subject: string;
        status: string;
        daysLeft: number;
        subjectAltNames: string[];
        fingerprint256: string;
        file: string;
      }[];
      linted: boolean;
      findings: { index: number; kind: string; severity: string }[];
    };
    expect(json.certificates.map((c) => c.subject)).toEqual([
      'CN=Test Root',
      'CN=Soon Root',
      'CN=Test Root',
      'CN=client.example',
    ]);
    expect(json.certificates[1]).toMatchObject({ status: 'expiring', daysLeft: 5 });
    expect(json.certificates[3]!.subjectAltNames).toEqual([
      'DNS:client.example',
      'Email:ops@example.com',
    ]);
    expect(json.certificates[3]!.file).toBe(file('leaf.pem'));
    expect(json.certificates[0]!.fingerprint256).toMatch(/^[0-9a-f]{64}$/);
    expect(json.linted).toBe(true);
    expect(json.findings.map((f) => [f.index, f.kind, f.severity])).toEqual([
      [1, 'expiring', 'warning'],
      [2, 'duplicate', 'warning'],
      [3, 'not-ca', 'error'],
    ]);
  });
});

describe('mtls-gate errors and help', () => {
  it('reports a missing file in one line with exit code 2 and no stack trace', async () => {
    const r = await runCli(['inspect', file('nope.pem')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('nope.pem: file not found');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a file that is not a certificate in one line', async () => {
    const r = await runCli(['inspect', file('garbage.pem')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^mtls-gate: .*garbage\.pem: not a certificate \(no PEM certificate found/,
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('shows the readable certificates of a bundle with a broken block, reports the block and exits 2', async () => {
    const r = await runCli(['inspect', '--at', AT, file('broken-bundle.pem')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('#1 CN=Test Root');
    expect(r.stdout).toContain('#2 CN=Test Intermediate');
    expect(r.stderr).toMatch(
      /^mtls-gate: .*broken-bundle\.pem: PEM block 2: not a valid X\.509 certificate/,
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('says when a file holds a key and no certificate', async () => {
    const r = await runCli(['inspect', file('key.pem')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('key.pem: no certificate in this file (it holds: PRIVATE KEY)');
  });

  it('reads the certificate of a combined certificate and key file, noting the skipped key', async () => {
    const r = await runCli(['inspect', '--at', AT, file('combined.pem')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/subject\s+CN=client\.example/);
    expect(r.stderr).toBe(
      `mtls-gate: note: ${file('combined.pem')}: skipped PEM block 2 (PRIVATE KEY)\n`,
    );
  });

  it('rejects an unknown option, a bad --at and a missing file argument with exit code 2', async () => {
    const unknown = await runCli(['inspect', '--frobnicate', file('leaf.pem')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--frobnicate'");
    const badAt = await runCli(['inspect', '--at', 'yesterday', file('leaf.pem')]);
    expect(badAt.code).toBe(2);
    expect(badAt.stderr).toContain('--at expects an ISO-8601 time');
    const none = await runCli(['inspect']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no certificate file given');
  });

  it('rejects an unknown command with exit code 2', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
  });

  it.each([[[]], [['inspect']], [['verify']], [['rule']]])(
    'prints help for %j with --help and exits 0',
    async (command) => {
      const r = await runCli([...command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^(Usage|mtls-gate)/);
      expect(r.stdout).toContain(command.length === 0 ? 'Exit codes' : `mtls-gate ${command[0]}`);
    },
  );

  it('prints the version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('mtls-gate output to a closed pipe', () => {
  it('stops quietly when the reader closes the pipe early', async () => {
    const child = spawn(process.execPath, [CLI, 'inspect', '--json', file('many.pem')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it.runIf(existsSync('/dev/full'))(
    'says in one line that it cannot write to a full device, and exits 2',
    async () => {
      const full = openSync('/dev/full', 'w');
      try {
        const child = spawn(process.execPath, [CLI, 'inspect', file('many.pem')], {
          stdio: ['ignore', full, 'pipe'],
        });
        let stderr = '';
        child.stderr?.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        const code = await new Promise<number | null>((done) => child.on('close', done));
        expect(code).toBe(2);
        expect(stderr).toMatch(/^mtls-gate: cannot write the output: ENOSPC[^\n]*\n$/);
      } finally {
        closeSync(full);
      }
    },
  );
});

describe('mtls-gate colours', () => {
  it('uses no colour when piped', async () => {
    const r = await runCli(['inspect', '--at', AT, file('leaf.pem')]);
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('uses colour with FORCE_COLOR, and NO_COLOR turns it off again', async () => {
    const forced = await runCli(['inspect', '--at', AT, file('leaf.pem')], {
      env: { FORCE_COLOR: '1' },
    });
    expect(forced.stdout).toContain('\u001b[32m[valid]\u001b[39m');
    const both = await runCli(['inspect', '--at', AT, file('leaf.pem')], {
      env: { FORCE_COLOR: '1', NO_COLOR: '1' },
    });
    expect(both.stdout).not.toContain('\u001b[');
  });
});
