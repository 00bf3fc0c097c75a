/** Command-line parsing on node:util parseArgs, with its errors turned into one-line CliErrors. */

import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CliError } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The parsed flags and positionals of one command. */
export interface Parsed {
  readonly values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  readonly positionals: string[];
}

/** Parses `args` strictly: an unknown flag or a missing value is a usage error. */
export function parse(command: string, args: readonly string[], options: Options): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values, positionals };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // parseArgs appends advice about `--` to unknown options; the first sentence is the news.
    const first = message.split('. ')[0] ?? message;
    throw new CliError(`${command}: ${first.replace(/\.$/, '')} (see mtls-gate ${command} --help)`);
  }
}

/** A string flag's value, if given. */
export function stringFlag(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A repeatable string flag's values. */
export function stringList(parsed: Parsed, name: string): string[] {
  const value = parsed.values[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** A boolean flag. */
export function flag(parsed: Parsed, name: string): boolean {
  return parsed.values[name] === true;
}

/** `--at`: an ISO-8601 time (a date alone means midnight UTC), or now when absent. */
export function parseAt(command: string, value: string | undefined, now: Date): Date {
  if (value === undefined) return now;
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new CliError(
      `${command}: --at expects an ISO-8601 time such as 2026-06-01T12:00:00Z, got "${value}"`,
    );
  }
  return date;
}

/** A whole number flag within bounds. */
export function parseCount(
  command: string,
  name: string,
  value: string | undefined,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value))
    throw new CliError(`${command}: --${name} expects a whole number, got "${value}"`);
  return Number(value);
}
