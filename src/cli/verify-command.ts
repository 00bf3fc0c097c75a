/**
 * `mtls-gate verify`: the verdict a server would reach for a client certificate, with the chain
 * drawn as a tree so that the failing link is plain to see.
 */

import {
  buildChain,
  MtlsErrorCode,
  type TrustBundle,
  TrustStore,
  validateBundleName,
} from '../index.js';
import { flag, parse, parseAt, stringFlag, stringList } from './args.js';
import { acceptedChain, type ChainNode, drawChain, nodeJson, rejectedChain } from './chain-tree.js';
import { CliError, EXIT } from './errors.js';
import { readCertificateFile } from './files.js';
import { VERIFY_HELP } from './help.js';
import type { CliIO } from './io.js';
import { compileCliRule, type RuleOutcome } from './rule-support.js';
import { printable } from './style.js';

const PURPOSES: Readonly<Record<string, string | null>> = {
  client: 'clientAuth',
  server: 'serverAuth',
  any: null,
};

/** Runs `verify`; resolves to the exit code. */
export async function verifyCommand(io: CliIO, args: readonly string[]): Promise<number> {
  const parsed = parse('verify', args, {
    bundle: { type: 'string', multiple: true },
    untrusted: { type: 'string', multiple: true },
    rule: { type: 'string' },
    at: { type: 'string' },
    purpose: { type: 'string' },
    'allow-ca-leaf': { type: 'boolean' },
    'allow-sha1': { type: 'boolean' },
    'no-strict': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (flag(parsed, 'help')) {
    io.out(VERIFY_HELP);
    return EXIT.accepted;
  }
  const bundlePaths = stringList(parsed, 'bundle');
  if (bundlePaths.length === 0) {
    throw new CliError('verify: at least one --bundle is required (the CA certificates you trust)');
  }
  if (parsed.positionals.length !== 1) {
    throw new CliError(
      `verify: expected one client certificate file, got ${parsed.positionals.length} (usage: mtls-gate verify --bundle ca.pem client.pem)`,
    );
  }
  const purposeName = stringFlag(parsed, 'purpose') ?? 'client';
  if (!Object.hasOwn(PURPOSES, purposeName)) {
    throw new CliError(`verify: --purpose must be client, server or any, got "${purposeName}"`);
  }
  const at = parseAt('verify', stringFlag(parsed, 'at'), io.now());
  const ruleSource = stringFlag(parsed, 'rule');
  const rule = ruleSource === undefined ? undefined : compileCliRule('verify', ruleSource);

  const store = new TrustStore();
  const bundles: TrustBundle[] = bundlePaths.map((path, i) => {
    const file = readCertificateFile(io, path);
    return store.addBundle(bundleName(path, i), file.certificates);
  });
  const client = readCertificateFile(io, parsed.positionals[0]!).certificates;
  const untrusted = stringList(parsed, 'untrusted').flatMap(
    (p) => readCertificateFile(io, p).certificates,
  );
  const leaf = client[0]!;
  const presented = [...client.slice(1), ...untrusted];

  const result = await buildChain(client, {
    anchors: bundles,
    intermediates: untrusted,
    at,
    extendedKeyUsage: PURPOSES[purposeName] ?? null,
    // The same policy switches as createVerifier's `chain` option, so a server configured
    // with them can be reproduced here.
    allowCaLeaf: flag(parsed, 'allow-ca-leaf'),
    allowSha1: flag(parsed, 'allow-sha1'),
    strict: !flag(parsed, 'no-strict'),
  });

  let verdict: Verdict;
  let nodes: ChainNode[];
  let missingIssuer: string | undefined;
  let ruleOutcome: RuleOutcome | undefined;
  if (result.ok) {
    nodes = acceptedChain(result.chain, result.bundle?.name);
    ruleOutcome = rule?.run(result.chain);
    verdict =
      ruleOutcome && !ruleOutcome.passed
        ? {
            accepted: false,
            code: MtlsErrorCode.RuleFailed,
            message: `Certificate failed the validation rule: ${ruleOutcome.explanation}`,
          }
        : {
            accepted: true,
            message: `chain of ${result.chain.length} to ${result.anchor.subject}`,
          };
  } else {
    const anchors = bundles.flatMap((b) =>
      b.certificates.map((certificate) => ({ certificate, bundle: b.name })),
    );
    ({ nodes, missingIssuer } = rejectedChain(
      leaf,
      { presented, anchors },
      {
        certificate: result.certificate,
        position: result.position,
        problem: `${result.reason}: ${withoutPosition(result.message)}`,
      },
    ));
    verdict = {
      accepted: false,
      code: MtlsErrorCode.CertificateInvalid,
      reason: result.reason,
      message: `Client certificate is invalid: ${result.message}`,
    };
  }

  if (flag(parsed, 'json')) {
    io.out(
      `${JSON.stringify(verdictJson(verdict, nodes, at, purposeName, ruleOutcome, missingIssuer), null, 2)}\n`,
    );
  } else {
    io.out(render(io, verdict, nodes, missingIssuer, at, ruleOutcome));
  }
  return verdict.accepted ? EXIT.accepted : EXIT.rejected;
}

/** The file's path names its bundle in the output, unless it is not a valid bundle name. */
function bundleName(path: string, index: number): string {
  try {
    return validateBundleName(path);
  } catch {
    return `bundle ${index + 1}`;
  }
}

interface Verdict {
  readonly accepted: boolean;
  readonly code?: MtlsErrorCode;
  readonly reason?: string;
  readonly message: string;
}

function verdictJson(
  verdict: Verdict,
  nodes: readonly ChainNode[],
  at: Date,
  purpose: string,
  rule: RuleOutcome | undefined,
  missingIssuer: string | undefined,
) {
  return {
    ...verdict,
    at: at.toISOString(),
    purpose,
    chain: nodes.map((n) => nodeJson(n, at)),
    ...(missingIssuer !== undefined ? { missingIssuer } : {}),
    ...(rule
      ? { rule: { source: rule.source, passed: rule.passed, explanation: rule.explanation } }
      : {}),
  };
}

function render(
  io: CliIO,
  verdict: Verdict,
  nodes: readonly ChainNode[],
  missingIssuer: string | undefined,
  at: Date,
  rule: RuleOutcome | undefined,
): string {
  const s = io.style;
  const lines: string[] = [];
  if (verdict.accepted) {
    lines.push(`${s.green(s.bold('✓ accepted'))}  ${printable(verdict.message)}`);
  } else {
    const why = verdict.reason ?? (verdict.code === MtlsErrorCode.RuleFailed ? 'rule failed' : '');
    lines.push(`${s.red(s.bold(`✗ rejected  ${verdict.code ?? ''} ${why}`.trimEnd()))}`);
    lines.push(`  ${printable(verdict.message)}`);
  }
  lines.push('');
  lines.push(drawChain(nodes, missingIssuer, at, s).trimEnd());
  if (rule) {
    lines.push('');
    const mark = rule.passed ? s.green('✓ rule passed') : s.red('✗ rule failed');
    lines.push(`${mark}  ${printable(rule.source)}`);
    lines.push(`  ${printable(rule.explanation)}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The builder's message without its `leaf "CN=…" (position 0 in the chain): ` prefix, which
 * the tree already shows by placing the problem under that certificate.
 */
function withoutPosition(message: string): string {
  const match = /^(?:leaf|intermediate|anchor) ".*?" \(position \d+ in the chain\): /.exec(message);
  return match ? message.slice(match[0].length) : message;
}
