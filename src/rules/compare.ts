/**
 * `==`, `!=`, `<`, `<=`, `>`, `>=`. Names compare as names (`normalizeDN` on both sides, a
 * literal normalized once at compile time); times as instants, a string literal on the other
 * side read as ISO 8601; everything else by value. Comparisons that can never be true
 * (a list with a string, a number with a string) are compile-time errors, since they are
 * always typos.
 */

import { DNSyntaxError, normalizeDN, parseDN } from '../dn.js';
import { isSharedName } from '../name-der.js';
import type { RDN } from '../rdn.js';
import { nameRDNs, normalizedName, normalizeOrUndefined } from './context.js';
import { asNumber, asObject, asString } from './failure.js';
import type { Evaluator, Typed } from './typed.js';
import { describe, isList } from './types.js';

/** A compile-time rejection of one operand, turned into a RuleSyntaxError by the caller. */
export class OperandError extends Error {
  readonly operand: Typed;
  /** Offset of the problem inside the operand's text, when known. */
  readonly offset: number | undefined;
  constructor(message: string, operand: Typed, offset?: number) {
    super(message);
    this.operand = operand;
    this.offset = offset;
  }
}

const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** Milliseconds of an ISO 8601 literal; a date-time must carry its offset (no local time). */
function instantOf(operand: Typed): number {
  const text = operand.constant?.value;
  const ms = typeof text === 'string' && ISO_8601.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new OperandError(
      'not an ISO 8601 time: write "2027-01-01" or "2027-01-01T00:00:00Z"',
      operand,
    );
  }
  return ms;
}

/** The normalized name an operand of type name evaluates to (undefined: not a name). */
function nameReader(operand: Typed): (context: object) => string | undefined {
  const source = operand.nameOf;
  if (source !== undefined) {
    const { context: read, field } = source;
    return (context) => normalizedName(asObject(read(context), operand.site), field);
  }
  const read = operand.evaluate;
  return (context) => {
    const value = read(context);
    return value == null ? undefined : normalizeOrUndefined(asString(value, operand.site));
  };
}

/**
 * Decides name equality without normalizing, when the structure settles it: a different
 * number of RDNs, of attributes in an RDN, or a different attribute type can never normalize
 * equal (the normalized form prints every one of them); the same types with identical values
 * always do. `undefined` when only normalization can tell (values that differ in spelling).
 */
function quickNameEquals(a: readonly RDN[], b: readonly RDN[]): boolean | undefined {
  if (a.length !== b.length) return false;
  let identical = true;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.length !== y.length) return false;
    if (x.length > 1) {
      // A multi-valued RDN is a set: leave any order question to normalization.
      identical = false;
      continue;
    }
    const p = x[0]!;
    const q = y[0]!;
    if (p.type !== q.type) return false;
    if (p.ber !== undefined || q.ber !== undefined || p.value !== q.value) identical = false;
  }
  return identical ? true : undefined;
}

const HEX_FIELDS: Readonly<Record<string, RegExp>> = {
  FINGERPRINT: /^[0-9a-f]{64}$/,
  SERIAL: /^(?:[0-9a-f]{2})+$/,
};

/**
 * FINGERPRINT and SERIAL are lower-case hex without separators; a literal written another way
 * (`AB:CD:…`, as OpenSSL prints them) could never be equal, so say how to write it.
 */
function checkHexLiteral(field: Typed, literal: Typed): void {
  const node = field.node;
  const name = node.kind === 'name' ? node.name : node.kind === 'member' ? node.property : '';
  const pattern = HEX_FIELDS[name];
  const value = literal.constant?.value;
  if (pattern === undefined || typeof value !== 'string' || pattern.test(value)) return;
  const hint = value.replace(/[\s:]/g, '').toLowerCase();
  const suggestion = pattern.test(hint) ? `; write "${hint}"` : '';
  throw new OperandError(
    `${name} is lower-case hex without separators${name === 'FINGERPRINT' ? ' (SHA-256, 64 digits)' : ''}${suggestion}`,
    literal,
  );
}

