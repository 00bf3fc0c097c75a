/**
 * The command dispatcher: picks the command, runs it, and turns every failure into one line on
 * standard error with exit code 2. A stack trace is shown only with MTLS_GATE_DEBUG=1.
 */

import packageJson from '../../package.json' with { type: 'json' };
import { CliError, EXIT } from './errors.js';
import { MAIN_HELP } from './help.js';
import { inspectCommand } from './inspect-command.js';
import type { CliIO } from './io.js';
import { ruleCommand } from './rule-command.js';
import { printable } from './style.js';
import { verifyCommand } from './verify-command.js';

type Command = (io: CliIO, args: readonly string[]) => number | Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  verify: verifyCommand,
  inspect: inspectCommand,
  rule: ruleCommand,
};

/** Runs the CLI with `argv` (without node and the script); resolves to the exit code. */
export async function run(io: CliIO, argv: readonly string[], debug = false): Promise<number> {
  const [name, ...args] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      // Bare `mtls-gate` is a usage error: the help goes where errors go.
      (name === undefined ? io.err : io.out)(MAIN_HELP);
      return name === undefined ? EXIT.usage : EXIT.accepted;
    }
    if (name === '--version' || name === '-v') {
      io.out(`${packageJson.version}\n`);
      return EXIT.accepted;
    }
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!command) {
      throw new CliError(
        `unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')}; see mtls-gate --help)`,
      );
    }
    return await command(io, args);
  } catch (error) {
    return report(io, error, debug);
  }
}

function report(io: CliIO, error: unknown, debug: boolean): number {
  const s = io.style;
  if (error instanceof CliError) {
    io.err(`${s.red('mtls-gate:')} ${printable(error.message)}\n`);
    for (const line of error.detail) io.err(`  ${printable(line)}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    io.err(`${s.red('mtls-gate:')} unexpected error: ${printable(message.split('\n')[0] ?? '')}\n`);
  }
  if (debug && error instanceof Error && error.stack) io.err(`${error.stack}\n`);
  return EXIT.usage;
}
