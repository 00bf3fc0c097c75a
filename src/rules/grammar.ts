/**
 * The rule grammar as a jsep configuration, and the one way to parse with it.
 *
 * jsep keeps its operators, literals, identifier characters and hooks in module-level state
 * shared by every user in the process. `parseWithRuleGrammar` therefore configures jsep for
 * the rule language, parses, and restores the previous configuration in a `finally`, all in
 * one synchronous call: no other code can run in between, so our operators never leak into
 * another jsep user and theirs (plugins, extra operators, removed operators) never reach us.
 * Everything goes through jsep's own extension points (add/remove operator, literal and
 * identifier-character functions, and the documented hook lists).
 *
 * What the configuration adds to jsep:
 * - a `gobble-token` hook that reads identifiers, literals (strings with Ruby's rules, see
 *   string-literal.ts), groups and member chains itself, recording source spans on every node
 *   and letting a method name end in `?` when the `?` directly follows the name (`include?`),
 *   as in Ruby;
 * - an `after-expression` hook that rejects any other `?`, so `a ? b : c` is a clear error;
 * - `and`, `or` and `not` as aliases of `&&`, `||` and `!`, and only the operators the
 *   language has (no arithmetic, bitwise, `??` or assignment).
 */

import jsep from 'jsep';
import { type ReadString, readStringLiteral, StringLiteralError } from './string-literal.js';

/** A jsep node with the span our hooks record. */
export type SpannedExpression = jsep.Expression & { start?: number; end?: number };

/** A jsep syntax error: jsep throws plain Errors carrying the index and a description. */
export interface JsepError {
  readonly index: number;
  readonly description: string;
}

const UNARY_OPERATORS: readonly string[] = ['!', 'not'];
const BINARY_OPERATORS: readonly (readonly [string, number])[] = [
  ['||', 1],
  ['or', 1],
  ['&&', 2],
  ['and', 2],
  ['==', 6],
  ['!=', 6],
  ['<', 7],
  ['<=', 7],
  ['>', 7],
  ['>=', 7],
];
const IDENTIFIER_CHARS: readonly string[] = ['_'];

const PERIOD = 46;
const QUOTE = 39;
const DQUOTE = 34;
const OPAREN = 40;
const CPAREN = 41;
const OBRACK = 91;
const CBRACK = 93;
const QUESTION = 63;

/** The live static state of jsep (the `Jsep` class), read to snapshot and restore it. */
interface JsepStatics {
  unary_ops: Record<string, unknown>;
  binary_ops: Record<string, number>;
  right_associative: Set<string>;
  additional_identifier_chars: Set<string>;
  literals: Record<string, unknown>;
}

function statics(): JsepStatics {
  // `jsep.Jsep` is the class whose statics the add/remove functions change; the copies on the
  // `jsep` function go stale once someone calls e.g. removeAllBinaryOps.
  const cls = (jsep as unknown as { Jsep?: JsepStatics }).Jsep;
  return cls ?? (jsep as unknown as JsepStatics);
}

type HookList = jsep.HookCallback[];
type HookTable = Record<string, HookList | undefined>;

interface Snapshot {
  readonly unary: string[];
  readonly binary: [string, number, boolean][];
  readonly identifierChars: string[];
  readonly literals: [string, unknown][];
  readonly hooks: [string, HookList][];
}

function snapshot(): Snapshot {
  const s = statics();
  const table = jsep.hooks as unknown as HookTable;
  const hooks: [string, HookList][] = [];
  for (const name of Object.keys(table)) {
    const list = table[name];
    if (Array.isArray(list)) hooks.push([name, list]);
  }
  return {
    unary: Object.keys(s.unary_ops),
    binary: Object.entries(s.binary_ops).map(([op, p]) => [op, p, s.right_associative.has(op)]),
    identifierChars: [...s.additional_identifier_chars],
    literals: Object.entries(s.literals),
    hooks,
  };
}

function clearAll(state: Snapshot): void {
  for (const op of state.unary) jsep.removeUnaryOp(op);
  for (const [op] of state.binary) jsep.removeBinaryOp(op);
  for (const ch of state.identifierChars) jsep.removeIdentifierChar(ch);
  for (const [name] of state.literals) jsep.removeLiteral(name);
  const table = jsep.hooks as unknown as HookTable;
  for (const [name] of state.hooks) delete table[name];
}

function install(state: Snapshot): void {
  for (const op of state.unary) jsep.addUnaryOp(op);
  for (const [op, precedence, right] of state.binary) jsep.addBinaryOp(op, precedence, right);
  for (const ch of state.identifierChars) jsep.addIdentifierChar(ch);
  for (const [name, value] of state.literals) jsep.addLiteral(name, value);
  const table = jsep.hooks as unknown as HookTable;
  for (const [name, list] of state.hooks) table[name] = list;
}

// Spans of tokens jsep builds itself (unary operators), pushed in gobble-token and popped in
// after-token, which jsep runs exactly once per gobble-token for every kind of token.
let tokenStarts: number[] = [];

const LETTER = /^\p{L}$/u;

function isIdentifierStart(code: number): boolean {
  if (code < 128) return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
  // Unicode letters only: a pasted non-breaking or zero-width space is an error, not a name.
  return LETTER.test(String.fromCharCode(code));
}

function isIdentifierPart(code: number): boolean {
  return isIdentifierStart(code) || (code >= 48 && code <= 57);
}

function spanned<T extends jsep.Expression>(node: T, start: number, end: number): T {
  (node as SpannedExpression).start = start;
  (node as SpannedExpression).end = end;
  return node;
}

