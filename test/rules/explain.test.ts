import { describe, expect, it } from 'vitest';
import { compileRule, RuleSyntaxError } from '../../src/index.js';
import { fakeContext, syntaxError } from './helpers.js';

function explain(source: string, overrides: Record<string, unknown> = {}) {
  return compileRule(source).evaluateDetailed(fakeContext(overrides));
}

describe('evaluateDetailed', () => {
  it('names the false clause of a failed and', () => {
    expect(explain('CN.start_with?("svc-") && SAN.include?("DNS:web.example.com")')).toEqual({
      result: false,
      clause: 'SAN.include?("DNS:web.example.com") was false',
      message: 'SAN.include?("DNS:web.example.com") was false',
    });
  });

  it('names the clause under a negation with the value it had', () => {
    expect(explain('CN.start_with?("svc-") && !SAN.include?("DNS:api.example.com")').clause).toBe(
      'SAN.include?("DNS:api.example.com") was true',
    );
  });

  it('quotes a failed or as a whole and a passed or by its true operand', () => {
    expect(explain('CN == "a" || (O == "b")').clause).toBe('CN == "a" || (O == "b") was false');
    expect(explain('CN == "a" or O == "Org"')).toMatchObject({
      result: true,
      clause: 'O == "Org" was true',
    });
  });

  it('explains a passed and as a whole', () => {
    expect(explain('CN == "svc-api" and O == "Org"').clause).toBe(
      'CN == "svc-api" and O == "Org" was true',
    );
  });

  it('names the clause that failed at run time and why', () => {
    expect(explain('CN == "svc-api" && OU.downcase == "x"', { OU: null })).toEqual({
      result: false,
      clause: 'OU.downcase == "x"',
      error: 'OU is nil',
      message: 'OU.downcase == "x" could not be evaluated: OU is nil',
    });
  });

  it('shortens a long clause in the middle, keeping both ends', () => {
    const allowList = Array.from({ length: 60 }, (_, i) => `CN == "svc-${i}"`).join(' || ');
    const { clause } = explain(allowList);
    expect(clause.length).toBeLessThan(220);
    expect(clause).toMatch(/^CN == "svc-0" \|\| .* … .*CN == "svc-59" was false$/);
  });

  it('agrees with evaluate on every result', () => {
    const rule = compileRule('(CN == "a" || !SAN.empty?) && not O.nil?');
    for (const overrides of [{}, { SAN: [] }, { CN: 'a', SAN: [] }, { O: null }]) {
      const context = fakeContext(overrides);
      expect(rule.evaluateDetailed(context).result).toBe(rule.evaluate(context));
    }
  });
});

describe('RuleSyntaxError', () => {
  it('carries the position, length and text of the offending part', () => {
    const error = syntaxError('SAN.include?("a") && SAN.includes("b")');
    expect(error).toBeInstanceOf(RuleSyntaxError);
    expect(error.name).toBe('RuleSyntaxError');
    expect([error.position, error.length, error.text]).toEqual([25, 8, 'includes']);
    expect(error.source).toBe('SAN.include?("a") && SAN.includes("b")');
    expect(error.message).toBe(`${error.description} (at position 25)`);
  });

  it('formats the source with a caret line under the offending text', () => {
    expect(syntaxError('CM == "x"').format()).toBe(
      'unknown name "CM"; did you mean "CN"? (at position 0)\n  CM == "x"\n  ^^',
    );
    expect(syntaxError('CN == "a" &&\n\tSAN.inclde?("x")').format()).toBe(
      [
        'unknown method "inclde?" for a list of strings; did you mean "include?"? (at position 18)',
        '  \tSAN.inclde?("x")',
        '  \t    ^^^^^^^',
      ].join('\n'),
    );
  });

  it('shows a window of a long line around the offending text', () => {
    const source = `${'CN == "a" || '.repeat(20)}Cn == "b" || ${'O == "x" || '.repeat(20)}true`;
    const [, line, caret] = syntaxError(source).format().split('\n');
    expect(line!.length).toBeLessThanOrEqual(2 + 102);
    expect(line).toMatch(/^ {2}….*Cn == "b".*…$/);
    expect(line!.slice(caret!.indexOf('^'), caret!.lastIndexOf('^') + 1)).toBe('Cn');
  });

  it('points at the end for a rule cut short', () => {
    const error = syntaxError('CN == ');
    expect(error.position).toBe(6);
    expect(error.format().split('\n')[2]).toBe(`  ${' '.repeat(6)}^`);
    expect(syntaxError('SAN.include?("x"').description).toMatch(/Expected \)/);
    expect(syntaxError('CN == "abc').description).toMatch(/Unclosed quote/);
  });

  it('reports an empty rule and a non-string rule', () => {
    expect(syntaxError('   ').description).toBe('the rule is empty');
    expect(syntaxError(42 as unknown as string).description).toBe('a rule must be a string');
  });
});

describe('evaluateDetailed on hostile hand-made contexts', () => {
  it('answers false without throwing when a field throws a revoked Proxy', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const context = fakeContext();
    Object.defineProperty(context, 'CN', {
      get() {
        throw proxy;
      },
    });
    const rule = compileRule('CN == "svc-api"');
    expect(rule.evaluate(context)).toBe(false);
    const explained = rule.evaluateDetailed(context);
    expect(explained).toMatchObject({ result: false, error: 'evaluation failed' });
  });

  it('does not call every RangeError a stack overflow', () => {
    const throwing = (error: Error) => {
      const context = fakeContext();
      Object.defineProperty(context, 'CN', {
        get() {
          throw error;
        },
      });
      return compileRule('CN == "svc-api"').evaluateDetailed(context).error;
    };
    expect(throwing(new RangeError('Invalid time value'))).toBe('evaluation failed');
    expect(throwing(new RangeError('Maximum call stack size exceeded'))).toBe(
      'evaluation ran out of stack',
    );
  });
});
