import { compileRule, type RuleContext, RuleSyntaxError } from '../../src/index.js';

/** A hand-made context with every field, overridable per test. */
export function fakeContext(overrides: Record<string, unknown> = {}): RuleContext {
  return {
    SAN: [
      'DNS:api.example.com',
      'IP:10.0.0.1',
      'Email:ops@example.com',
      'URI:spiffe://example.org/svc',
    ],
    DN: 'CN=svc-api,OU=Platform,O=Org,C=US',
    SUBJECT: 'CN=svc-api,OU=Platform,O=Org,C=US',
    ISSUER: 'CN=RootCA,O=Org,C=US',
    CN: 'svc-api',
    O: 'Org',
    OU: 'Platform',
    C: 'US',
    L: null,
    ST: null,
    EMAIL: null,
    SERIAL: '0a1b',
    FINGERPRINT: 'ff'.repeat(32),
    NOT_BEFORE: new Date('2026-01-01T00:00:00Z'),
    NOT_AFTER: new Date('2027-01-01T00:00:00Z'),
    CHAIN: [],
    ...overrides,
  } as unknown as RuleContext;
}

/** Compiles and evaluates `source` against a fake context. */
export function run(source: string, overrides: Record<string, unknown> = {}): boolean {
  return compileRule(source).evaluate(fakeContext(overrides));
}

/** The RuleSyntaxError compiling `source` throws. */
export function syntaxError(source: string): RuleSyntaxError {
  try {
    compileRule(source);
  } catch (error) {
    if (error instanceof RuleSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected a RuleSyntaxError for: ${source}`);
}
