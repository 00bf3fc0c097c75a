import { describe, expect, it } from 'vitest';
import { compileRule } from '../../src/index.js';
import { readStringLiteral } from '../../src/rules/string-literal.js';
import { run, syntaxError } from './helpers.js';

const read = (source: string) => readStringLiteral(source, 0).value;

describe('string literals', () => {
  it('keep backslashes in single quotes, except before a backslash or a quote', () => {
    expect(read(String.raw`'CN=Doe\, John'`)).toBe(String.raw`CN=Doe\, John`);
    expect(read(String.raw`'a\\b'`)).toBe(String.raw`a\b`);
    expect(read(String.raw`'it\'s'`)).toBe("it's");
    expect(read(String.raw`'\n'`)).toBe(String.raw`\n`);
  });

  it('understand Ruby escapes in double quotes', () => {
    expect(read(String.raw`"a\nb\tc\\d\"e"`)).toBe('a\nb\tc\\d"e');
    expect(read(String.raw`"\u00e9\u{1F600}\s\0"`)).toBe('é😀 \0');
    expect(read(String.raw`"\,\*"`)).toBe(',*');
  });

  it('report an unclosed quote and a bad \\u escape at their place', () => {
    expect(syntaxError('CN == "abc').description).toMatch(/^Unclosed quote/);
    const error = syntaxError(String.raw`CN == "\uZZ"`);
    expect([error.description, error.position]).toEqual(['Invalid \\u escape', 7]);
    expect(syntaxError(String.raw`CN == "\u{110000}"`).description).toBe('Invalid \\u escape');
    expect(syntaxError(String.raw`CN == "\u{12"`).description).toBe('Invalid \\u escape');
  });

  it('let a DN with an escaped comma be written in single quotes', () => {
    const context = {
      DN: String.raw`CN=Doe\, John,O=Org`,
      SUBJECT: String.raw`CN=Doe\, John,O=Org`,
    };
    expect(run(String.raw`DN == 'cn=doe\, john,o=org'`, context)).toBe(true);
    expect(run(String.raw`DN == "cn=doe\\, john,o=org"`, context)).toBe(true);
    expect(run('SUBJECT["CN"] == "Doe, John"', context)).toBe(true);
  });

  it('quote the literal as written in explanations', () => {
    const rule = compileRule(String.raw`CN == 'a\b' || CN == "\u0041"`);
    expect(rule.evaluateDetailed({ CN: 'x' } as never).clause).toBe(
      String.raw`CN == 'a\b' || CN == "\u0041" was false`,
    );
    expect(rule.evaluate({ CN: 'A' } as never)).toBe(true);
    expect(rule.evaluate({ CN: String.raw`a\b` } as never)).toBe(true);
  });
});
