/** Compiling and running a rule for the CLI, with syntax errors shown under a caret. */

import { type Certificate, compileRule, RuleSyntaxError, ruleContext } from '../index.js';
import { CliError } from './errors.js';

/** What a rule decided about a certificate, and the clause that decided it. */
export interface RuleOutcome {
  readonly source: string;
  readonly passed: boolean;
  /** The deciding clause with its value, e.g. `SAN.include?("DNS:a") was false`. */
  readonly clause: string;
  /** One sentence: the clause, or what could not be evaluated and why. */
  readonly explanation: string;
  /** Set when evaluation failed at run time (a nil field); the rule then fails. */
  readonly error?: string;
}

/** A compiled rule ready to run against a chain (leaf first). */
export interface CliRule {
  readonly source: string;
  run(chain: readonly Certificate[]): RuleOutcome;
}

/** Compiles `source`; a bad rule is a CliError whose detail lines put a caret under the fault. */
export function compileCliRule(command: string, source: string): CliRule {
  try {
    const rule = compileRule(source);
    return {
      source,
      run(chain) {
        const detail = rule.evaluateDetailed(ruleContext(chain[0]!, chain));
        return {
          source,
          passed: detail.result,
          clause: detail.clause,
          explanation: detail.message,
          ...(detail.error !== undefined ? { error: detail.error } : {}),
        };
      },
    };
  } catch (error) {
    if (error instanceof RuleSyntaxError) {
      const [first, ...rest] = error.format().split('\n');
      throw new CliError(
        `${command}: bad rule: ${first}`,
        rest.map((line) => line.replace(/^ {2}/, '')),
      );
    }
    throw error;
  }
}
