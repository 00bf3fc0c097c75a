/** Ruby's and Rails' value semantics that several methods share. */

import { asNumber, asString, type Site } from './failure.js';
import type { Base } from './types.js';

/** Ruby's String#strip: ASCII whitespace and NUL, by hand (a regex would be quadratic). */
export function strip(text: string): string {
  const space = (c: number): boolean => c === 32 || (c >= 9 && c <= 13) || c === 0;
  let start = 0;
  let end = text.length;
  while (start < end && space(text.charCodeAt(start))) start++;
  while (end > start && space(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

/** Ruby's String#length: code points, not UTF-16 units. */
export function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** Rails' `blank?`: nil, false, whitespace-only text, an empty list. */
export function isBlank(value: unknown): boolean {
  if (value == null || value === false) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

/** Ruby-ish `to_s`: nil is "", times are ISO 8601, names their RFC 4514 text. */
export function toText(value: unknown, receiverBase: Base, site: Site): string {
  if (value == null) return '';
  if (receiverBase === 'time') return new Date(asNumber(value, site)).toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return asString(value, site);
}
