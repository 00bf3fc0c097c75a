import fc from 'fast-check';
import jsep from 'jsep';
import { describe, expect, it } from 'vitest';
import { compileRule, type RuleContext, RuleSyntaxError } from '../../src/index.js';
import { compileGlob } from '../../src/rules/glob.js';
import { fakeContext } from '../rules/helpers.js';

/** Compiles; any error but RuleSyntaxError fails the property. */
function tryCompile(source: string) {
  try {
    return compileRule(source);
  } catch (error) {
    if (error instanceof RuleSyntaxError) {
      expect(error.position).toBeGreaterThanOrEqual(0);
      expect(error.position).toBeLessThanOrEqual(source.length);
      expect(typeof error.format()).toBe('string');
      return undefined;
    }
    throw error;
  }
}

let compiled = 0;

function checkEvaluation(source: string, contexts: readonly RuleContext[]): void {
  const rule = tryCompile(source);
  if (rule === undefined) return;
  compiled++;
  for (const context of contexts) {
    const result = rule.evaluate(context);
    expect(typeof result).toBe('boolean');
    const detail = rule.evaluateDetailed(context);
    expect(detail.result).toBe(result);
    expect(detail.clause.length).toBeGreaterThan(0);
  }
}

const TOKENS = [
  'SAN',
  'DN',
  'SUBJECT',
  'ISSUER',
  'CN',
  'O',
  'OU',
  'L',
  'EMAIL',
  'SERIAL',
  'NOT_AFTER',
  'CHAIN',
  'constructor',
  '__proto__',
  'this',
  'nil',
  'true',
  'false',
  'and',
  'or',
  'not',
  '.include?',
  '.start_with?',
  '.any?',
  '.match?',
  '.first',
  '.last',
  '.length',
  '.downcase',
  '.values',
  '.to_s',
  '.empty?',
  '.CN',
  '.DN',
  '.constructor',
  '(',
  ')',
  '[',
  ']',
  ',',
  ';',
  '?',
  ':',
  '.',
  '!',
  '==',
  '!=',
  '<',
  '>=',
  '&&',
  '||',
  '=',
  '+',
  '"x"',
  "'DNS:a.example'",
  '"*a*"',
  '"OU"',
  '"CN=a,O=b"',
  '"',
  "'",
  '\\',
  '1',
  '2.5',
  '1e999',
  ' ',
  '\n',
  '\t',
  '😀',
  '\u0000',
  '`',
];

const contexts = [
  fakeContext(),
  fakeContext({ CN: null, OU: null, SAN: [], CHAIN: [fakeContext()] }),
  fakeContext({ CN: 42, SAN: 'x', DN: null, NOT_AFTER: 'x', CHAIN: [null] }),
];

describe('compileRule on arbitrary input', () => {
  it('throws nothing but RuleSyntaxError for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (source) => {
        checkEvaluation(source, contexts);
      }),
      { numRuns: 500 },
    );
  });

  it('throws nothing but RuleSyntaxError for token soup, and compiled rules evaluate to booleans', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 24 }), (tokens) => {
        checkEvaluation(tokens.join(''), contexts);
        checkEvaluation(tokens.join(' '), contexts);
      }),
      { numRuns: 1500 },
    );
  });

  it('leaves jsep exactly as configured, whatever the input', () => {
    const binary = { ...(jsep as unknown as { Jsep: { binary_ops: object } }).Jsep.binary_ops };
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 12 }), (tokens) => {
        tryCompile(tokens.join(' '));
      }),
      { numRuns: 300 },
    );
    expect((jsep as unknown as { Jsep: { binary_ops: object } }).Jsep.binary_ops).toEqual(binary);
    expect(jsep('a ? b : c').type).toBe('ConditionalExpression');
  });
});

// Random well-formed ASTs, printed as source: some type-check, many do not.
const expression: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('CN', 'SAN', 'DN', 'ISSUER', 'OU', 'NOT_AFTER', 'CHAIN', 'nil', 'true', '1'),
    fc.constantFrom(
      'SAN.include?("DNS:api.example.com")',
      'CN == "svc-api"',
      'OU.start_with?("P")',
      'CHAIN.first.CN == "x"',
      'DN == "CN=a,O=b"',
      'SAN.any?("*a*")',
      'SUBJECT["OU"].nil?',
    ),
    fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
    fc
      .tuple(tie('e'), fc.constantFrom('&&', '||', 'and', 'or', '==', '!=', '<', '>='), tie('e'))
      .map(([a, op, b]) => `${a} ${op} ${b}`),
    tie('e').map((a) => `!(${a})`),
    tie('e').map((a) => `(${a})`),
    fc
      .tuple(
        tie('e'),
        fc.constantFrom('include?', 'start_with?', 'any?', 'all?', 'match?', 'join', 'values'),
        tie('e'),
      )
      .map(([a, m, b]) => `(${a}).${m}(${b})`),
    fc
      .tuple(
        tie('e'),
        fc.constantFrom(
          'first',
          'last',
          'length',
          'empty?',
          'present?',
          'downcase',
          'to_s',
          'CN',
          'DN',
        ),
      )
      .map(([a, m]) => `(${a}).${m}`),
    fc.tuple(tie('e'), fc.constantFrom('"OU"', '"CN"', '"zz"')).map(([a, k]) => `(${a})[${k}]`),
  ),
})).e;