function equality(left: Typed, right: Typed): Evaluator {
  const l = left.type.base;
  const r = right.type.base;
  const readL = left.evaluate;
  const readR = right.evaluate;
  if (l === 'nil' || r === 'nil') {
    const other = l === 'nil' ? readR : readL;
    return (context) => other(context) == null;
  }
  for (const side of [left, right]) {
    if (isList(side.type.base) || side.type.base === 'certificate') {
      const hint = side.type.base === 'certificate' ? '' : '; to test membership use include?(…)';
      throw new OperandError(`${describe(side.type)} cannot be compared with ==${hint}`, side);
    }
  }
  if (l === 'name' || r === 'name') {
    const [name, other] = l === 'name' ? [left, right] : [right, left];
    const readName = nameReader(name);
    if (other.type.base === 'name') {
      const readOther = nameReader(other);
      return (context) => {
        const a = readName(context);
        return a !== undefined && a === readOther(context);
      };
    }
    if (other.type.base !== 'string') {
      throw new OperandError(`a name cannot be compared with ${describe(other.type)}`, other);
    }
    const literal = other.constant?.value;
    if (typeof literal === 'string') {
      let expected: string;
      try {
        expected = normalizeDN(literal);
      } catch (error) {
        if (!(error instanceof DNSyntaxError)) throw error;
        // Point into the literal when its text is written without escapes.
        const inner = other.site.text.slice(1, -1);
        const offset = inner === literal ? 1 + error.position : undefined;
        const reason = error.message.replace(/ \(at \d+\)$/, '');
        throw new OperandError(`not a distinguished name: ${reason}`, other, offset);
      }
      const expectedRdns = parseDN(literal);
      const source = name.nameOf;
      if (source === undefined) return (context) => readName(context) === expected;
      const { context: owner, field } = source;
      // The answer for the last shared name seen: an issuer's RDNs are decoded once per CA and
      // shared, immutable, by every leaf it issued (name-der.ts), so `ISSUER == "…"` on a new
      // leaf from a known CA is an identity check. Only shared names are kept (a one-off
      // subject would just replace the entry).
      let lastShared: readonly RDN[] | undefined;
      let lastEqual = false;
      return (context) => {
        const rdns = nameRDNs(asObject(owner(context), name.site), field);
        if (rdns === undefined) return readName(context) === expected;
        if (rdns === lastShared) return lastEqual;
        const equal = quickNameEquals(rdns, expectedRdns) ?? readName(context) === expected;
        if (isSharedName(rdns)) {
          lastShared = rdns;
          lastEqual = equal;
        }
        return equal;
      };
    }
    const readOther = nameReader(other);
    return (context) => {
      const a = readName(context);
      return a !== undefined && a === readOther(context);
    };
  }
  if (l === 'time' || r === 'time') {
    const [time, other] = l === 'time' ? [left, right] : [right, left];
    if (other.type.base === 'string' && other.constant !== undefined) {
      const ms = instantOf(other);
      const read = time.evaluate;
      return (context) => read(context) === ms;
    }
  }
  checkHexLiteral(left, right);
  checkHexLiteral(right, left);
  if (l !== r) {
    throw new OperandError(
      `${describe(left.type)} cannot be compared with ${describe(right.type)}`,
      right,
    );
  }
  if (right.constant !== undefined) {
    const value = right.constant.value;
    return (context) => readL(context) === value;
  }
  return (context) => readL(context) === readR(context);
}

/** The evaluator of `left op right` for `==` and `!=`. */
export function compileEquality(operator: '==' | '!=', left: Typed, right: Typed): Evaluator {
  const equal = equality(left, right);
  return operator === '==' ? equal : (context) => !equal(context);
}

function orderedOperand(operand: Typed, other: Typed): (context: object) => number {
  const base = operand.type.base;
  if (base === 'number' || base === 'time') {
    const read = operand.evaluate;
    const site = operand.site;
    return (context) => asNumber(read(context), site);
  }
  if (base === 'string' && other.type.base === 'time' && operand.constant !== undefined) {
    const ms = instantOf(operand);
    return () => ms;
  }
  throw new OperandError(
    `${describe(operand.type)} cannot be ordered; < and > compare numbers and times`,
    operand,
  );
}

/** The evaluator of `left op right` for `<`, `<=`, `>`, `>=`. */
export function compileOrdering(
  operator: '<' | '<=' | '>' | '>=',
  left: Typed,
  right: Typed,
): Evaluator {
  const a = orderedOperand(left, right);
  const b = orderedOperand(right, left);
  const kinds = new Set([left.type.base, right.type.base]);
  if (kinds.has('number') && kinds.size > 1) {
    throw new OperandError(
      `${describe(left.type)} cannot be ordered against ${describe(right.type)}`,
      right,
    );
  }
  switch (operator) {
    case '<':
      return (context) => a(context) < b(context);
    case '<=':
      return (context) => a(context) <= b(context);
    case '>':
      return (context) => a(context) > b(context);
    case '>=':
      return (context) => a(context) >= b(context);
  }
}
