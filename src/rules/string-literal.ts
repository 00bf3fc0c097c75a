/**
 * String literals with Ruby's rules, so that formulas copied from a Ruby-flavoured platform
 * mean the same here:
 *
 * - single quotes keep every backslash except in `\\` and `\'`, so a DN with an escaped comma
 *   reads as written: `'CN=Doe\, John,O=Org'`;
 * - double quotes understand `\n \r \t \b \f \v \0 \e \s \\ \"`, `\uXXXX` and `\u{X…}`;
 *   a backslash before any other character stands for that character (`"\,"` is `,`).
 */

/** A string literal read from the source: its value and the index after its closing quote. */
export interface ReadString {
  readonly value: string;
  readonly end: number;
}

/** A literal that cannot be read, with the index of the problem. */
export class StringLiteralError extends Error {
  readonly index: number;
  constructor(message: string, index: number) {
    super(message);
    this.index = index;
  }
}

const SIMPLE: Readonly<Record<string, string>> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
  e: '\x1b',
  s: ' ',
};

function codePoint(at: number, hex: string): string {
  const value = /^[0-9a-fA-F]{1,6}$/.test(hex) ? Number.parseInt(hex, 16) : Number.NaN;
  if (!(value <= 0x10ffff)) throw new StringLiteralError('Invalid \\u escape', at);
  return String.fromCodePoint(value);
}

/** Reads the literal whose opening quote is at `start`. */
export function readStringLiteral(source: string, start: number): ReadString {
  const quote = source[start];
  let value = '';
  let i = start + 1;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === quote) return { value, end: i + 1 };
    if (ch !== '\\' || i + 1 >= source.length) {
      value += ch;
      i++;
      continue;
    }
    const next = source[i + 1]!;
    if (quote === "'") {
      value += next === '\\' || next === "'" ? next : `\\${next}`;
      i += 2;
      continue;
    }
    if (next === 'u') {
      if (source[i + 2] === '{') {
        const close = source.indexOf('}', i + 3);
        if (close === -1) throw new StringLiteralError('Invalid \\u escape', i);
        value += codePoint(i, source.slice(i + 3, close));
        i = close + 1;
      } else {
        const hex = source.slice(i + 2, i + 6);
        value += codePoint(i, hex.length === 4 ? hex : '');
        i += 6;
      }
      continue;
    }
    value += SIMPLE[next] ?? next;
    i += 2;
  }
  throw new StringLiteralError(`Unclosed quote after "${value.slice(0, 40)}"`, source.length);
}
