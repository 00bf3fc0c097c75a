import { describe, expect, it } from 'vitest';
import { compileRule } from '../../src/index.js';
import {
  MAX_ARGUMENTS,
  MAX_DEPTH,
  MAX_NODES,
  MAX_SOURCE_LENGTH,
  MAX_STRING_LENGTH,
} from '../../src/rules/limits.js';
import { syntaxError } from './helpers.js';

describe('limits', () => {
  it('accepts a source of exactly the maximum length and rejects one character more', () => {
    // Keep the literal under its own limit by padding with spaces.
    const atLimit = `${' '.repeat(MAX_SOURCE_LENGTH - 12)}CN == "abc"`;
    expect(atLimit.length).toBe(MAX_SOURCE_LENGTH - 1);
    expect(() => compileRule(`${atLimit} `)).not.toThrow();
    const error = syntaxError(`${atLimit}  `);
    expect(error.description).toBe(`the rule is longer than ${MAX_SOURCE_LENGTH} characters`);
    expect(error.position).toBe(MAX_SOURCE_LENGTH);
  });

  it('rejects a string literal over the limit at the literal', () => {
    expect(() => compileRule(`CN == "${'x'.repeat(MAX_STRING_LENGTH)}"`)).not.toThrow();
    const error = syntaxError(`CN == "${'x'.repeat(MAX_STRING_LENGTH + 1)}"`);
    expect(error.description).toBe(`a string is longer than ${MAX_STRING_LENGTH} characters`);
    expect([error.position, error.length]).toEqual([6, MAX_STRING_LENGTH + 3]);
  });

  it('rejects nesting deeper than the limit, counting brackets and negations', () => {
    const nested = (n: number) => `${'('.repeat(n)}true${')'.repeat(n)}`;
    expect(() => compileRule(nested(MAX_DEPTH - 2))).not.toThrow();
    expect(syntaxError(nested(MAX_DEPTH + 1)).description).toBe(
      `the rule nests deeper than ${MAX_DEPTH} levels`,
    );
    expect(syntaxError(`${'!'.repeat(MAX_DEPTH + 1)}true`).position).toBe(MAX_DEPTH);
    expect(syntaxError(`${'not '.repeat(MAX_DEPTH + 1)}true`).description).toMatch(/nests deeper/);
    // Brackets inside strings do not count.
    expect(() => compileRule(`CN == "${'('.repeat(100)}"`)).not.toThrow();
  });

  it('accepts a long allow-list of alternatives and rejects one with more parts than the limit', () => {
    const anyOf = (n: number) =>
      Array.from({ length: n }, (_, i) => `CN == "svc-${i}"`).join(' || ');
    // 3 parts per clause, 1 per ||: 150 clauses are 599 parts.
    const rule = compileRule(anyOf(120));
    expect(rule.evaluate({ CN: 'svc-119' } as never)).toBe(true);
    expect(rule.evaluate({ CN: 'svc-120' } as never)).toBe(false);
    expect(syntaxError(anyOf(150)).description).toBe(`the rule has more than ${MAX_NODES} parts`);
  });

  it('rejects more arguments than the limit', () => {
    const args = (n: number) => Array.from({ length: n }, () => '"a"').join(', ');
    expect(() => compileRule(`CN.start_with?(${args(MAX_ARGUMENTS)})`)).not.toThrow();
    expect(syntaxError(`CN.start_with?(${args(MAX_ARGUMENTS + 1)})`).description).toBe(
      `more than ${MAX_ARGUMENTS} arguments`,
    );
  });
});
