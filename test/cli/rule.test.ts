import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ca, endEntity } from '../fixtures/pki.js';
import { ensureBuilt, removeFiles, runCli, writeFiles } from './run-cli.js';

let file: (name: string) => string;

beforeAll(async () => {
  ensureBuilt();
  const root = await ca('Rule Root', { subject: 'CN=Rule Root,O=Org,C=US' });
  const leaf = await endEntity('svc-billing', {
    issuer: root,
    subject: 'C=US,O=Org,CN=svc-billing',
    san: [
      { type: 'dns', value: 'billing.test.example' },
      { type: 'email', value: 'ops@example.com' },
    ],
  });
  file = writeFiles({ 'leaf.pem': leaf.pem, 'root.pem': root.pem });
});

afterAll(removeFiles);

describe('mtls-gate rule', () => {
  it('exits 0 when the rule passes and names the clause that decided', async () => {
    const r = await runCli([
      'rule',
      'SAN.include?("DNS:billing.test.example") || CN == "x"',
      file('leaf.pem'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ passes');
    expect(r.stdout).toContain('because SAN.include?("DNS:billing.test.example") was true');
  });

  it('exits 1 when the rule fails and names the failing clause of an and', async () => {
    const r = await runCli([
      'rule',
      'CN.start_with?("svc-") && !SAN.include?("Email:ops@example.com")',
      file('leaf.pem'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ fails');
    expect(r.stdout).toContain('because SAN.include?("Email:ops@example.com") was true');
  });

  it('shows the fields a rule can read, in their canonical spelling', async () => {
    const r = await runCli(['rule', 'DN == "CN=svc-billing,O=Org,C=US"', file('leaf.pem')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/CN\s+svc-billing/);
    expect(r.stdout).toMatch(/DN\s+CN=svc-billing,O=Org,C=US/);
    expect(r.stdout).toContain('["DNS:billing.test.example","Email:ops@example.com"]');
    expect(r.stdout).toMatch(/SERIAL\s+[0-9a-f]+\n/);
    expect(r.stdout).toMatch(/FINGERPRINT\s+[0-9a-f]{64}\n/);
  });

  it('prints JSON with the result, the deciding clause and the fields', async () => {
    const r = await runCli(['rule', '--json', 'CN == "other"', file('leaf.pem')]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as {
      passed: boolean;
      clause: string;
      fields: { CN: string; SAN: string[] };
    };
    expect(json.passed).toBe(false);
    expect(json.clause).toBe('CN == "other" was false');
    expect(json.fields.CN).toBe('svc-billing');
    expect(json.fields.SAN).toEqual(['DNS:billing.test.example', 'Email:ops@example.com']);
  });

  it('shows a syntax error with a caret under the position and exits 2', async () => {
    const r = await runCli(['rule', 'SAN.include?("a") &&', file('leaf.pem')]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^mtls-gate: rule: bad rule: .*\(at position \d+\)$/);
    expect(lines[1]).toBe('  SAN.include?("a") &&');
    expect(lines[2]).toMatch(/^ {2}\s*\^+$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('needs a formula and a certificate file', async () => {
    const r = await runCli(['rule', 'CN == "x"']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('expected a formula and a certificate file, got 1 argument');
  });
});
