import { beforeAll, describe, expect, it } from 'vitest';
import { type Certificate, compileRule, parseCertificates, ruleContext } from '../../src/index.js';
import { ca, endEntity, NOW } from '../fixtures/pki.js';

let leaf: Certificate;
let issuing: Certificate;
let root: Certificate;
let bare: Certificate;

beforeAll(async () => {
  // @peculiar/x509 encodes RDNs in the order written, so the least specific comes first.
  const rootIssued = await ca('Root', { subject: 'C=US,O=Org,CN=RootCA' });
  const issuingIssued = await ca('Issuing', {
    issuer: rootIssued,
    subject: 'C=US,O=Org,OU=PKI,CN=Issuing CA',
  });
  const leafIssued = await endEntity('svc', {
    issuer: issuingIssued,
    subject:
      'C=US,ST=California,L=San Francisco,O=Org,OU=Eng,OU=Platform,CN=svc-api,E=ops@example.com',
    serialNumber: '0a1b2c',
    san: [
      { type: 'dns', value: 'API.example.com' },
      { type: 'ip', value: '10.0.0.1' },
      { type: 'email', value: 'Ops@Example.com' },
      { type: 'url', value: 'spiffe://example.org/ns/prod/sa/api' },
    ],
  });
  const bareIssued = await endEntity('bare', { subject: 'O=NoName Inc' });
  [leaf] = parseCertificates(leafIssued.der) as [Certificate];
  [issuing] = parseCertificates(issuingIssued.der) as [Certificate];
  [root] = parseCertificates(rootIssued.der) as [Certificate];
  [bare] = parseCertificates(bareIssued.der) as [Certificate];
});

describe('ruleContext', () => {
  it('exposes the certificate fields with their documented values', () => {
    const context = ruleContext(leaf);
    expect(context.SAN).toEqual([
      'DNS:api.example.com',
      'IP:10.0.0.1',
      'Email:Ops@example.com',
      'URI:spiffe://example.org/ns/prod/sa/api',
    ]);
    expect(context.DN).toBe(leaf.subject);
    expect(context.SUBJECT).toBe(leaf.subject);
    expect(context.ISSUER).toBe('CN=Issuing CA,OU=PKI,O=Org,C=US');
    expect(context.CN).toBe('svc-api');
    expect(context.O).toBe('Org');
    expect(context.OU).toBe('Platform');
    expect(context.C).toBe('US');
    expect(context.L).toBe('San Francisco');
    expect(context.ST).toBe('California');
    expect(context.EMAIL).toBe('ops@example.com');
    expect(context.SERIAL).toBe('0a1b2c');
    expect(context.FINGERPRINT).toBe(leaf.fingerprint256);
    expect(context.NOT_BEFORE.getTime()).toBe(leaf.notBeforeMs);
    expect(context.NOT_AFTER.getTime()).toBe(leaf.notAfterMs);
    expect(context.CHAIN).toEqual([]);
  });

  it('gives nil for attributes the subject does not have', () => {
    const context = ruleContext(bare);
    expect([context.CN, context.OU, context.EMAIL, context.L]).toEqual([null, null, null, null]);
    expect(context.SAN).toEqual([]);
    expect(compileRule('CN.nil? && O == "NoName Inc" && SAN.empty?').evaluate(context)).toBe(true);
    expect(compileRule('CN.start_with?("a")').evaluateDetailed(context).error).toBe('CN is nil');
  });

  it('is frozen and has no Object.prototype or constructor anywhere in its prototype chain', () => {
    const context = ruleContext(leaf, [leaf, issuing, root]);
    expect(Object.isFrozen(context)).toBe(true);
    const proto = Object.getPrototypeOf(context);
    expect(Object.isFrozen(proto)).toBe(true);
    expect(Object.getPrototypeOf(proto)).toBe(null);
    expect('constructor' in context).toBe(false);
    expect('toString' in context).toBe(false);
    expect('__proto__' in context).toBe(false);
    expect(() => {
      (context as unknown as Record<string, unknown>).CN = 'evil';
    }).toThrow(TypeError);
    expect(context.CN).toBe('svc-api');
    expect(Object.isFrozen(context.SAN)).toBe(true);
    expect(Object.isFrozen(context.CHAIN)).toBe(true);
    expect(Object.isFrozen(context.NOT_AFTER)).toBe(true);
  });

  it('builds CHAIN from the chain, leaf first, each element with the same fields', () => {
    const context = ruleContext(leaf, [leaf, issuing, root]);
    expect(context.CHAIN.map((c) => c.CN)).toEqual(['svc-api', 'Issuing CA', 'RootCA']);
    expect(context.CHAIN[2]!.DN).toBe('CN=RootCA,O=Org,C=US');
    const rule = compileRule(
      'CHAIN.length == 3 && CHAIN.last.DN == "/C=US/O=Org/CN=RootCA" && CHAIN.last.SUBJECT["CN"] == "RootCA" && CHAIN.first.SAN.include?("DNS:api.example.com")',
    );
    expect(rule.evaluate(context)).toBe(true);
    expect(rule.evaluate(ruleContext(leaf))).toBe(false);
  });

  it('compares names from certificates with dnEquals semantics', () => {
    const context = ruleContext(leaf, [leaf, issuing, root]);
    expect(compileRule('ISSUER == "cn=issuing ca, ou=pki, o=org, c=us"').evaluate(context)).toBe(
      true,
    );
    expect(compileRule('ISSUER == "/C=US/O=Org/OU=PKI/CN=Issuing CA"').evaluate(context)).toBe(
      true,
    );
    const nameToName = compileRule('ISSUER == CHAIN.last.DN');
    expect(nameToName.evaluate(ruleContext(leaf, [leaf, issuing]))).toBe(true);
    expect(nameToName.evaluate(context)).toBe(false);
  });

  it('reads multi-valued attributes with values and the most specific with []', () => {
    const context = ruleContext(leaf);
    expect(compileRule('SUBJECT["OU"] == "Platform"').evaluate(context)).toBe(true);
    expect(compileRule('DN.values("OU").join("/") == "Platform/Eng"').evaluate(context)).toBe(true);
    expect(compileRule('ISSUER["OU"] == "PKI"').evaluate(context)).toBe(true);
  });

  it('compares validity against ISO 8601 literals', () => {
    const context = ruleContext(leaf);
    const now = NOW.toISOString();
    expect(compileRule(`NOT_BEFORE < "${now}" && NOT_AFTER > "${now}"`).evaluate(context)).toBe(
      true,
    );
    expect(compileRule('NOT_AFTER < "2000-01-01"').evaluate(context)).toBe(false);
  });

  it('gives the same answers as the same context written by hand', () => {
    const built = ruleContext(leaf);
    const byHand = Object.fromEntries(
      [
        'SAN',
        'DN',
        'SUBJECT',
        'ISSUER',
        'CN',
        'O',
        'OU',
        'C',
        'L',
        'ST',
        'EMAIL',
        'SERIAL',
        'FINGERPRINT',
        'NOT_BEFORE',
        'NOT_AFTER',
        'CHAIN',
      ].map((k) => [k, (built as unknown as Record<string, unknown>)[k]]),
    );
    for (const source of [
      'ISSUER == "CN=Issuing CA,OU=PKI,O=Org,C=US"',
      'SUBJECT["OU"] == "Platform"',
      'DN.values("OU").length == 2',
      'SAN.any?("URI:spiffe://*")',
    ]) {
      const rule = compileRule(source);
      expect(rule.evaluate(built)).toBe(true);
      expect(rule.evaluate(byHand as never)).toBe(true);
    }
  });
});
