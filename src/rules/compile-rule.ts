/**
 * `compileRule(source)`: parse once, check every name, method, argument and type, and turn
 * the tree into closures, so that evaluating is a handful of calls with no interpretation.
 * Anything outside the language is a RuleSyntaxError here, not a surprise per request.
 */

import { Compiler } from './checker.js';
import type { RuleContext } from './context.js';
import { explain, type RuleExplanation } from './explain.js';
import { parseRule } from './parse-rule.js';

/** A rule compiled once, evaluated per request. */
export interface CompiledRule {
  /** The rule as written. */
  readonly source: string;
  /** The context names the rule reads (`SAN`, `CN`, `CHAIN` …), in order of appearance. */
  readonly names: readonly string[];
  /**
   * True when the certificate satisfies the rule. Never throws: a run-time error (a method
   * on `nil`, a malformed hand-made context) makes the rule false.
   */
  evaluate(context: RuleContext): boolean;
  /**
   * The result, the clause that decided it and, for a run-time error, its message: for a
   * 4019 message or the CLI. Slower than `evaluate`; call it after `evaluate` said false.
   */
  evaluateDetailed(context: RuleContext): RuleExplanation;
}

/**
 * Compiles a rule (see docs/rules.md for the language). Parse, check and closure building
 * all happen here; the result evaluates a context in well under a microsecond.
 *
 * @throws {RuleSyntaxError} for a syntax error, an unknown name or method (with a
 *   did-you-mean), a wrong argument count, a method on the wrong type, a literal that cannot
 *   be what it is compared with, a rule that is not a condition, or a limit exceeded.
 */
export function compileRule(source: string): CompiledRule {
  const tree = parseRule(source);
  const compiler = new Compiler(source);
  const root = compiler.condition(tree);
  const run = root.evaluate;
  const names = Object.freeze([...compiler.names]);
  const rule: CompiledRule = {
    source,
    names,
    evaluate(context: RuleContext): boolean {
      try {
        return run(context) === true;
      } catch {
        return false;
      }
    },
    evaluateDetailed(context: RuleContext): RuleExplanation {
      return explain(root, context, source);
    },
  };
  return Object.freeze(rule);
}
