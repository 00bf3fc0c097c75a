/**
 * Runs the built `mtls-gate` binary as users do, with a clean colour environment. Set
 * MTLS_GATE_CLI to test another build of it.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The binary under test. */
export const CLI = process.env.MTLS_GATE_CLI ?? resolve('dist/cli/main.js');

/** Builds the package once when there is no build to test (CI builds before testing). */
export function ensureBuilt(): void {
  if (!existsSync(CLI)) execFileSync('npx', ['tsup'], { stdio: 'ignore' });
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI; `env` is added to an environment without NO_COLOR or FORCE_COLOR. */
export function runCli(
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string | Uint8Array } = {},
): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  for (const name of ['NO_COLOR', 'FORCE_COLOR']) {
    if (!options.env || !(name in options.env)) delete env[name];
  }
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { env, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
    child.stdin?.end(options.input);
  });
}

/** A temporary folder with the given files written into it; returns path → full path. */
export function writeFiles(files: Record<string, string | Uint8Array>): (name: string) => string {
  const dir = mkdtempSync(join(tmpdir(), 'mtls-gate-cli-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return (name) => join(dir, name);
}
