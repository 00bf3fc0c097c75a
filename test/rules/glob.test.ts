import fc from 'fast-check';
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

  it('agrees with a regular expression on every pattern shape (literal, one star, the automaton)', () => {
    // The oracle: `*` is any run of code points, `?` one code point, `\x` a literal x.
    const oracle = (pattern: string): RegExp => {
      let source = '';
      const points = [...pattern];
      for (let i = 0; i < points.length; i++) {
        const c = points[i]!;
        if (c === '*') source += '[^]*';
        else if (c === '?') source += '[^]';
        else {
          const literal = c === '\\' && i + 1 < points.length ? points[++i]! : c;
          source += `\\u{${literal.codePointAt(0)!.toString(16)}}`;
        }
      }
      return new RegExp(`^${source}$`, 'u');
    };
    const unit = fc.constantFrom('a', 'b', '.', '*', '?', '\\', 'é', '😀', '\ud83d', '\ude00');
    const text = fc.array(fc.constantFrom('a', 'b', '.', 'é', '😀', '\ud83d', '\ude00', '*'), {
      maxLength: 8,
    });
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 6 }), fc.array(text, { maxLength: 6 }), (p, ts) => {
        const pattern = p.join('');
        const glob = compileGlob(pattern);
        const re = oracle(pattern);
        for (const t of ts) expect(glob.test(t.join(''))).toBe(re.test(t.join('')));
      }),
      { numRuns: 5000 },
    );
  });
});
