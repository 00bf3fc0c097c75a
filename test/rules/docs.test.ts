import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileRule } from '../../src/index.js';
import { fakeContext } from './helpers.js';

const docs = readFileSync(new URL('../../docs/rules.md', import.meta.url), 'utf8');

/** The `code` spans in the last column of every table row of a section. */
function examples(section: string): string[] {
  const start = docs.indexOf(`## ${section}`);
  const end = docs.indexOf('\n## ', start + 1);
  const rows = docs.slice(start, end === -1 ? undefined : end).split('\n');
  const out: string[] = [];
  for (const row of rows) {
    if (!row.startsWith('| `')) continue;
    const cells = row.split(/(?<!\\)\|/).map((c) => c.trim());
    const last = cells[cells.length - 2] ?? '';
    for (const m of last.matchAll(/`([^`]+)`/g)) out.push(m[1]!.replaceAll('\\|', '|'));
  }
  return out;
}

describe('docs/rules.md', () => {
  const methodExamples = examples('Methods');

  it('has an example for every method table row', () => {
    expect(methodExamples.length).toBeGreaterThanOrEqual(24);
  });

  it.each(methodExamples)('its example %s compiles and evaluates to a boolean', (source) => {
    const rule = compileRule(source);
    expect(typeof rule.evaluate(fakeContext())).toBe('boolean');
  });

  it('shows formulas that compile, in its code blocks of rules', () => {
    const block = docs.slice(
      docs.indexOf('```\nSAN.include?'),
      docs.indexOf('```', docs.indexOf('```\nSAN.include?') + 3),
    );
    const formulas = block
      .split('\n')
      .slice(1)
      .filter((line) => line.trim() !== '');
    expect(formulas.length).toBe(3);
    for (const formula of formulas) expect(() => compileRule(formula)).not.toThrow();
    const containsBlock = docs.slice(docs.indexOf('```\nSAN.any?("*test*")'));
    const lines = containsBlock.slice(4, containsBlock.indexOf('```', 4)).trim().split('\n');
    for (const line of lines) {
      const formula = line.split(/\s{2,}/)[0]!;
      expect(compileRule(formula).evaluate(fakeContext({ SAN: ['DNS:a.test.example'] }))).toBe(
        true,
      );
    }
  });
});
