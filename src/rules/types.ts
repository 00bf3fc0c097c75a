/** The static types of the rule language: every expression's type is known at compile time. */

/** The kinds of value a rule handles. */
export type Base =
  | 'boolean'
  | 'number'
  | 'string'
  /** A distinguished name: an RFC 4514 string that compares as a name. */
  | 'name'
  /** An instant; milliseconds since the epoch at run time. */
  | 'time'
  | 'nil'
  /** A list of strings. */
  | 'strings'
  /** The SAN list: strings whose `include?` canonicalizes its argument. */
  | 'sans'
  /** The CHAIN list of certificates. */
  | 'chain'
  /** One certificate's fields. */
  | 'certificate';

/** A type: a base and whether the value may be `nil`. */
export interface RuleType {
  readonly base: Base;
  readonly nullable: boolean;
}

/** A type by its base, optionally nullable. */
export function type(base: Base, nullable = false): RuleType {
  return { base, nullable: nullable || base === 'nil' };
}

const NOUNS: Readonly<Record<Base, string>> = {
  boolean: 'a boolean',
  number: 'a number',
  string: 'a string',
  name: 'a name',
  time: 'a time',
  nil: 'nil',
  strings: 'a list of strings',
  sans: 'a list of strings',
  chain: 'a list of certificates',
  certificate: 'a certificate',
};

/** "a string", "a string or nil", "a list of strings" … for messages. */
export function describe(t: RuleType): string {
  return t.nullable && t.base !== 'nil' ? `${NOUNS[t.base]} or nil` : NOUNS[t.base];
}

/** Bases that string methods accept: names work on their RFC 4514 form. */
export function isTextual(base: Base): boolean {
  return base === 'string' || base === 'name';
}

/** Bases that are lists. */
export function isList(base: Base): boolean {
  return base === 'strings' || base === 'sans' || base === 'chain';
}
