import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileRule, RuleSyntaxError } from '../../src/index.js';
import { fakeContext } from './helpers.js';

// A canary: global objects and prototypes whose every key is recorded before each test and
// checked after it, plus a global whose getter records any read.
const watched: Record<string, object> = {
  'Object.prototype': Object.prototype,
  'Array.prototype': Array.prototype,
  'String.prototype': String.prototype,
  'Function.prototype': Function.prototype,
  'Number.prototype': Number.prototype,
  'Boolean.prototype': Boolean.prototype,
  'Date.prototype': Date.prototype,
  globalThis,
};

function keysOf(): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(watched).map(([name, o]) => [name, Reflect.ownKeys(o).map(String).sort()]),
  );
}

let before: Record<string, string[]>;
let canaryReads = 0;

beforeEach(() => {
  canaryReads = 0;
  Object.defineProperty(globalThis, 'CANARY', {
    configurable: true,
    get() {
      canaryReads++;
      return { constructor: Function };
    },
  });
  before = keysOf();
});

afterEach(() => {
  expect(keysOf()).toEqual(before);
  expect(canaryReads).toBe(0);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  Reflect.deleteProperty(globalThis, 'CANARY');
});

const ATTACKS: readonly string[] = [
  'constructor.constructor("return process")()',
  'SAN.constructor.constructor("return process")()',
  'CN.constructor',
  'CN.constructor.name == "String"',
  'CN.__proto__ == nil',
  'SAN.__proto__.polluted == nil',
  'SAN["constructor"] == nil',
  'SUBJECT["__proto__"] == nil',
  'SUBJECT["constructor"] == nil',
  'SUBJECT["toString"] == nil',
  'DN.values("__proto__").empty?',
  '__proto__.polluted = 1',
  'CN.__proto__.polluted = 1',
  'this.CN == "x"',
  'globalThis.process',
  'CANARY.constructor("return 1")() == 1',
  'process.exit(1)',
  'require("fs")',
  'import("fs")',
  'Function("return 1")()',
  'eval("1") == 1',
  'new Date()',
  'typeof CN == "string"',
  'delete CN',
  'void 0',
  'CN = "x"',
  'CN++',
  '-1 == -1',
  '1 + 1 == 2',
  'SAN.push("DNS:evil")',
  'SAN.length = 0',
  'SAN.map(x => x)',
  '(() => true)()',
  'x => x',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a JavaScript template, as rule source
  '`${CN}` == "a"',
  '/x/.test(CN)',
  '[1, 2].includes(1)',
  '{ a: 1 }',
  'CN.valueOf() == "svc-api"',
  'CN.toString() == "svc-api"',
  'SAN.toString() == ""',
  'CHAIN.first.constructor',
  'CHAIN.first["CN"] == "x"',
  'CN; SAN.push("x")',
  'CN == "a", SAN.push("x")',
  'CN ? SAN.push("x") : true',
  'CN.include?("a") ?? true',
  'CN.start_with?.call(CN, "a")',
  'SAN.include?.apply(SAN, ["x"])',
  'SAN.include?("x").constructor',
];

describe('hostile formulas', () => {
  it.each(ATTACKS)('rejects %s at compile time with a RuleSyntaxError', (source) => {
    expect(() => compileRule(source)).toThrow(RuleSyntaxError);
  });

  it('rejects deep nesting, long sources and huge literals as errors, not as stack overflows', () => {
    for (const source of [
      `${'('.repeat(3000)}true${')'.repeat(3000)}`,
      `${'!'.repeat(3000)}true`,
      `${'not '.repeat(1000)}true`,
      `${'!('.repeat(2000)}true${')'.repeat(2000)}`,
      Array.from({ length: 600 }, () => 'true').join(' && '),
      `CN == "${'x'.repeat(5000)}"`,
      `CN == "${'x'.repeat(1025)}"`,
      `${'SAN.first'.repeat(1)}${'.downcase'.repeat(500)} == "a"`,
      `CN.start_with?(${Array.from({ length: 20 }, () => '"a"').join(', ')})`,
      '['.repeat(3000),
    ]) {
      const error = (() => {
        try {
          compileRule(source);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(RuleSyntaxError);
    }
  });

  it('evaluates a pathological glob against a long value in one pass', () => {
    const rule = compileRule('CN.match?("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b")');
    expect(rule.evaluate(fakeContext({ CN: 'a'.repeat(100_000) }))).toBe(false);
    expect(rule.evaluate(fakeContext({ CN: `${'a'.repeat(100_000)}b` }))).toBe(true);
  });

  it('never calls a function value found in the context', () => {
    let calls = 0;
    const trap = Object.assign(
      () => {
        calls++;
        return 'svc-api';
      },
      { toString: () => `${calls++}`, valueOf: () => calls++ },
    );
    for (const source of [
      'CN == "svc-api"',
      'CN.start_with?("svc")',
      'CN.to_s == "x"',
      'SAN.include?("x")',
      'SAN.join(",") == "x"',
      'NOT_AFTER > "2020-01-01"',
      'CHAIN.first.CN == "x"',
      'SUBJECT["CN"] == "x"',
      'DN == "CN=x"',
    ]) {
      const rule = compileRule(source);
      for (const field of ['CN', 'SAN', 'NOT_AFTER', 'CHAIN', 'SUBJECT', 'DN']) {
        expect(rule.evaluate(fakeContext({ [field]: trap }))).toBeTypeOf('boolean');
        expect(rule.evaluate(fakeContext({ [field]: [trap] }))).toBeTypeOf('boolean');
      }
    }
    expect(calls).toBe(0);
  });

  it('turns a context that throws on read into a failed rule', () => {
    const context = Object.defineProperty(fakeContext(), 'CN', {
      get() {
        throw new Error('boom');
      },
    });
    const rule = compileRule('CN == "svc-api"');
    expect(rule.evaluate(context)).toBe(false);
    expect(rule.evaluateDetailed(context)).toMatchObject({
      result: false,
      error: 'evaluation failed',
    });
  });

  it('does not let a rule change the context or what it holds', () => {
    const san = ['DNS:a.example'];
    const context = fakeContext({ SAN: san });
    for (const source of [
      'SAN.first.upcase == "X"',
      'SAN.join("-").strip.empty?',
      'SAN.any?("*")',
    ]) {
      compileRule(source).evaluate(context);
    }
    expect(san).toEqual(['DNS:a.example']);
  });
});
