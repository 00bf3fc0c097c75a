/**
 * The methods a rule may call, per receiver type, with Ruby's meaning. The table is the
 * allow-list: a method not here does not exist. Each entry builds its evaluator once, at
 * compile time, with literal arguments prepared then (globs compiled, SAN entries
 * canonicalized), so that evaluation is a few property reads and one string operation.
 */

import { canonicalizeSAN, SANSyntaxError, sanPrefixKind } from '../san.js';
import { asList, asString, asStrings, type Site } from './failure.js';
import { compileGlob, type Glob } from './glob.js';
import type { Evaluator, Typed } from './typed.js';
import { type Base, type RuleType, type } from './types.js';
import { codePoints, isBlank, strip, toText } from './values.js';

/** Raised by a method's builder for an argument it can reject at compile time. */
export class MethodArgumentError extends Error {
  readonly argument: Typed;
  constructor(message: string, argument: Typed) {
    super(message);
    this.argument = argument;
  }
}

/** One method of the language. */
export interface MethodSpec {
  readonly name: string;
  readonly receivers: readonly Base[];
  readonly minArgs: number;
  readonly maxArgs: number;
  /** Works on `nil` too (`nil?`, `present?`, `blank?`, `to_s`). */
  readonly nilSafe: boolean;
  /** Argument bases accepted (every argument); names pass as their RFC 4514 text. */
  readonly argBases: readonly Base[];
  readonly returns: (receiver: RuleType) => RuleType;
  /** Builds the evaluator; `site` is the receiver's, for nil and type failures. */
  readonly build: (receiver: Typed, args: readonly Typed[], site: Site) => Evaluator;
}

const TEXT: readonly Base[] = ['string', 'name'];
const STRING_LISTS: readonly Base[] = ['strings', 'sans'];
const LISTS: readonly Base[] = ['strings', 'sans', 'chain'];
const ALL: readonly Base[] = [
  'boolean',
  'number',
  'string',
  'name',
  'time',
  'nil',
  'strings',
  'sans',
  'chain',
  'certificate',
];
const STRING_ARGS: readonly Base[] = ['string', 'name'];

const BOOLEAN = type('boolean');
const NUMBER = type('number');
const STRING = type('string');

/** Evaluators of the arguments as strings: constants once, the rest per call. */
function stringArgs<P>(
  args: readonly Typed[],
  prepare: (text: string, arg: Typed | undefined) => P,
): (context: object) => P[] {
  if (args.every((a) => a.constant !== undefined && typeof a.constant.value === 'string')) {
    const prepared = args.map((a) => prepare(a.constant!.value as string, a));
    return () => prepared;
  }
  return (context) => args.map((a) => prepare(asString(a.evaluate(context), a.site), undefined));
}

/** A method on text taking string arguments (prepared once when they are all literals). */
function textMethod<P>(
  prepare: (text: string, arg: Typed | undefined) => P,
  apply: (receiver: string, args: readonly P[]) => unknown,
): MethodSpec['build'] {
  return (receiver, args, site) => {
    const read = receiver.evaluate;
    const values = stringArgs(args, prepare);
    return (context) => apply(asString(read(context), site), values(context));
  };
}

const same = (text: string): string => text;
const glob = (text: string): Glob => compileGlob(text);

/** Canonical spelling of a SAN argument; unchanged if it has no known `type:` prefix. */
function sanArgument(text: string, arg: Typed | undefined): string {
  try {
    return canonicalizeSAN(text);
  } catch (error) {
    if (!(error instanceof SANSyntaxError)) throw error;
    const colon = text.indexOf(':');
    // A known prefix with a value its type cannot hold is a typo worth stopping at compile time.
    if (arg !== undefined && colon !== -1 && sanPrefixKind(text.slice(0, colon).trim())) {
      throw new MethodArgumentError(error.message, arg);
    }
    return text;
  }
}

function listPredicate(kind: 'any' | 'all' | 'none'): MethodSpec['build'] {
  return (receiver, args, site) => {
    const read = receiver.evaluate;
    if (args.length === 0) {
      return (context) => {
        const n = asStrings(read(context), site).length;
        return kind === 'any' ? n > 0 : kind === 'all' ? true : n === 0;
      };
    }
    const patterns = stringArgs(args, glob);
    return (context) => {
      const list = asStrings(read(context), site);
      const pattern = patterns(context)[0]!;
      // A loop, not some/every with a closure: this runs on every request of a rule like
      // SAN.any?("DNS:*.example"). `all` holds unless a value fails, the others stop at a match.
      for (let i = 0; i < list.length; i++) {
        if (pattern.test(list[i]!) !== (kind === 'all')) return kind === 'any';
      }
      return kind !== 'any';
    };
  };
}

function spec(
  name: string,
  receivers: readonly Base[],
  args: readonly [number, number],
  returns: RuleType | ((receiver: RuleType) => RuleType),
  build: MethodSpec['build'],
  nilSafe = false,
): MethodSpec {
  return {
    name,
    receivers,
    minArgs: args[0],
    maxArgs: args[1],
    nilSafe,
    argBases: STRING_ARGS,
    returns: typeof returns === 'function' ? returns : () => returns,
    build,
  };
}

const simple =
  (apply: (value: unknown, site: Site) => unknown): MethodSpec['build'] =>
  (receiver, _args, site) => {
    const read = receiver.evaluate;
    return (context) => apply(read(context), site);
  };

