// Formulas from the integration-platform documentation in shared/seeds (002, the Workato
// mTLS page) and issue 4, run against real certificates generated here.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Certificate, compileRule, parseCertificates, ruleContext } from '../../src/index.js';
import { ca, endEntity } from '../fixtures/pki.js';

let root: Certificate;
let testClient: Certificate;
let prodClient: Certificate;
let legacyClient: Certificate;

beforeAll(async () => {
  const rootIssued = await ca('Root', { subject: 'C=US,O=Org,CN=RootCA' });
  const issue = async (cn: string, san: { type: 'dns' | 'email'; value: string }[]) =>
    parseCertificates((await endEntity(cn, { issuer: rootIssued, san })).der)[0]!;
  root = parseCertificates(rootIssued.der)[0]!;
  testClient = await issue('svc-tests', [{ type: 'dns', value: 'test' }]);
  prodClient = await issue('svc-api', [
    { type: 'dns', value: 'api.example.com' },
    { type: 'email', value: 'ops@example.com' },
  ]);
  legacyClient = await issue('svc-legacy', [{ type: 'dns', value: 'legacy.example.com' }]);
});

describe('seed formulas', () => {
  it('SAN.include?("test") passes only a certificate with a SAN entry that is exactly "test"', () => {
    const rule = compileRule('SAN.include?("test")');
    // The SAN entry is "DNS:test": Array#include? is exact membership, prefix included.
    expect(rule.evaluate(ruleContext(testClient))).toBe(false);
    expect(compileRule('SAN.include?("DNS:test")').evaluate(ruleContext(testClient))).toBe(true);
    // "Some SAN entry contains test" is written with a glob.
    const contains = compileRule('SAN.any?("*test*")');
    expect(contains.evaluate(ruleContext(testClient))).toBe(true);
    expect(contains.evaluate(ruleContext(prodClient))).toBe(false);
  });

  it('SAN.include?("Email:…") matches with the Email prefix, and email: works too', () => {
    for (const source of [
      'SAN.include?("Email:ops@example.com")',
      'SAN.include?("email:ops@example.com")',
      'SAN.include?("EMAIL:ops@EXAMPLE.COM")',
    ]) {
      expect(compileRule(source).evaluate(ruleContext(prodClient))).toBe(true);
      expect(compileRule(source).evaluate(ruleContext(testClient))).toBe(false);
    }
  });

  it('DN == "CN=RootCA,O=Org,C=US" matches the certificate OpenSSL shows as /C=US/O=Org/CN=RootCA', () => {
    expect(root.subject).toBe('CN=RootCA,O=Org,C=US');
    for (const source of [
      'DN == "CN=RootCA,O=Org,C=US"',
      'DN == "/C=US/O=Org/CN=RootCA"',
      'DN == "cn=rootca, o=Org, c=US"',
      'ISSUER == "CN=RootCA,O=Org,C=US"',
    ]) {
      expect(compileRule(source).evaluate(ruleContext(root))).toBe(true);
    }
    expect(compileRule('DN == "CN=RootCA,O=Org,C=US"').evaluate(ruleContext(prodClient))).toBe(
      false,
    );
  });

  it('CN.start_with?("svc-") && !SAN.include?("DNS:legacy.example.com") keeps legacy clients out', () => {
    const rule = compileRule('CN.start_with?("svc-") && !SAN.include?("DNS:legacy.example.com")');
    expect(rule.evaluate(ruleContext(prodClient))).toBe(true);
    expect(rule.evaluate(ruleContext(testClient))).toBe(true);
    expect(rule.evaluate(ruleContext(legacyClient))).toBe(false);
    expect(rule.evaluateDetailed(ruleContext(legacyClient)).clause).toBe(
      'SAN.include?("DNS:legacy.example.com") was true',
    );
    expect(rule.evaluate(ruleContext(root))).toBe(false);
  });
});
