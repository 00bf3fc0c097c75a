/**
 * Run-time failures. A formula that type-checked can still meet `nil` (`CN.start_with?` on a
 * certificate without a CN) or a hand-made context holding the wrong kind of value. Those
 * throw a RuleFailure inside the evaluator, which `evaluate` turns into a failed rule: it
 * never reaches the host.
 */

/** A run-time failure at a place in the rule. */
export class RuleFailure extends Error {
  override readonly name: string = 'RuleFailure';
  /** Span of the expression that failed. */
  readonly start: number;
  readonly end: number;

  constructor(message: string, start: number, end: number) {
    super(message);
    this.start = start;
    this.end = end;
  }
}

/** Where an expression sits in the rule, and its text, for run-time messages. */
export interface Site {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Throws the failure of `site`. */
export function fail(site: Site, message: string): never {
  throw new RuleFailure(message, site.start, site.end);
}

/** `value` as a string; fails on nil or anything else. */
export function asString(value: unknown, site: Site): string {
  if (typeof value === 'string') return value;
  return fail(site, value == null ? `${site.text} is nil` : `${site.text} is not a string`);
}

/** `value` as a list; fails on nil or anything else. */
export function asList(value: unknown, site: Site): readonly unknown[] {
  if (Array.isArray(value)) return value;
  return fail(site, value == null ? `${site.text} is nil` : `${site.text} is not a list`);
}

/** `value` as a list of strings (checked, so no host object's toString ever runs). */
export function asStrings(value: unknown, site: Site): readonly string[] {
  const list = asList(value, site);
  for (let i = 0; i < list.length; i++) {
    if (typeof list[i] !== 'string') fail(site, `${site.text} holds a value that is not a string`);
  }
  return list as readonly string[];
}

/** `value` as a finite number; fails on nil or anything else. */
export function asNumber(value: unknown, site: Site): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return fail(site, value == null ? `${site.text} is nil` : `${site.text} is not a number`);
}

/** `value` as a certificate's fields (an object); fails on nil or anything else. */
export function asObject(value: unknown, site: Site): object {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
  return fail(site, value == null ? `${site.text} is nil` : `${site.text} is not a certificate`);
}

/** The message of any error, for the explanation of a failed rule. Never throws. */
export function messageOf(error: unknown): string {
  if (isRuleFailure(error)) return error.message;
  try {
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      return 'evaluation ran out of stack';
    }
  } catch {
    // A thrown value that cannot even be asked what it is (a revoked Proxy).
  }
  return 'evaluation failed';
}

/**
 * `error instanceof RuleFailure`, false for anything that throws when asked: a hand-made
 * context may throw any value, a revoked Proxy included.
 */
export function isRuleFailure(error: unknown): error is RuleFailure {
  try {
    return error instanceof RuleFailure;
  } catch {
    return false;
  }
}
