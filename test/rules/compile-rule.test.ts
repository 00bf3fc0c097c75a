import { describe, expect, it } from 'vitest';
import { compileRule } from '../../src/index.js';
import { fakeContext, run, syntaxError } from './helpers.js';

describe('literals and operators', () => {
  it.each([
    ['true', true],
    ['false', false],
    ['!false', true],
    ['not true', false],
    ['true && false', false],
    ['true and true', true],
    ['false || true', true],
    ['false or false', false],
    ['nil == nil', true],
    ['1 == 1', true],
    ['1 != 1', false],
    ['2 > 1', true],
    ['2 < 1', false],
    ['2 >= 2', true],
    ['3 <= 2', false],
    ['"a" == \'a\'', true],
    ['"a\\"b" == \'a"b\'', true],
    ['"tab\\there" != "tab there"', true],
    ['true || false && false', true],
    ['(true || false) && false', false],
    ['!(CN == "x")', true],
  ])('%s is %s', (source, expected) => {
    expect(run(source)).toBe(expected);
  });

  it('short-circuits: the right side of a decided && or || is not evaluated', () => {
    // OU.start_with? would fail on nil; short-circuiting never reaches it.
    expect(run('false && OU.start_with?("x")', { OU: null })).toBe(false);
    expect(run('true || OU.start_with?("x")', { OU: null })).toBe(true);
  });
});

describe('names', () => {
  it.each([
    ['CN == "svc-api"', true],
    ['CN == "other"', false],
    ['O == "Org"', true],
    ['OU == "Platform"', true],
    ['C == "US"', true],
    ['L == nil', true],
    ['ST != nil', false],
    ['EMAIL.nil?', true],
    ['SERIAL == "0a1b"', true],
    ['FINGERPRINT.length == 64', true],
    ['FINGERPRINT.start_with?("00")', false],
    ['NOT_BEFORE < NOT_AFTER', true],
    ['NOT_AFTER <= "2026-12-31"', false],
    ['NOT_AFTER == "2027-01-01T00:00:00Z"', true],
    ['NOT_AFTER > "2026-12-31T23:59:59+01:00"', true],
    ['NOT_BEFORE.to_s == "2026-01-01T00:00:00.000Z"', true],
    ['CHAIN.empty?', true],
  ])('%s is %s', (source, expected) => {
    expect(run(source)).toBe(expected);
  });

  it('rejects an unknown name with a did-you-mean and its position', () => {
    const error = syntaxError('CN == "a" && Cn == "b"');
    expect(error.description).toBe('unknown name "Cn"; did you mean "CN"?');
    expect([error.position, error.length, error.text]).toEqual([13, 2, 'Cn']);
    expect(syntaxError('SUBJECT_DN == "x"').description).toMatch(/did you mean "SUBJECT"/);
    expect(syntaxError('null == CN').description).toMatch(/did you mean "nil"/);
    expect(syntaxError('foo').description).toBe('unknown name "foo"');
  });

  it('lists the names a rule reads', () => {
    expect(compileRule('CN == "a" || SAN.include?("x") && CN != DN').names).toEqual([
      'CN',
      'SAN',
      'DN',
    ]);
  });
});

describe('names compare as names', () => {
  it('matches a DN written in another case, spacing or the OpenSSL slash form', () => {
    expect(run('ISSUER == "cn=rootca, o=Org, c=US"')).toBe(true);
    expect(run('ISSUER == "/C=US/O=Org/CN=RootCA"')).toBe(true);
    expect(run('"CN=RootCA,O=Org,C=US" == ISSUER')).toBe(true);
    expect(run('ISSUER != "CN=RootCA,O=Org,C=US"')).toBe(false);
    expect(run('DN == "CN=RootCA,O=Org,C=US"')).toBe(false);
    expect(run('SUBJECT == DN')).toBe(true);
    expect(run('SUBJECT == ISSUER')).toBe(false);
  });

  it('rejects, at compile time, a literal that is not a distinguished name', () => {
    const error = syntaxError('DN == "CN=a,,O=b"');
    expect(error.description).toMatch(/^not a distinguished name/);
    expect(error.position).toBeGreaterThanOrEqual(6);
    expect(error.position).toBeLessThan(17);
  });

  it('compares a name with a computed string as a name, false when it is no name', () => {
    expect(run('ISSUER == CN', { CN: 'cn=rootca,o=org,c=us' })).toBe(true);
    expect(run('ISSUER == CN', { CN: 'no name at all' })).toBe(false);
  });

  it('reads attributes with SUBJECT["OU"] and all of them with values', () => {
    const context = {
      SUBJECT: 'CN=a,OU=Eng,OU=Platform,O=Org',
      DN: 'CN=a,OU=Eng,OU=Platform,O=Org',
    };
    expect(run('SUBJECT["OU"] == "Eng"', context)).toBe(true);
    expect(run('DN["organizationalUnitName"] == "Eng"', context)).toBe(true);
    expect(run('SUBJECT["L"] == nil', context)).toBe(true);
    expect(run('DN.values("OU").include?("Platform")', context)).toBe(true);
    expect(run('DN.values("OU").length == 3', context)).toBe(false);
    expect(run('ISSUER["CN"] == "RootCA"')).toBe(true);
    expect(syntaxError('SUBJECT["XX"] == "a"').description).toMatch(/unknown attribute type "XX"/);
    expect(syntaxError('SUBJECT[CN] == "a"').description).toMatch(/must be a string/);
    expect(syntaxError('CN["a"] == "a"').description).toMatch(/only names can be read with \[ \]/);
  });

  it('applies string methods to the RFC 4514 form of a name', () => {
    expect(run('ISSUER.include?("O=Org")')).toBe(true);
    expect(run('ISSUER.start_with?("CN=Root")')).toBe(true);
    expect(run('ISSUER.downcase == "cn=rootca,o=org,c=us"')).toBe(true);
  });
});

