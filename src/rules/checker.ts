/**
 * The type checker and closure builder behind `compileRule`: one pass over the AST that
 * resolves every name and method, checks argument counts and types, and returns each node's
 * evaluator. Errors are RuleSyntaxErrors at the offending text.
 */

import { attributeOid } from '../dn.js';
import type { RuleNode } from './ast.js';
import { compileEquality, compileOrdering, OperandError } from './compare.js';
import { CERTIFICATE_FIELDS, type NameField, nameAttributes } from './context.js';
import { asObject, type Site } from './failure.js';
import { chainReader, fieldReader, fieldType, isField } from './fields.js';
import {
  findMethod,
  METHOD_ALIASES,
  METHODS,
  MethodArgumentError,
  methodNames,
} from './methods.js';
import { RuleSyntaxError } from './rule-syntax-error.js';
import { didYouMean } from './suggest.js';
import type { Evaluator, Typed } from './typed.js';
import { describe, isList, type RuleType, type } from './types.js';

const TOP_LEVEL_NAMES: readonly string[] = [...Object.keys(CERTIFICATE_FIELDS), 'CHAIN'];
const NAME_ATTRIBUTES: readonly string[] = [
  'CN',
  'O',
  'OU',
  'C',
  'L',
  'ST',
  'emailAddress',
  'DC',
  'UID',
  'serialNumber',
];

/** Checks and compiles one rule; `names` collects the context names it reads. */
export class Compiler {
  readonly names: string[] = [];

  constructor(readonly source: string) {}

  error(message: string, start: number, end: number): RuleSyntaxError {
    return new RuleSyntaxError(message, this.source, start, Math.max(1, end - start));
  }

  site(node: RuleNode): Site {
    return { start: node.start, end: node.end, text: this.source.slice(node.start, node.end) };
  }

  typed(node: RuleNode, t: RuleType, evaluate: Evaluator, extra: Partial<Typed> = {}): Typed {
    return {
      node,
      type: t,
      evaluate,
      site: this.site(node),
      role: 'clause',
      operands: [],
      ...extra,
    };
  }

  condition(node: RuleNode): Typed {
    const t = this.compile(node);
    if (t.type.base !== 'boolean' || t.type.nullable) {
      const hint =
        t.type.base === 'string' || t.type.base === 'name'
          ? ' (compare it with == or call a method such as present? or include?)'
          : isList(t.type.base)
            ? ' (call a method such as include?, any? or empty?)'
            : '';
      throw this.error(
        `${clip(t.site.text)} is ${describe(t.type)}, not a condition${hint}`,
        node.start,
        node.end,
      );
    }
    return t;
  }

  compile(node: RuleNode): Typed {
    switch (node.kind) {
      case 'literal': {
        const value = node.value;
        const t =
          value === null
            ? type('nil')
            : typeof value === 'string'
              ? type('string')
              : typeof value === 'number'
                ? type('number')
                : type('boolean');
        return this.typed(node, t, () => value, { constant: { value } });
      }
      case 'name':
        return this.name(node);
      case 'member':
        return this.member(node);
      case 'index':
        return this.index(node);
      case 'not': {
        const operand = this.condition(node.argument);
        const read = operand.evaluate;
        return this.typed(node, type('boolean'), (c) => !read(c), {
          role: 'not',
          operands: [operand],
        });
      }
      case 'binary':
        return this.binary(node);
    }
  }

  name(node: RuleNode & { kind: 'name' }): Typed {
    const name = node.name;
    if (!this.names.includes(name) && TOP_LEVEL_NAMES.includes(name)) this.names.push(name);
    const site = this.site(node);
    if (name === 'CHAIN') return this.typed(node, type('chain'), chainReader(site));
    if (isField(name)) {
      const t = fieldType(name);
      const extra =
        t.base === 'name'
          ? { nameOf: { context: (c: object) => c, field: name as NameField } }
          : {};
      return this.typed(node, t, fieldReader(undefined, name, site), extra);
    }
    const known =
      name === 'null' || name === 'undefined'
        ? '; did you mean "nil"?'
        : didYouMean(name, TOP_LEVEL_NAMES);
    throw this.error(`unknown name "${clip(name)}"${known}`, node.start, node.end);
  }

