/**
 * The package as users install it: pack the tarball, unpack it as node_modules/mtls-gate of a
 * scratch project, and load every subpath from ESM, CommonJS and TypeScript — once with the
 * host frameworks blocked, since none of them is a hard dependency.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..', '..');

/** What API.md promises each entry point exports (more is fine). */
const EXPECTED: Record<string, string[]> = {
  'mtls-gate': [
    'parseCertificates',
    'Certificate',
    'TrustStore',
    'buildChain',
    'parseDN',
    'formatDN',
    'normalizeDN',
    'dnEquals',
    'canonicalizeSAN',
    'compileRule',
    'ruleContext',
    'RuleSyntaxError',
    'createVerifier',
    'MtlsError',
    'MtlsErrorCode',
  ],
  'mtls-gate/express': ['mtlsGate'],
  'mtls-gate/koa': ['mtlsGate'],
  'mtls-gate/fastify': ['mtlsGatePlugin'],
  'mtls-gate/nest': ['MtlsGuard'],
  'mtls-gate/node': ['peerCertificates', 'tlsServerOptions', 'clientAgent'],
};

const BLOCKED = ['express', 'koa', 'fastify', '@nestjs/common', '@nestjs/core', 'undici'];

let project: string;

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: project, encoding: 'utf8' });
}

beforeAll(() => {
  if (!existsSync(join(repo, 'dist', 'index.js'))) {
    execFileSync('npx', ['tsup'], { cwd: repo, stdio: 'ignore' });
  }
  // Inside the repository so that the package's own dependencies resolve from its
  // node_modules, as they would from the user's after `npm install mtls-gate`.
  project = mkdtempSync(join(repo, 'node_modules', '.pack-test-'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', project], {
      cwd: repo,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  ) as { filename: string }[];
  const target = join(project, 'node_modules', 'mtls-gate');
  mkdirSync(target, { recursive: true });
  execFileSync('tar', [
    '-xzf',
    join(project, packed[0]!.filename),
    '-C',
    target,
    '--strip-components=1',
  ]);
  writeFileSync(join(project, 'package.json'), '{"name":"consumer","private":true}\n');
}, 120_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('ships the built entry points and no sources or tests', () => {
    const target = join(project, 'node_modules', 'mtls-gate');
    expect(existsSync(join(target, 'dist', 'index.js'))).toBe(true);
    expect(existsSync(join(target, 'dist', 'index.cjs'))).toBe(true);
    expect(existsSync(join(target, 'dist', 'index.d.ts'))).toBe(true);
    expect(existsSync(join(target, 'src'))).toBe(false);
    expect(existsSync(join(target, 'test'))).toBe(false);
  });

  it('loads every subpath from ESM with its promised exports', () => {
    const script = Object.entries(EXPECTED)
      .map(
        ([spec, names]) =>
          `{ const m = await import(${JSON.stringify(spec)}); for (const n of ${JSON.stringify(names)}) if (!(n in m)) throw new Error(${JSON.stringify(spec)} + ' lacks ' + n); }`,
      )
      .join('\n');
    writeFileSync(join(project, 'esm.mjs'), `${script}\nconsole.log('esm ok');\n`);
    expect(node(['esm.mjs']).trim()).toBe('esm ok');
  });

  it('loads every subpath from CommonJS with its promised exports', () => {
    const script = Object.entries(EXPECTED)
      .map(
        ([spec, names]) =>
          `{ const m = require(${JSON.stringify(spec)}); for (const n of ${JSON.stringify(names)}) if (!(n in m)) throw new Error(${JSON.stringify(spec)} + ' lacks ' + n); }`,
      )
      .join('\n');
    writeFileSync(join(project, 'cjs.cjs'), `${script}\nconsole.log('cjs ok');\n`);
    expect(node(['cjs.cjs']).trim()).toBe('cjs ok');
  });

  it('loads the root and every adapter with no host framework installed', () => {
    // A resolve hook that fails for every framework stands in for a project without them.
    writeFileSync(
      join(project, 'block-hooks.mjs'),
      `const blocked = new Set(${JSON.stringify(BLOCKED)});
export async function resolve(specifier, context, next) {
  const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
  if (blocked.has(name)) throw new Error('blocked: ' + specifier);
  return next(specifier, context);
}\n`,
    );
    writeFileSync(
      join(project, 'block.mjs'),
      "import { register } from 'node:module';\nregister('./block-hooks.mjs', import.meta.url);\n",
    );
    const script = Object.keys(EXPECTED)
      .map((spec) => `await import(${JSON.stringify(spec)});`)
      .join('\n');
    writeFileSync(join(project, 'bare.mjs'), `${script}\nconsole.log('bare ok');\n`);
    expect(node(['--import', './block.mjs', 'bare.mjs']).trim()).toBe('bare ok');
  });

  it('type-checks a consumer that narrows verdicts and chain results on ok', () => {
    writeFileSync(
      join(project, 'consumer.ts'),
      `import { buildChain, type ChainResult, type Verdict, MtlsErrorCode } from 'mtls-gate';
import { mtlsGate } from 'mtls-gate/express';
declare const result: ChainResult;
if (result.ok) { const n: number = result.chain.length; void n; } else { const r: string = result.reason; void r; }
declare const verdict: Verdict;
if (!verdict.ok) { const c: MtlsErrorCode = verdict.code; const e: boolean = verdict.enforced; void c; void e; }
void buildChain; void mtlsGate;
`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [join(repo, 'node_modules', '@types')],
          lib: ['ES2022', 'DOM'],
        },
        files: ['consumer.ts'],
      }),
    );
    const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    expect(() => node([tsc, '-p', 'tsconfig.json'])).not.toThrow();
  });
});
