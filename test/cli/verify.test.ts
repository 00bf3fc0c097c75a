import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ca, DAY, endEntity, type Issued, NOW, simpleChain, x509 } from '../fixtures/pki.js';
import { ensureBuilt, removeFiles, runCli, writeFiles } from './run-cli.js';

const AT = NOW.toISOString();
let file: (name: string) => string;
let chain: { root: Issued; intermediate: Issued; leaf: Issued };

interface VerifyJson {
  accepted: boolean;
  code?: number;
  reason?: string;
  message: string;
  purpose: string;
  chain: { subject: string; role: string; check: string; bundle?: string; problem?: string }[];
  missingIssuer?: string;
  rule?: { source: string; passed: boolean; explanation: string };
}

beforeAll(async () => {
  ensureBuilt();
  chain = await simpleChain('P-256', { san: [{ type: 'dns', value: 'billing.example' }] });
  const expired = await endEntity('expired.example', {
    issuer: chain.intermediate,
    notAfter: new Date(NOW.getTime() - 2 * DAY),
  });
  const stranger = await ca('Stranger Root');
  const unknown = await endEntity('unknown.example', { issuer: stranger });
  const other = await ca('Other Root');
  // nameConstraints: permittedSubtrees = [ dNSName "example.com" ], critical (RFC 5280 §4.2.1.10).
  const permitted = new Uint8Array([
    0x30,
    0x11,
    0xa0,
    0x0f,
    0x30,
    0x0d,
    0x82,
    0x0b,
    ...new TextEncoder().encode('example.com'),
  ]);
  const constrained = await ca('Constrained Root', {
    extraExtensions: [new x509.Extension('2.5.29.30', true, permitted)],
  });
  const inside = await endEntity('inside', {
    issuer: constrained,
    san: [{ type: 'dns', value: 'api.example.com' }],
  });
  const outside = await endEntity('outside', {
    issuer: constrained,
    san: [{ type: 'dns', value: 'api.example.org' }],
  });
  const caLeaf = await ca('Login CA', {
    issuer: chain.root,
    keyUsage: x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.digitalSignature,
  });
  file = writeFiles({
    'ca-leaf.pem': caLeaf.pem,
    'constrained.pem': constrained.pem,
    'inside.pem': inside.pem,
    'outside.pem': outside.pem,
    'root.pem': chain.root.pem,
    'other.pem': other.pem,
    'intermediate.pem': chain.intermediate.pem,
    'leaf.pem': chain.leaf.pem,
    'leaf-chain.pem': chain.leaf.pem + chain.intermediate.pem,
    'expired.pem': expired.pem + chain.intermediate.pem,
    'unknown.pem': unknown.pem,
  });
});

afterAll(removeFiles);

