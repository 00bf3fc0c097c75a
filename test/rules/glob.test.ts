import { describe, expect, it } from 'vitest';
import { compileGlob } from '../../src/rules/glob.js';

describe('compileGlob', () => {
  it.each([
    ['*test*', 'DNS:test.example.com', true],
    ['*test*', 'DNS:example.com', false],
    ['*', '', true],
    ['?', '', false],
    ['?', '😀', true],
    ['??', '😀', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a*c', 'ac', true],
    ['a*c', 'abbbc', true],
    ['a*c', 'abbbcd', false],
    ['**a**', 'xax', true],
    ['DNS:*.example.com', 'DNS:api.example.com', true],
    ['DNS:*.example.com', 'DNS:example.com', false],
    ['abc', 'abc', true],
    ['abc', 'ABC', false],
    ['a\\*c', 'a*c', true],
    ['a\\*c', 'abc', false],
    ['a\\?', 'a?', true],
    ['a\\\\b', 'a\\b', true],
    ['*a', 'ba', true],
    ['*a', 'ab', false],
  ])('%s against %s is %s', (pattern, text, expected) => {
    expect(compileGlob(pattern).test(text)).toBe(expected);
  });

  it('matches patterns longer than one machine word', () => {
    const long = `${'ab?'.repeat(20)}*${'c'.repeat(40)}`;
    const text = `${'abx'.repeat(20)}zzz${'c'.repeat(40)}`;
    expect(compileGlob(long).test(text)).toBe(true);
    expect(compileGlob(long).test(text.slice(0, -1))).toBe(false);
    expect(compileGlob(`*${'a?'.repeat(40)}`).test(`zz${'ab'.repeat(40)}`)).toBe(true);
    expect(compileGlob(`${'😀'.repeat(40)}*`).test('😀'.repeat(41))).toBe(true);
  });

  it('answers in one pass on inputs that make backtracking matchers explode', () => {
    const pattern = compileGlob(`${'*a'.repeat(30)}*b`);
    expect(pattern.test('a'.repeat(200_000))).toBe(false);
    expect(pattern.test(`${'a'.repeat(200_000)}b`)).toBe(true);
  });
});
