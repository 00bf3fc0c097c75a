/**
 * Runs the built `mtls-gate` binary as users do, with a clean colour environment. Set
 * MTLS_GATE_CLI to test another build of it.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The binary under test. */
export const CLI = process.env.MTLS_GATE_CLI ?? resolve('dist/cli/main.js');

const BUILD_OUTPUTS = [CLI, resolve('dist/index.js'), resolve('dist/adapters/node.js')];

const isBuilt = () => BUILD_OUTPUTS.every((path) => existsSync(path));

/**
 * Builds the package once when there is no build to test (`npm test` builds before testing).
 * Test files run in parallel processes, so the build is guarded by a lock directory: the
 * first to create it builds, the others wait for it to go (two tsup runs would each clean
 * dist/ under the other).
 */
export function ensureBuilt(): void {
  if (isBuilt()) return;
  const lock = join(
    tmpdir(),
    `mtls-gate-build-${Buffer.from(process.cwd()).toString('hex').slice(-32)}.lock`,
  );
  const deadline = Date.now() + 180_000;
  while (!tryLock(lock)) {
    if (Date.now() > deadline) break; // a stale lock from a killed run: build anyway
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
  }
  try {
    if (!isBuilt()) execFileSync('npx', ['tsup'], { stdio: 'ignore' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function tryLock(path: string): boolean {
  try {
    mkdirSync(path);
    return true;
  } catch {
    return false;
  }
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

const folders: string[] = [];

/** Removes the folders `writeFiles` made (call in afterAll). */
export function removeFiles(): void {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A temporary folder with the given files written into it; returns path → full path. */
export function writeFiles(files: Record<string, string | Uint8Array>): (name: string) => string {
  const dir = mkdtempSync(join(tmpdir(), 'mtls-gate-cli-'));
  folders.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return (name) => join(dir, name);
}
