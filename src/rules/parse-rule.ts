/**
 * Source → rule AST: limits on the source, jsep with the rule grammar, then a check of jsep's
 * tree against the shapes the language has. Everything else becomes a RuleSyntaxError with
 * the position of the offending text.
 */

import type jsep from 'jsep';
import type { BinaryOperator, RuleNode } from './ast.js';
import { asJsepError, parseWithRuleGrammar, type SpannedExpression } from './grammar.js';
import {
  MAX_ARGUMENTS,
  MAX_DEPTH,
  MAX_NODES,
  MAX_SOURCE_LENGTH,
  MAX_STRING_LENGTH,
} from './limits.js';
import { RuleSyntaxError } from './rule-syntax-error.js';

const OPERATORS: Readonly<Record<string, BinaryOperator>> = {
  '&&': '&&',
  and: '&&',
  '||': '||',
  or: '||',
  '==': '==',
  '!=': '!=',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

/**
 * Parses a rule into its AST.
 *
 * @throws {RuleSyntaxError} for a syntax error or a limit exceeded.
 */
export function parseRule(source: string): RuleNode {
  if (typeof source !== 'string') throw new RuleSyntaxError('a rule must be a string', '', 0);
  if (source.length > MAX_SOURCE_LENGTH) {
    throw new RuleSyntaxError(
      `the rule is longer than ${MAX_SOURCE_LENGTH} characters`,
      source,
      MAX_SOURCE_LENGTH,
    );
  }
  if (source.trim() === '') throw new RuleSyntaxError('the rule is empty', source, 0, 0);
  checkNesting(source);
  let tree: jsep.Expression;
  try {
    tree = parseWithRuleGrammar(source);
  } catch (error) {
    throw fromJsep(error, source);
  }
  const budget = { nodes: 0 };
  return convert(tree, source, 0, budget);
}

function fromJsep(error: unknown, source: string): RuleSyntaxError {
  const parsed = asJsepError(error);
  if (parsed === undefined) {
    // jsep recursing past the stack on input the nesting pre-check let through.
    if (error instanceof RangeError)
      return new RuleSyntaxError('the rule is nested too deeply', source, 0);
    return new RuleSyntaxError('the rule cannot be parsed', source, 0);
  }
  let message = parsed.description;
  const at = parsed.index;
  if (source[at] === '=' && source[at + 1] !== '=') message += '; compare with ==';
  if (source[at] === '[' && message.startsWith('Unexpected')) message += '; rules have no lists';
  return new RuleSyntaxError(message, source, at);
}

/**
 * Rejects deep nesting before jsep sees it: jsep recurses once per bracket and per prefix
 * `!`, so a source of a few thousand `(` or `!` must not reach it. Counts conservatively
 * (a run of negations adds to the bracket depth).
 */
function checkNesting(source: string): void {
  let depth = 0;
  let run = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '"' || ch === "'") {
      i = skipString(source, i);
      run = 0;
      continue;
    }
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth = Math.max(0, depth - 1);
    else if (ch === '!' && source[i + 1] !== '=') run++;
    else if (ch === 'n' && source.startsWith('not', i) && !isWordChar(source[i + 3])) {
      if (!isWordChar(source[i - 1])) run++;
      i += 2;
    } else if (ch !== ' ' && ch !== '\t' && ch !== '\n' && ch !== '\r') run = 0;
    if (depth + run > MAX_DEPTH) {
      throw new RuleSyntaxError(`the rule nests deeper than ${MAX_DEPTH} levels`, source, i);
    }
  }
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9_?]/.test(ch);
}

function skipString(source: string, open: number): number {
  const quote = source[open];
  for (let i = open + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === quote) return i;
  }
  return source.length;
}

function hasSpan(node: jsep.Expression): boolean {
  return typeof (node as SpannedExpression).start === 'number';
}

function spanOf(node: jsep.Expression, fallback: number): { start: number; end: number } {
  const { start, end } = node as SpannedExpression;
  if (typeof start === 'number' && typeof end === 'number') return { start, end };
  return { start: fallback, end: fallback + 1 };
}