  member(node: RuleNode & { kind: 'member' }): Typed {
    const object = this.compile(node.object);
    const base = object.type.base;
    const property = node.property;
    const nameEnd = node.propertyStart + property.length;
    if (base === 'certificate' && node.args === undefined && isField(property)) {
      const t = fieldType(property);
      const reader = fieldReader(object, property, this.site(node));
      const extra =
        t.base === 'name'
          ? { nameOf: { context: object.evaluate, field: property as NameField } }
          : {};
      return this.typed(node, t, reader, extra);
    }
    if (base === 'name' && property === 'values' && object.nameOf) return this.values(node, object);
    const method = findMethod(property, base);
    if (method === undefined) {
      if (isField(property) || property === 'CHAIN') {
        const what =
          property === 'CHAIN'
            ? 'CHAIN is only available at the top level'
            : `${object.site.text} is ${describe(object.type)}, not a certificate`;
        throw this.error(what, node.propertyStart, nameEnd);
      }
      const elsewhere = METHODS.some((m) => m.name === property);
      const alias = METHOD_ALIASES[property];
      const hint =
        alias !== undefined && findMethod(alias, base)
          ? `; did you mean "${alias}"?`
          : didYouMean(property, methodNames(base));
      const message = elsewhere
        ? `${property} does not apply to ${describe(object.type)}${hint}`
        : `unknown method "${clip(property)}" for ${describe(object.type)}${hint}`;
      throw this.error(message, node.propertyStart, nameEnd);
    }
    const args = (node.args ?? []).map((a) => this.compile(a));
    if (args.length < method.minArgs || args.length > method.maxArgs) {
      const wanted =
        method.minArgs === method.maxArgs
          ? `${method.minArgs}`
          : method.maxArgs >= 16
            ? `at least ${method.minArgs}`
            : `${method.minArgs} or ${method.maxArgs}`;
      throw this.error(
        `${property} takes ${wanted} argument${wanted === '1' ? '' : 's'}, not ${args.length}`,
        node.propertyStart,
        node.end,
      );
    }
    for (const arg of args) {
      if (!method.argBases.includes(arg.type.base)) {
        throw this.error(
          `${property} takes a string, not ${describe(arg.type)}`,
          arg.node.start,
          arg.node.end,
        );
      }
    }
    let evaluate: Evaluator;
    try {
      evaluate = method.build(object, args, object.site);
    } catch (error) {
      if (!(error instanceof MethodArgumentError)) throw error;
      throw this.error(error.message, error.argument.node.start, error.argument.node.end);
    }
    return this.typed(node, method.returns(object.type), evaluate);
  }

  /** `SUBJECT.values("OU")`: every value of one attribute, most specific first. */
  values(node: RuleNode & { kind: 'member' }, object: Typed): Typed {
    const args = node.args ?? [];
    const arg = args[0];
    if (args.length !== 1 || arg === undefined) {
      throw this.error(`values takes 1 argument, not ${args.length}`, node.propertyStart, node.end);
    }
    const oid = this.attribute(arg);
    const { context: owner, field } = object.nameOf!;
    const site = object.site;
    return this.typed(node, type('strings'), (c) =>
      nameAttributes(asObject(owner(c), site), field, oid),
    );
  }

  attribute(key: RuleNode): string {
    const name = key.kind === 'literal' && typeof key.value === 'string' ? key.value : undefined;
    if (name === undefined) {
      throw this.error('an attribute type must be a string such as "OU"', key.start, key.end);
    }
    const oid = attributeOid(name);
    if (oid === undefined) {
      throw this.error(
        `unknown attribute type "${clip(name)}"${didYouMean(name, NAME_ATTRIBUTES)}`,
        key.start,
        key.end,
      );
    }
    return oid;
  }

  /** `SUBJECT["OU"]`: the most specific value of one attribute, or nil. */
  index(node: RuleNode & { kind: 'index' }): Typed {
    const object = this.compile(node.object);
    if (object.type.base !== 'name' || object.nameOf === undefined) {
      throw this.error(
        `${object.site.text} is ${describe(object.type)}; only names can be read with [ ], as in SUBJECT["OU"]`,
        node.start,
        node.end,
      );
    }
    const oid = this.attribute(node.key);
    const { context: owner, field } = object.nameOf;
    const site = object.site;
    return this.typed(
      node,
      type('string', true),
      (c) => nameAttributes(asObject(owner(c), site), field, oid)[0] ?? null,
    );
  }

  binary(node: RuleNode & { kind: 'binary' }): Typed {
    const op = node.operator;
    if (op === '&&' || op === '||') {
      const left = this.condition(node.left);
      const right = this.condition(node.right);
      const l = left.evaluate;
      const r = right.evaluate;
      const evaluate: Evaluator =
        op === '&&' ? (c) => l(c) === true && r(c) === true : (c) => l(c) === true || r(c) === true;
      return this.typed(node, type('boolean'), evaluate, {
        role: op === '&&' ? 'and' : 'or',
        operands: [left, right],
      });
    }
    const left = this.compile(node.left);
    const right = this.compile(node.right);
    try {
      const evaluate =
        op === '==' || op === '!='
          ? compileEquality(op, left, right)
          : compileOrdering(op, left, right);
      return this.typed(node, type('boolean'), evaluate);
    } catch (error) {
      if (!(error instanceof OperandError)) throw error;
      const { start, end } = error.operand.node;
      if (error.offset !== undefined)
        throw this.error(error.message, start + error.offset, start + error.offset + 1);
      throw this.error(error.message, start, end);
    }
  }
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
