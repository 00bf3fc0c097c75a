/**
 * The rule AST: what `parseRule` returns once jsep's tree is checked for shape. Every node
 * carries its span in the source, so errors and explanations can quote the formula itself.
 */

/** A half-open span `[start, end)` of the rule source, in UTF-16 code units. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A literal: string, number, `true`, `false` or `nil` (`null`). */
export interface LiteralNode extends Span {
  readonly kind: 'literal';
  readonly value: string | number | boolean | null;
}

/** A bare name such as `SAN` or `CN`. */
export interface NameNode extends Span {
  readonly kind: 'name';
  readonly name: string;
}

/**
 * `object.property` or `object.method(args)`: Ruby calls a method without parentheses too,
 * so a field read and a method call share one node; `args` is `undefined` without `(…)`.
 */
export interface MemberNode extends Span {
  readonly kind: 'member';
  readonly object: RuleNode;
  readonly property: string;
  /** Where the property or method name starts. */
  readonly propertyStart: number;
  readonly args: readonly RuleNode[] | undefined;
}

/** `object[key]`, only ever a name attribute read such as `SUBJECT["OU"]`. */
export interface IndexNode extends Span {
  readonly kind: 'index';
  readonly object: RuleNode;
  readonly key: RuleNode;
}

/** `!x` or `not x`. */
export interface NotNode extends Span {
  readonly kind: 'not';
  readonly argument: RuleNode;
}

/** The binary operators of the language; `and`/`or` arrive here as `&&`/`||`. */
export type BinaryOperator = '&&' | '||' | '==' | '!=' | '<' | '<=' | '>' | '>=';

/** A binary operation. */
export interface BinaryNode extends Span {
  readonly kind: 'binary';
  readonly operator: BinaryOperator;
  /** The operator as written (`and`, `&&` …), for messages. */
  readonly written: string;
  readonly left: RuleNode;
  readonly right: RuleNode;
}

/** Any node of the rule AST. */
export type RuleNode = LiteralNode | NameNode | MemberNode | IndexNode | NotNode | BinaryNode;
