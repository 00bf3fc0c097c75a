/** A checked, compiled expression: its type, its evaluator and what explanations need. */

import type { RuleNode } from './ast.js';
import type { NameField } from './context.js';
import type { Site } from './failure.js';
import type { RuleType } from './types.js';

/** Computes an expression's value from a context. Throws only RuleFailure (see failure.ts). */
export type Evaluator = (context: object) => unknown;

/** What decides a boolean: `and`/`or`/`not` are explained through their operands. */
export type Role = 'and' | 'or' | 'not' | 'clause';

/** One checked and compiled expression. */
export interface Typed {
  readonly node: RuleNode;
  readonly type: RuleType;
  readonly evaluate: Evaluator;
  readonly site: Site;
  readonly role: Role;
  /** Operands of `and`, `or` and `not`. */
  readonly operands: readonly Typed[];
  /** Set when the expression is a literal. */
  readonly constant?: { readonly value: string | number | boolean | null };
  /** Set when the expression reads a name field: where to find it, to compare as a name. */
  readonly nameOf?: { readonly context: Evaluator; readonly field: NameField };
}