describe('mtls-gate verify', () => {
  it('accepts a leaf that sends its intermediate, and draws the chain down to the anchor', async () => {
    const r = await runCli([
      'verify',
      '--at',
      AT,
      '--bundle',
      file('root.pem'),
      file('leaf-chain.pem'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ accepted  chain of 3 to CN=Test Root');
    expect(r.stdout).toContain('✓ CN=client.example  (leaf)');
    expect(r.stdout).toContain('└─ ✓ CN=Test Intermediate  (intermediate)');
    expect(r.stdout).toContain(`└─ ✓ CN=Test Root  (anchor, bundle ${file('root.pem')})`);
    expect(r.stdout).toMatch(
      /valid\s+2026-05-02T12:00:00Z → 2027-06-01T12:00:00Z \(365 days left\)/,
    );
  });

  it('takes intermediates from --untrusted and anchors from any of several bundles', async () => {
    const r = await runCli([
      'verify',
      '--at',
      AT,
      '--bundle',
      file('other.pem'),
      '--bundle',
      file('root.pem'),
      '--untrusted',
      file('intermediate.pem'),
      file('leaf.pem'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`anchor, bundle ${file('root.pem')}`);
  });

  it('rejects an expired leaf with 4018 expired, marking the leaf as the failed link', async () => {
    const r = await runCli([
      'verify',
      '--at',
      AT,
      '--bundle',
      file('root.pem'),
      file('expired.pem'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ rejected  4018 expired');
    expect(r.stdout).toContain('✗ CN=expired.example  (leaf)');
    expect(r.stdout).toContain('expired 2 days ago');
    expect(r.stdout).toContain('└─ · CN=Test Intermediate');
  });

  it('accepts the same certificate at a time when it was still valid', async () => {
    const at = new Date(NOW.getTime() - 10 * DAY).toISOString();
    const r = await runCli([
      'verify',
      '--at',
      at,
      '--bundle',
      file('root.pem'),
      file('expired.pem'),
    ]);
    expect(r.code).toBe(0);
  });

  it('rejects a certificate from an unknown CA with 4018 untrusted and names the missing issuer', async () => {
    const r = await runCli([
      'verify',
      '--at',
      AT,
      '--bundle',
      file('root.pem'),
      file('unknown.pem'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ rejected  4018 untrusted');
    expect(r.stdout).toMatch(
      /✗ CN=Stranger Root\s+\(issuer not found in the bundles or the presented certificates\)/,
    );
  });

  it('rejects when the intermediate is neither sent nor trusted', async () => {
    const r = await runCli([
      'verify',
      '--at',
      AT,
      '--bundle',
      file('root.pem'),
      file('leaf.pem'),
      '--json',
    ]);
    const json = JSON.parse(r.stdout) as VerifyJson;
    expect(r.code).toBe(1);
    expect(json).toMatchObject({ accepted: false, code: 4018, reason: 'untrusted' });
    expect(json.missingIssuer).toBe('CN=Test Intermediate');
  });

  it('checks the extended key usage for the purpose asked for', async () => {
    const args = ['verify', '--at', AT, '--bundle', file('root.pem'), file('leaf-chain.pem')];
    const server = await runCli([...args, '--purpose', 'server']);
    expect(server.code).toBe(1);
    expect(server.stdout).toContain('4018 extended-key-usage');
    expect((await runCli([...args, '--purpose', 'any'])).code).toBe(0);
    const bad = await runCli([...args, '--purpose', 'email']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--purpose must be client, server or any');
  });

  it('applies a rule after the chain and explains the clause that failed with 4019', async () => {
    const args = ['verify', '--at', AT, '--bundle', file('root.pem'), file('leaf-chain.pem')];
    const pass = await runCli([...args, '--rule', 'SAN.include?("DNS:billing.example")']);
    expect(pass.code).toBe(0);
    expect(pass.stdout).toContain('✓ rule passed');
    const fail = await runCli([
      ...args,
      '--rule',
      'CN.start_with?("client") && SAN.include?("DNS:other.example")',
    ]);
    expect(fail.code).toBe(1);
    expect(fail.stdout).toContain('✗ rejected  4019 rule failed');
    expect(fail.stdout).toContain('SAN.include?("DNS:other.example") was false');
  });

  it('prints the verdict and the chain as JSON for scripts', async () => {
    const r = await runCli([
      'verify',
      '--json',
      '--at',
      AT,
      '--bundle',
      file('root.pem'),
      '--rule',
      'CN == "client.example"',
      file('leaf-chain.pem'),
    ]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as VerifyJson;
    expect(json.accepted).toBe(true);
    expect(json.purpose).toBe('client');
    expect(json.chain.map((n) => [n.subject, n.role, n.check])).toEqual([
      ['CN=client.example', 'leaf', 'ok'],
      ['CN=Test Intermediate', 'intermediate', 'ok'],
      ['CN=Test Root', 'anchor', 'ok'],
    ]);
    expect(json.chain[2]!.bundle).toBe(file('root.pem'));
    expect(json.rule).toMatchObject({ source: 'CN == "client.example"', passed: true });
  });

  it('reports the failed link in JSON', async () => {
    const r = await runCli([
      'verify',
      '--json',
      '--at',
      AT,
      '--bundle',
      file('root.pem'),
      file('expired.pem'),
    ]);
    const json = JSON.parse(r.stdout) as VerifyJson;
    expect(json).toMatchObject({ accepted: false, code: 4018, reason: 'expired' });
    expect(json.chain[0]).toMatchObject({ check: 'failed', role: 'leaf' });
    expect(json.chain[0]!.problem).toMatch(/^expired: /);
    expect(json.chain.slice(1).map((n) => n.check)).toEqual(['unchecked', 'unchecked']);
  });

  it('shows a bad rule with a caret under the position and exits 2 before reading certificates', async () => {
    const r = await runCli([
      'verify',
      '--bundle',
      file('root.pem'),
      '--rule',
      'CM == "x"',
      file('nope.pem'),
    ]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toContain('verify: bad rule: unknown name "CM"');
    expect(lines[1]).toBe('  CM == "x"');
    expect(lines[2]).toBe('  ^^');
  });

  it("shows a CA's name constraints and rejects a leaf whose SAN is outside them", async () => {
    const inspect = await runCli(['inspect', '--at', AT, file('constrained.pem')]);
    expect(inspect.stdout).toMatch(/nameConstraints\s+permitted DNS:example\.com \(critical\)/);
    const inside = await runCli([
      'verify',
      '--at',
      AT,
      '--bundle',
      file('constrained.pem'),
      file('inside.pem'),
    ]);
    expect(inside.code).toBe(0);
    const outside = await runCli([
      'verify',
      '--at',
      AT,
      '--bundle',
      file('constrained.pem'),
      file('outside.pem'),
    ]);
    expect(outside.code).toBe(1);
    expect(outside.stdout).toContain('✗ rejected  4018 name-constraints');
    expect(outside.stdout).toContain('✗ CN=outside  (leaf)');
  });

  it('accepts a CA certificate as the leaf only with --allow-ca-leaf', async () => {
    const args = [
      'verify',
      '--at',
      AT,
      '--bundle',
      file('root.pem'),
      '--purpose',
      'any',
      file('ca-leaf.pem'),
    ];
    const refused = await runCli(args);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('4018 not-ca');
    expect((await runCli([...args, '--allow-ca-leaf'])).code).toBe(0);
  });

  it('needs a bundle and exactly one client certificate', async () => {
    const noBundle = await runCli(['verify', file('leaf.pem')]);
    expect(noBundle.code).toBe(2);
    expect(noBundle.stderr).toContain('at least one --bundle is required');
    const two = await runCli([
      'verify',
      '--bundle',
      file('root.pem'),
      file('leaf.pem'),
      file('leaf.pem'),
    ]);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('expected one client certificate file, got 2');
    const missing = await runCli(['verify', '--bundle', file('absent.pem'), file('leaf.pem')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('absent.pem: file not found');
  });
});