function convert(
  node: jsep.Expression,
  source: string,
  depth: number,
  budget: { nodes: number },
): RuleNode {
  const span = spanOf(node, 0);
  if (depth > MAX_DEPTH) {
    throw new RuleSyntaxError(`the rule nests deeper than ${MAX_DEPTH} levels`, source, span.start);
  }
  if (++budget.nodes > MAX_NODES) {
    throw new RuleSyntaxError(`the rule has more than ${MAX_NODES} parts`, source, span.start);
  }
  const child = (n: jsep.Expression): RuleNode => convert(n, source, depth + 1, budget);
  switch (node.type) {
    case 'Literal': {
      const value = (node as jsep.Literal).value;
      if (typeof value === 'string') {
        if (value.length > MAX_STRING_LENGTH) {
          throw new RuleSyntaxError(
            `a string is longer than ${MAX_STRING_LENGTH} characters`,
            source,
            span.start,
            span.end - span.start,
          );
        }
        return { kind: 'literal', value, ...span };
      }
      if (typeof value === 'number') {
        if (!Number.isFinite(value)) {
          throw new RuleSyntaxError(
            'a number is too large',
            source,
            span.start,
            span.end - span.start,
          );
        }
        return { kind: 'literal', value, ...span };
      }
      if (typeof value === 'boolean' || value === null) return { kind: 'literal', value, ...span };
      break;
    }
    case 'Identifier': {
      const name = (node as jsep.Identifier).name;
      if (name === 'and' || name === 'or') {
        throw new RuleSyntaxError(
          `"${name}" needs a condition on its left`,
          source,
          span.start,
          name.length,
        );
      }
      return { kind: 'name', name, ...span };
    }
    case 'MemberExpression': {
      const member = node as jsep.MemberExpression;
      const object = child(member.object);
      if (member.computed) return { kind: 'index', object, key: child(member.property), ...span };
      const property = member.property as SpannedExpression & { name: string };
      return {
        kind: 'member',
        object,
        property: property.name,
        propertyStart: spanOf(property, span.start).start,
        args: undefined,
        ...span,
      };
    }
    case 'CallExpression': {
      const call = node as jsep.CallExpression;
      const callee = call.callee as SpannedExpression;
      if (callee.type !== 'MemberExpression' || (callee as jsep.MemberExpression).computed) {
        const at = spanOf(callee, span.start);
        throw new RuleSyntaxError(
          'only methods can be called, as in SAN.include?("DNS:x")',
          source,
          at.start,
          at.end - at.start,
        );
      }
      if (call.arguments.length > MAX_ARGUMENTS) {
        throw new RuleSyntaxError(`more than ${MAX_ARGUMENTS} arguments`, source, span.start);
      }
      const member = convert(callee, source, depth, budget);
      if (member.kind !== 'member' || member.args !== undefined) {
        throw new RuleSyntaxError('a method result cannot be called', source, span.start);
      }
      return { ...member, args: call.arguments.map(child), end: span.end };
    }
    case 'UnaryExpression':
      return { kind: 'not', argument: child((node as jsep.UnaryExpression).argument), ...span };
    case 'BinaryExpression': {
      const binary = node as jsep.BinaryExpression;
      const operator = OPERATORS[binary.operator];
      // A chain of one operator (`a || b || c …`, an allow-list) counts as one level: its
      // length is bounded by MAX_NODES, and only real nesting is limited by MAX_DEPTH.
      const chained = (n: jsep.Expression): RuleNode =>
        n.type === 'BinaryExpression' &&
        OPERATORS[(n as jsep.BinaryExpression).operator] === operator &&
        (operator === '&&' || operator === '||')
          ? convert(n, source, depth, budget)
          : child(n);
      const left = chained(binary.left);
      const right = chained(binary.right);
      if (operator === undefined) {
        throw new RuleSyntaxError(`unknown operator "${binary.operator}"`, source, left.end);
      }
      return {
        kind: 'binary',
        operator,
        written: binary.operator,
        left,
        right,
        // A parenthesized operation carries the span of its parentheses.
        ...(hasSpan(node) ? span : { start: left.start, end: right.end }),
      };
    }
    case 'Compound':
    case 'SequenceExpression': {
      const parts =
        (node as jsep.Compound).body ?? (node as jsep.SequenceExpression).expressions ?? [];
      const second = parts[1];
      const at = second ? spanOf(second, span.start).start : span.start;
      throw new RuleSyntaxError(
        'a rule is one condition: join the parts with && or ||',
        source,
        at,
      );
    }
    case 'ArrayExpression':
      throw new RuleSyntaxError('rules have no list literals', source, span.start);
  }
  throw new RuleSyntaxError(`unsupported syntax (${node.type})`, source, span.start);
}