/** Reads `.name`, `.name?`, `(args)` and `[key]` after a primary, with spans. */
function gobbleChain(
  scope: jsep.HookScope,
  first: jsep.Expression,
  start: number,
): jsep.Expression {
  let node = first;
  for (;;) {
    const before = scope.index;
    scope.gobbleSpaces();
    const code = scope.code;
    if (code === PERIOD) {
      scope.index++;
      scope.gobbleSpaces();
      const propertyStart = scope.index;
      if (!isIdentifierStart(scope.code)) scope.throwError('Expected a method name after "."');
      let name = (scope.gobbleIdentifier() as jsep.Identifier).name;
      // Ruby's predicate methods: the `?` belongs to the name only when nothing separates them.
      if (scope.code === QUESTION) {
        scope.index++;
        name += '?';
      }
      node = spanned(
        {
          type: 'MemberExpression',
          computed: false,
          object: node,
          property: spanned({ type: 'Identifier', name }, propertyStart, scope.index),
        },
        start,
        scope.index,
      );
    } else if (code === OPAREN) {
      scope.index++;
      const args = scope.gobbleArguments(CPAREN) as unknown as jsep.Expression[];
      node = spanned({ type: 'CallExpression', callee: node, arguments: args }, start, scope.index);
    } else if (code === OBRACK) {
      scope.index++;
      const key = scope.gobbleExpression();
      if (!key) scope.throwError('Expected an attribute name inside [ ]');
      scope.gobbleSpaces();
      if (scope.code !== CBRACK) scope.throwError('Unclosed [');
      scope.index++;
      node = spanned(
        { type: 'MemberExpression', computed: true, object: node, property: key },
        start,
        scope.index,
      );
    } else {
      scope.index = before;
      return node;
    }
  }
}

function gobbleToken(this: jsep.HookScope, env: { node?: jsep.Expression }): void {
  const start = this.index;
  tokenStarts.push(start);
  const code = this.code;
  let node: jsep.Expression;
  if ((code >= 48 && code <= 57) || code === PERIOD) {
    const literal = this.gobbleNumericLiteral();
    if (!literal) this.throwError('Expected a number');
    env.node = spanned(literal, start, this.index);
    return;
  }
  if (code === QUOTE || code === DQUOTE) {
    let read: ReadString;
    try {
      read = readStringLiteral(this.expr, start);
    } catch (error) {
      if (!(error instanceof StringLiteralError)) throw error;
      this.index = error.index;
      this.throwError(error.message);
    }
    this.index = read.end;
    node = spanned(
      { type: 'Literal', value: read.value, raw: this.expr.slice(start, read.end) },
      start,
      read.end,
    );
  } else if (code === OPAREN) {
    const group = this.gobbleGroup() as jsep.Expression | false;
    if (!group) this.throwError('Empty parentheses');
    // The parentheses belong to the span, so that quoting a node quotes balanced text.
    node = spanned(group, start, this.index);
  } else if (isIdentifierStart(code)) {
    let end = start;
    while (end < this.expr.length && isIdentifierPart(this.expr.charCodeAt(end))) end++;
    const word = this.expr.slice(start, end);
    // `not` is a unary operator: leave it to jsep.
    if (word === 'not') return;
    this.index = end;
    if (word === 'true' || word === 'false') {
      node = spanned({ type: 'Literal', value: word === 'true', raw: word }, start, end);
    } else if (word === 'nil') {
      node = spanned({ type: 'Literal', value: null, raw: word }, start, end);
    } else {
      node = spanned({ type: 'Identifier', name: word }, start, end);
    }
  } else if (code >= 128) {
    const hex = code.toString(16).toUpperCase().padStart(4, '0');
    this.throwError(`Unexpected character U+${hex}`);
  } else {
    return;
  }
  env.node = gobbleChain(this, node, start);
}

function afterToken(this: jsep.HookScope, env: { node?: jsep.Expression }): void {
  const start = tokenStarts.pop() ?? this.index;
  const node = env.node;
  if (!node || typeof (node as SpannedExpression).start === 'number') return;
  const argument = (node as { argument?: unknown }).argument;
  const end =
    typeof argument === 'object' && argument !== null
      ? ((argument as SpannedExpression).end ?? this.index)
      : this.index;
  spanned(node, start, end);
}

function afterExpression(this: jsep.HookScope, env: { node?: jsep.Expression }): void {
  if (env.node && this.code === QUESTION) {
    this.throwError(
      'Unexpected "?": rules have no conditional operator (a ? b : c); a method name ending ' +
        'in "?" is written with no space before the "?"',
    );
  }
}

const RULE_GRAMMAR: Snapshot = {
  unary: [...UNARY_OPERATORS],
  binary: BINARY_OPERATORS.map(([op, p]) => [op, p, false]),
  identifierChars: [...IDENTIFIER_CHARS],
  literals: [],
  hooks: [
    ['gobble-token', [gobbleToken]],
    ['after-token', [afterToken]],
    ['after-expression', [afterExpression]],
  ],
};

/**
 * Parses `source` with the rule grammar and returns jsep's tree, every token spanned. jsep's
 * configuration is exactly as before when this returns or throws.
 *
 * @throws the jsep error (see {@link asJsepError}) for a syntax error.
 */
export function parseWithRuleGrammar(source: string): jsep.Expression {
  const saved = snapshot();
  clearAll(saved);
  install(RULE_GRAMMAR);
  tokenStarts = [];
  try {
    return jsep(source);
  } finally {
    tokenStarts = [];
    clearAll(RULE_GRAMMAR);
    install(saved);
  }
}

/** The index and description of an error jsep threw, or `undefined` for anything else. */
export function asJsepError(error: unknown): JsepError | undefined {
  if (!(error instanceof Error)) return undefined;
  const { index, description } = error as Error & { index?: unknown; description?: unknown };
  if (typeof index !== 'number' || typeof description !== 'string') return undefined;
  return { index, description };
}