/** Every method, by name; several entries share a name for different receivers. */
export const METHODS: readonly MethodSpec[] = [
  // Text (strings, and names as their RFC 4514 form).
  spec(
    'include?',
    TEXT,
    [1, 1],
    BOOLEAN,
    textMethod(same, (s, [a]) => s.includes(a!)),
  ),
  spec(
    'start_with?',
    TEXT,
    [1, 16],
    BOOLEAN,
    textMethod(same, (s, a) => a.some((p) => s.startsWith(p))),
  ),
  spec(
    'end_with?',
    TEXT,
    [1, 16],
    BOOLEAN,
    textMethod(same, (s, a) => a.some((p) => s.endsWith(p))),
  ),
  spec(
    'match?',
    TEXT,
    [1, 1],
    BOOLEAN,
    textMethod(glob, (s, [g]) => g!.test(s)),
  ),
  spec(
    'downcase',
    TEXT,
    [0, 0],
    STRING,
    simple((v, site) => asString(v, site).toLowerCase()),
  ),
  spec(
    'upcase',
    TEXT,
    [0, 0],
    STRING,
    simple((v, site) => asString(v, site).toUpperCase()),
  ),
  spec(
    'strip',
    TEXT,
    [0, 0],
    STRING,
    simple((v, site) => strip(asString(v, site))),
  ),
  spec(
    'length',
    TEXT,
    [0, 0],
    NUMBER,
    simple((v, site) => codePoints(asString(v, site))),
  ),
  spec(
    'empty?',
    TEXT,
    [0, 0],
    BOOLEAN,
    simple((v, site) => asString(v, site).length === 0),
  ),
  // Lists.
  spec('include?', ['strings'], [1, 1], BOOLEAN, (receiver, args, site) => {
    const read = receiver.evaluate;
    const values = stringArgs(args, same);
    return (context) => asStrings(read(context), site).includes(values(context)[0]!);
  }),
  spec('include?', ['sans'], [1, 1], BOOLEAN, (receiver, args, site) => {
    const read = receiver.evaluate;
    const values = stringArgs(args, sanArgument);
    return (context) => asStrings(read(context), site).includes(values(context)[0]!);
  }),
  spec('any?', STRING_LISTS, [0, 1], BOOLEAN, listPredicate('any')),
  spec('all?', STRING_LISTS, [0, 1], BOOLEAN, listPredicate('all')),
  spec('none?', STRING_LISTS, [0, 1], BOOLEAN, listPredicate('none')),
  spec(
    'length',
    LISTS,
    [0, 0],
    NUMBER,
    simple((v, site) => asList(v, site).length),
  ),
  spec(
    'empty?',
    LISTS,
    [0, 0],
    BOOLEAN,
    simple((v, site) => asList(v, site).length === 0),
  ),
  spec(
    'first',
    LISTS,
    [0, 0],
    (r) => type(r.base === 'chain' ? 'certificate' : 'string', true),
    simple((v, site) => asList(v, site)[0] ?? null),
  ),
  spec(
    'last',
    LISTS,
    [0, 0],
    (r) => type(r.base === 'chain' ? 'certificate' : 'string', true),
    simple((v, site) => asList(v, site).at(-1) ?? null),
  ),
  spec('join', STRING_LISTS, [0, 1], STRING, (receiver, args, site) => {
    const read = receiver.evaluate;
    const separators = stringArgs(args, same);
    return (context) => asStrings(read(context), site).join(separators(context)[0] ?? '');
  }),
  // Any value, nil included.
  spec(
    'nil?',
    ALL,
    [0, 0],
    BOOLEAN,
    simple((v) => v == null),
    true,
  ),
  spec('blank?', ALL, [0, 0], BOOLEAN, simple(isBlank), true),
  spec(
    'present?',
    ALL,
    [0, 0],
    BOOLEAN,
    simple((v) => !isBlank(v)),
    true,
  ),
  spec(
    'to_s',
    ['boolean', 'number', 'string', 'name', 'time', 'nil'],
    [0, 0],
    STRING,
    (receiver, _args, site) => {
      const read = receiver.evaluate;
      const base = receiver.type.base;
      return (context) => toText(read(context), base, site);
    },
    true,
  ),
];

/** Common spellings from other languages, for "did you mean". */
export const METHOD_ALIASES: Readonly<Record<string, string>> = {
  includes: 'include?',
  contains: 'include?',
  'contains?': 'include?',
  startsWith: 'start_with?',
  endsWith: 'end_with?',
  toLowerCase: 'downcase',
  toUpperCase: 'upcase',
  trim: 'strip',
  size: 'length',
  count: 'length',
  some: 'any?',
  every: 'all?',
  matches: 'match?',
  'matches?': 'match?',
  'is_empty?': 'empty?',
  toString: 'to_s',
};

/** The method `name` on a receiver of `base`, if any. */
export function findMethod(name: string, base: Base): MethodSpec | undefined {
  for (const m of METHODS) if (m.name === name && m.receivers.includes(base)) return m;
  return undefined;
}

/** The names of every method available on `base`. */
export function methodNames(base: Base): string[] {
  return [...new Set(METHODS.filter((m) => m.receivers.includes(base)).map((m) => m.name))];
}
