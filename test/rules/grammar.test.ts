import jsep from 'jsep';
import { afterEach, describe, expect, it } from 'vitest';
import { compileRule, RuleSyntaxError } from '../../src/index.js';
import { parseWithRuleGrammar } from '../../src/rules/grammar.js';

interface Statics {
  unary_ops: Record<string, unknown>;
  binary_ops: Record<string, number>;
  right_associative: Set<string>;
  additional_identifier_chars: Set<string>;
  literals: Record<string, unknown>;
}
const statics = (jsep as unknown as { Jsep: Statics }).Jsep;
const hooks = jsep.hooks as unknown as Record<string, unknown[] | undefined>;

function configuration() {
  return {
    unary: { ...statics.unary_ops },
    binary: { ...statics.binary_ops },
    right: [...statics.right_associative],
    identifier: [...statics.additional_identifier_chars],
    literals: { ...statics.literals },
    hooks: Object.fromEntries(Object.entries(hooks).map(([k, v]) => [k, [...(v ?? [])]])),
  };
}

describe('the rule grammar and other jsep users', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const undo of cleanups.splice(0)) undo();
  });

  it('leaves jsep configured exactly as before after a successful compile', () => {
    const before = configuration();
    compileRule('CN.start_with?("svc-") and not SAN.include?("DNS:x") or DN == "CN=a"');
    expect(configuration()).toEqual(before);
  });

  it('leaves jsep configured exactly as before after a syntax error', () => {
    const before = configuration();
    expect(() => compileRule('CN == ("x"')).toThrow(RuleSyntaxError);
    expect(() => compileRule('a ? b : c')).toThrow(RuleSyntaxError);
    expect(configuration()).toEqual(before);
  });

  it('does not give other jsep users the rule operators or the ? method names', () => {
    compileRule('CN == "x" and SAN.include?("DNS:y")');
    // Plain jsep still parses a ternary and knows nothing of `and`.
    expect(jsep('a ? b : c').type).toBe('ConditionalExpression');
    expect(jsep('a + b').type).toBe('BinaryExpression');
    // Plain jsep reads `a and b` as three separate expressions, not a BinaryExpression.
    expect(jsep('a and b').type).toBe('Compound');
    expect(() => jsep('x.include?(1)')).toThrow(/Expected :/);
  });

  it('is not affected by operators, literals and hooks other jsep users added', () => {
    jsep.addBinaryOp('and', 99);
    jsep.addBinaryOp('=~', 6);
    jsep.addUnaryOp('-');
    jsep.addIdentifierChar('?');
    jsep.addLiteral('CN', 'hijacked');
    let foreignHookRan = false;
    const hook: jsep.HookCallback = () => {
      foreignHookRan = true;
    };
    jsep.hooks.add('gobble-token', hook, true);
    cleanups.push(() => {
      jsep.removeBinaryOp('and');
      jsep.removeBinaryOp('=~');
      jsep.removeIdentifierChar('?');
      jsep.removeLiteral('CN');
      const list = hooks['gobble-token']!;
      list.splice(list.indexOf(hook), 1);
    });
    const rule = compileRule('CN == "svc" and SAN.include?("DNS:a.example") or O == "x"');
    expect(foreignHookRan).toBe(false);
    const context = { CN: 'svc', SAN: ['DNS:a.example'], O: 'y' };
    expect(rule.evaluate(context as never)).toBe(true);
    expect(() => compileRule('CN =~ "x"')).toThrow(RuleSyntaxError);
    // Their configuration is still in place afterwards.
    expect(statics.binary_ops.and).toBe(99);
    expect(statics.literals.CN).toBe('hijacked');
  });

  it('still works when another user removed every jsep operator', () => {
    const saved = { ...statics.binary_ops };
    for (const op of Object.keys(saved)) jsep.removeBinaryOp(op);
    cleanups.push(() => {
      for (const [op, p] of Object.entries(saved)) jsep.addBinaryOp(op, p);
    });
    expect(compileRule('CN == "a" || CN != "b"').evaluate({ CN: 'a' } as never)).toBe(true);
    expect(Object.keys(statics.binary_ops)).toEqual([]);
  });

  it('records the span of every token', () => {
    const tree = parseWithRuleGrammar('  SAN.include?("x")') as jsep.Expression & {
      start: number;
      end: number;
    };
    expect(tree.type).toBe('CallExpression');
    expect([tree.start, tree.end]).toEqual([2, 19]);
  });
});

describe('? in method names and the conditional operator', () => {
  it('reads a ? directly after a method name as part of the name', () => {
    const rule = compileRule('SAN.empty? == false && CN.present?');
    expect(rule.evaluate({ SAN: ['DNS:a'], CN: 'x' } as never)).toBe(true);
  });

  it('rejects a ? b : c with a message that says there is no conditional operator', () => {
    for (const source of [
      'CN ? true : false',
      'CN.empty? ? true : false',
      '(CN == "a")?true:false',
    ]) {
      const error = catchError(source);
      expect(error.description).toMatch(/no conditional operator/);
      expect(source[error.position]).toBe('?');
    }
  });

  it('rejects a space between a method name and its ?', () => {
    const error = catchError('SAN.include ?("x")');
    expect(error.position).toBe(12);
    expect(error.description).toMatch(/no space before the "\?"/);
  });

  it('rejects ?? and ?. as operators', () => {
    expect(catchError('CN ?? "x"').position).toBe(3);
    expect(() => compileRule('CHAIN.first?.CN == "x"')).toThrow(RuleSyntaxError);
  });

  it('accepts and, or and not as words but not as parts of longer names', () => {
    expect(compileRule('not CN.nil? and CN == "a" or false').evaluate({ CN: 'a' } as never)).toBe(
      true,
    );
    expect(catchError('notCN == "a"').description).toMatch(/unknown name "notCN"/);
    expect(catchError('CN == "a" andx').position).toBe(10);
  });
});

describe('characters outside the language', () => {
  it('rejects a pasted non-breaking or zero-width space at its position', () => {
    expect(catchError('CN\u00a0== "a"')).toMatchObject({
      position: 2,
      description: 'Unexpected character U+00A0',
    });
    expect(catchError('CN == "a" &&\u200bO == "b"').position).toBe(12);
  });

  it('accepts Unicode letters in strings and reports them as unknown names elsewhere', () => {
    expect(compileRule('CN == "Müller"').evaluate({ CN: 'Müller' } as never)).toBe(true);
    expect(catchError('Ü == "a"').description).toMatch(/^unknown name "Ü"/);
  });
});

function catchError(source: string): RuleSyntaxError {
  try {
    compileRule(source);
  } catch (error) {
    if (error instanceof RuleSyntaxError) return error;
    throw error;
  }
  throw new Error(`compiled: ${source}`);
}
