/**
 * Explaining a result: which clause decided it. An `and` that failed is explained by its
 * first false operand, an `or` that passed by its first true one, a `not` by its operand;
 * anything else is a clause of its own, quoted from the source:
 * `SAN.include?("DNS:api.example.com") was false`. The CLI prints it and the verifier puts
 * it into 4019 messages, so operators can fix a formula without guessing.
 */

import { isRuleFailure, messageOf } from './failure.js';
import type { Typed } from './typed.js';

/** The outcome of `CompiledRule.evaluateDetailed`. */
export interface RuleExplanation {
  /** What `evaluate` returns for the same context. */
  readonly result: boolean;
  /**
   * The deciding clause as written in the rule, with its value: `CN == "api" was false`. For
   * a run-time error, the clause that could not be evaluated.
   */
  readonly clause: string;
  /** Set when evaluation failed at run time (`CN is nil`); `result` is then false. */
  readonly error?: string;
  /**
   * One sentence for logs and 4019 messages: the clause, or for an error
   * `CN.start_with?("svc-") could not be evaluated: CN is nil`.
   */
  readonly message: string;
}

/** Longest quote of the rule in an explanation; a long allow-list is shortened in the middle. */
const MAX_QUOTE = 200;

function quote(text: string): string {
  if (text.length <= MAX_QUOTE) return text;
  return `${text.slice(0, MAX_QUOTE - 60)} … ${text.slice(-50)}`;
}

function decisive(node: Typed, context: object, value: boolean): string {
  if (node.role === 'not') return decisive(node.operands[0]!, context, !value);
  if ((node.role === 'and' && !value) || (node.role === 'or' && value)) {
    for (const operand of node.operands) {
      if ((operand.evaluate(context) === true) === value) return decisive(operand, context, value);
    }
  }
  return `${quote(node.site.text)} was ${value}`;
}

/** The outermost non-logical expression containing the failed span. */
function failedClause(node: Typed, start: number, end: number): Typed {
  if (node.role !== 'clause') {
    for (const operand of node.operands) {
      if (operand.site.start <= start && end <= operand.site.end) {
        return failedClause(operand, start, end);
      }
    }
  }
  return node;
}

/** Evaluates `root` against `context` and says why the result is what it is. */
export function explain(root: Typed, context: object, source: string): RuleExplanation {
  let result: boolean;
  try {
    result = root.evaluate(context) === true;
  } catch (error) {
    const [start, end] = isRuleFailure(error)
      ? [error.start, error.end]
      : [root.site.start, root.site.end];
    const clause = quote(failedClause(root, start, end).site.text);
    const message = messageOf(error);
    return {
      result: false,
      clause,
      error: message,
      message: `${clause} could not be evaluated: ${message}`,
    };
  }
  let clause: string;
  try {
    clause = decisive(root, context, result);
  } catch {
    clause = `${quote(source)} was ${result}`;
  }
  return { result, clause, message: clause };
}
