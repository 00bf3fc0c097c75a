/** The error `compileRule` throws for anything outside the rule language. */

/** Most characters of the source line `format()` shows. */
const WINDOW = 100;

/**
 * A rule that is not in the language: a syntax error, an unknown name or method, a wrong
 * argument count, a method on the wrong type, a literal that cannot be what it is compared
 * with, or a limit exceeded. `position` and `length` locate the offending text in `source`;
 * `format()` renders the source with a caret line under it, for command lines and logs.
 */
export class RuleSyntaxError extends Error {
  override readonly name: string = 'RuleSyntaxError';
  /** The whole rule source as given. */
  readonly source: string;
  /** 0-based index in `source` (UTF-16 code units) where the offending text starts. */
  readonly position: number;
  /** Length of the offending text, at least 1 except at the end of the source. */
  readonly length: number;
  /** The offending text itself (`source.slice(position, position + length)`). */
  readonly text: string;
  /** The message without the position suffix. */
  readonly description: string;

  constructor(description: string, source: string, position: number, length = 1) {
    const at = Math.max(0, Math.min(position, source.length));
    const len = Math.max(0, Math.min(length, source.length - at));
    super(`${description} (at position ${at})`);
    this.source = source;
    this.position = at;
    this.length = len;
    this.text = source.slice(at, at + len);
    this.description = description;
  }

  /**
   * The message, the source line holding the error and a caret line under the offending
   * text:
   *
   *     unknown name "CM"; did you mean "CN"? (at position 0)
   *       CM == "x"
   *       ^^
   */
  format(): string {
    const lineStart = this.source.lastIndexOf('\n', this.position - 1) + 1;
    const nextBreak = this.source.indexOf('\n', this.position);
    const lineEnd = nextBreak === -1 ? this.source.length : nextBreak;
    // A long line is shown as a window around the error, marked with ellipses.
    const from = Math.max(lineStart, Math.min(this.position - 30, lineEnd - WINDOW));
    const to = Math.min(lineEnd, from + WINDOW);
    const before = from > lineStart ? '…' : '';
    const after = to < lineEnd ? '…' : '';
    const line = before + this.source.slice(from, to) + after;
    const column = before.length + this.position - from;
    const width = Math.max(1, Math.min(this.length, to - this.position));
    // Tabs stay tabs under the caret so that the caret lines up in a terminal.
    const pad = line.slice(0, column).replace(/[^\t]/g, ' ');
    return `${this.message}\n  ${line}\n  ${pad}${'^'.repeat(width)}`;
  }
}