describe('compileRule on random syntax trees', () => {
  it('either compiles to a rule that evaluates to a boolean everywhere, or throws RuleSyntaxError', () => {
    compiled = 0;
    fc.assert(
      fc.property(expression, (source) => {
        checkEvaluation(source, contexts);
      }),
      { numRuns: 1500 },
    );
    // The generator must reach the evaluator, not only the type checker.
    expect(compiled).toBeGreaterThan(200);
  });

  it('evaluates boolean formulas like JavaScript does', () => {
    const tree: fc.Arbitrary<[string, boolean]> = fc.letrec<{ t: [string, boolean] }>((tie) => ({
      t: fc.oneof(
        { depthSize: 'small' },
        fc.boolean().map((b): [string, boolean] => [String(b), b]),
        tie('t').map(([s, v]): [string, boolean] => [`!(${s})`, !v]),
        tie('t').map(([s, v]): [string, boolean] => [`not (${s})`, !v]),
        fc
          .tuple(tie('t'), fc.constantFrom('&&', 'and', '||', 'or'), tie('t'))
          .map(([[a, x], op, [b, y]]): [string, boolean] => [
            `(${a}) ${op} (${b})`,
            op === '&&' || op === 'and' ? x && y : x || y,
          ]),
      ),
    })).t;
    fc.assert(
      fc.property(tree, ([source, expected]) => {
        const rule = tryCompile(source);
        if (rule === undefined) return; // only nesting limits may refuse it
        expect(rule.evaluate(fakeContext())).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe('glob matching', () => {
  // By code points, each literal written as \u{…}: a lone surrogate stays one character of
  // its own, as the glob reads it, instead of pairing with its neighbour in the source.
  const reference = (pattern: string): RegExp => {
    const points = [...pattern];
    let out = '';
    for (let i = 0; i < points.length; i++) {
      const ch = points[i]!;
      if (ch === '*') out += '[\\s\\S]*';
      else if (ch === '?') out += '.';
      else {
        const literal = ch === '\\' && i + 1 < points.length ? points[++i]! : ch;
        out += `\\u{${literal.codePointAt(0)!.toString(16)}}`;
      }
    }
    return new RegExp(`^${out}$`, 'su');
  };
  // Non-ASCII and lone surrogates too: the automaton reads ASCII from a table and the rest
  // from a map, and a one-star pattern is matched by prefix and suffix, which must not split
  // a character the automaton reads whole.
  const alphabet = fc.constantFrom('a', 'b', '*', '?', '\\', '.', 'é', '😀', '\ud83d', '\ude00');

  it('agrees with a regular-expression reference on short patterns and texts', () => {
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 12 }).map((a) => a.join('')),
        fc
          .array(fc.constantFrom('a', 'b', '*', '.', 'é', '😀', '\ud83d', '\ude00'), {
            maxLength: 16,
          })
          .map((a) => a.join('')),
        (pattern, text) => {
          expect(compileGlob(pattern).test(text)).toBe(reference(pattern).test(text));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('agrees with the reference on patterns longer than 32 positions', () => {
    // Few stars: the backtracking reference itself is exponential in them.
    const longPattern = fc
      .tuple(
        fc.array(fc.constantFrom<string>('a', 'b', '?'), { minLength: 33, maxLength: 80 }),
        fc.array(fc.nat(80), { maxLength: 3 }),
      )
      .map(([chars, stars]) => {
        for (const at of stars) chars.splice(at % (chars.length + 1), 0, '*');
        return chars.join('');
      });
    fc.assert(
      fc.property(
        longPattern,
        fc
          .array(fc.constantFrom('a', 'b'), { minLength: 20, maxLength: 100 })
          .map((a) => a.join('')),
        (pattern, text) => {
          expect(compileGlob(pattern).test(text)).toBe(reference(pattern).test(text));
          // A text built to match: every ? replaced by a letter, every * by a run.
          const matching = pattern.replaceAll('?', 'b').replaceAll('*', 'ab');
          expect(compileGlob(pattern).test(matching)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
