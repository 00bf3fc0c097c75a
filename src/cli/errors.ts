/**
 * The CLI's own failure: a usage or input problem the user can fix, printed as one line and
 * answered with exit code 2. Anything else that escapes a command is a bug and is reported the
 * same way, so no stack trace reaches the terminal.
 */

/** Exit codes: what scripts calling `mtls-gate` branch on. */
export const EXIT = Object.freeze({
  /** The certificate was accepted (or the command succeeded). */
  accepted: 0,
  /** The certificate was rejected (or `inspect --strict` found problems). */
  rejected: 1,
  /** Bad usage or unreadable input. */
  usage: 2,
});

/** A problem with the command line or its input files; its message is shown as is. */
export class CliError extends Error {
  override readonly name = 'CliError';
  /** Extra lines shown under the message, such as a rule with a caret under the position. */
  readonly detail: readonly string[];

  constructor(message: string, detail: readonly string[] = []) {
    super(message);
    this.detail = detail;
  }
}