describe('type checks at compile time', () => {
  it.each([
    ['CN', /CN is a string or nil, not a condition/],
    ['SAN', /not a condition .*include\?/],
    [
      'SAN == "DNS:x"',
      /list of strings cannot be compared with ==; to test membership use include\?/,
    ],
    ['CN == 1', /a string or nil cannot be compared with a number/],
    ['CN > "a"', /cannot be ordered/],
    ['SAN.length > "2"', /cannot be ordered/],
    ['NOT_AFTER > "next year"', /not an ISO 8601 time/],
    ['NOT_AFTER > "2027-01-01T00:00:00"', /not an ISO 8601 time/],
    ['CN.any?("x")', /any\? does not apply to a string or nil/],
    ['(1).include?("a")', /include\? does not apply to a number/],
    ['SAN.include?()', /include\? takes 1 argument, not 0/],
    ['CN.downcase("x") == "a"', /downcase takes 0 arguments, not 1/],
    ['SAN.include?(1)', /include\? takes a string, not a number/],
    ['CN.start_with?()', /start_with\? takes at least 1 arguments, not 0/],
    ['SAN.include?("IP:300.1.1.1")', /bad IP address/],
    ['SAN.include?("DNS:")', /bad DNS name/],
    ['nil.downcase == "a"', /downcase does not apply to nil/],
    ['CN.CN == "a"', /CN is a string or nil, not a certificate/],
    ['CHAIN.first.CHAIN.empty?', /CHAIN is only available at the top level/],
    [
      'SAN.contains?("x")',
      /unknown method "contains\?" for a list of strings; did you mean "include\?"/,
    ],
    ['CN.startsWith("a")', /did you mean "start_with\?"/],
    ['CN.frobnicate', /unknown method "frobnicate" for a string or nil$/],
    ['CN.length', /a number, not a condition/],
  ])('%s is rejected', (source, message) => {
    expect(syntaxError(source).description).toMatch(message);
  });

  it('says how to write a fingerprint or serial literal copied with colons or in upper case', () => {
    const colons = Array.from({ length: 32 }, () => 'AB').join(':');
    expect(syntaxError(`FINGERPRINT == "${colons}"`).description).toBe(
      `FINGERPRINT is lower-case hex without separators (SHA-256, 64 digits); write "${'ab'.repeat(32)}"`,
    );
    expect(syntaxError('SERIAL != "0A:1B"').description).toBe(
      'SERIAL is lower-case hex without separators; write "0a1b"',
    );
    expect(syntaxError('CHAIN.last.FINGERPRINT == "xyz"').description).toMatch(/^FINGERPRINT is/);
    expect(run(`FINGERPRINT == "${'ff'.repeat(32)}"`)).toBe(true);
    expect(run('SERIAL == "0a1b"')).toBe(true);
  });

  it('points at the offending method name', () => {
    const error = syntaxError('SAN.include?("a") && SAN.contains?("b")');
    expect([error.position, error.text]).toEqual([25, 'contains?']);
  });
});

describe('run-time failures make the rule false and never throw', () => {
  it('fails a method on nil', () => {
    const rule = compileRule('OU.start_with?("x") || true');
    expect(rule.evaluate(fakeContext({ OU: null }))).toBe(false);
    expect(rule.evaluateDetailed(fakeContext({ OU: null }))).toMatchObject({
      result: false,
      error: 'OU is nil',
      clause: 'OU.start_with?("x")',
    });
  });

  it('fails when a negated clause cannot be evaluated, instead of flipping to true', () => {
    expect(run('!OU.start_with?("x")', { OU: null })).toBe(false);
  });

  it('fails on a hand-made context with values of the wrong type', () => {
    expect(run('CN == "a"', { CN: 42 })).toBe(false);
    expect(run('SAN.include?("a")', { SAN: 'a' })).toBe(false);
    expect(run('SAN.any?("*")', { SAN: [{ toString: () => 'a' }] })).toBe(false);
    expect(run('NOT_AFTER > "2020-01-01"', { NOT_AFTER: 'tomorrow' })).toBe(false);
    expect(run('NOT_AFTER > "2020-01-01"', { NOT_AFTER: Date.parse('2021-01-01') })).toBe(true);
    expect(run('CHAIN.first.CN == "a"', { CHAIN: [null] })).toBe(false);
    expect(compileRule('CN == "a"').evaluate(null as never)).toBe(false);
  });
});

describe('CHAIN', () => {
  const chain = [
    fakeContext({ CN: 'leaf' }),
    fakeContext({ CN: 'Issuing CA', DN: 'CN=Issuing CA,O=Org' }),
    fakeContext({ CN: 'RootCA', DN: 'CN=RootCA,O=Org,C=US' }),
  ];

  it.each([
    ['CHAIN.length == 3', true],
    ['CHAIN.empty?', false],
    ['CHAIN.first.CN == "leaf"', true],
    ['CHAIN.last.CN == "RootCA"', true],
    ['CHAIN.last.DN == "cn=rootca,o=org,c=us"', true],
    ['CHAIN.last.SUBJECT["O"] == "Org"', true],
    ['CHAIN.last.DN == "CN=Issuing CA,O=Org"', false],
    ['CHAIN.present?', true],
  ])('%s is %s', (source, expected) => {
    expect(run(source, { CHAIN: chain })).toBe(expected);
  });

  it('fails a field read on the first of an empty chain', () => {
    expect(compileRule('CHAIN.first.CN == "a"').evaluateDetailed(fakeContext())).toMatchObject({
      result: false,
      error: 'CHAIN.first is nil',
    });
  });
});
