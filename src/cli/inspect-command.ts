/**
 * `mtls-gate inspect`: what is in a certificate file, and — for a bundle — whether it is fit to
 * be a trust bundle (the same lint servers can run with `lintBundle`).
 */

import {
  type BundleFinding,
  type Certificate,
  EXPIRING_WITHIN_DAYS,
  lintBundle,
} from '../index.js';
import { flag, parse, parseAt, parseCount, stringFlag } from './args.js';
import {
  type CertificateSummary,
  colonHex,
  daysText,
  keyText,
  printableSummary,
  summarize,
} from './describe.js';
import { CliError, EXIT } from './errors.js';
import { readCertificateFile } from './files.js';
import { INSPECT_HELP } from './help.js';
import type { CliIO } from './io.js';
import { printable, type Style } from './style.js';

interface Entry {
  readonly file: string;
  readonly certificate: Certificate;
  readonly summary: CertificateSummary;
  /** Index (from 0) of the certificate in the input that issued this one, if present. */
  readonly issuedBy: number | undefined;
}

/** Runs `inspect`; returns the exit code. */
export function inspectCommand(io: CliIO, args: readonly string[]): number {
  const parsed = parse('inspect', args, {
    at: { type: 'string' },
    'expiring-days': { type: 'string' },
    lint: { type: 'boolean' },
    strict: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (flag(parsed, 'help')) {
    io.out(INSPECT_HELP);
    return EXIT.accepted;
  }
  if (parsed.positionals.length === 0) {
    throw new CliError('inspect: no certificate file given (usage: mtls-gate inspect cert.pem)');
  }
  const at = parseAt('inspect', stringFlag(parsed, 'at'), io.now());
  const windowDays = parseCount(
    'inspect',
    'expiring-days',
    stringFlag(parsed, 'expiring-days'),
    EXPIRING_WITHIN_DAYS,
  );

  const certs: { file: string; certificate: Certificate }[] = [];
  let unreadable = 0;
  for (const path of parsed.positionals) {
    const file = readCertificateFile(io, path, { lenient: true });
    for (const certificate of file.certificates) certs.push({ file: path, certificate });
    // Reported now, and the exit code says so, but the readable certificates are still shown.
    for (const problem of file.unreadable) {
      io.err(`${io.style.red('mtls-gate:')} ${path}: ${problem}\n`);
      unreadable++;
    }
  }
  const entries: Entry[] = certs.map(({ file, certificate }) => ({
    file,
    certificate,
    summary: summarize(certificate, at, windowDays),
    issuedBy: findIssuer(
      certificate,
      certs.map((c) => c.certificate),
    ),
  }));
  // A file that starts with a leaf is a chain as a client sends it, not a trust bundle: the
  // leaf would always be "not a CA". Lint bundles of CAs, or anything when asked to.
  const chainShaped = certs[0] !== undefined && !certs[0].certificate.isCA;
  const linted = flag(parsed, 'lint') || (certs.length > 1 && !chainShaped);
  const findings = linted
    ? lintBundle(
        certs.map((c) => c.certificate),
        { at, expiringWithinDays: windowDays },
      )
    : [];

  if (flag(parsed, 'json')) {
    io.out(`${JSON.stringify(toJson(entries, linted, findings), null, 2)}\n`);
  } else {
    io.out(render(entries, linted, findings, parsed.positionals.length > 1, io.style));
    if (chainShaped && entries.length > 1) io.out(renderChain(entries, io.style));
  }
  if (unreadable > 0) return EXIT.usage;
  return flag(parsed, 'strict') && findings.length > 0 ? EXIT.rejected : EXIT.accepted;
}

/** The issuer by name among the given certificates; a self-issued certificate has none. */
function findIssuer(certificate: Certificate, all: readonly Certificate[]): number | undefined {
  if (certificate.isSelfIssued) return undefined;
  const i = all.findIndex((c) => c !== certificate && c.subject === certificate.issuer);
  return i < 0 ? undefined : i;
}

function toJson(entries: readonly Entry[], linted: boolean, findings: readonly BundleFinding[]) {
  return {
    certificates: entries.map((e, index) => ({
      index,
      file: e.file,
      ...e.summary,
      ...(e.issuedBy !== undefined ? { issuedBy: e.issuedBy } : {}),
    })),
    linted,
    findings: findings.map((f) => ({
      index: f.index,
      kind: f.kind,
      severity: f.severity,
      message: f.message,
    })),
  };
}

const LABEL = 18;

function render(
  entries: readonly Entry[],
  linted: boolean,
  findings: readonly BundleFinding[],
  showFile: boolean,
  s: Style,
): string {
  const lines: string[] = [];
  entries.forEach((entry, index) => {
    const c = printableSummary(entry.summary);
    if (index > 0) lines.push('');
    const where = showFile ? ` ${s.dim(`(${entry.file})`)}` : '';
    lines.push(
      `${s.bold(`#${index + 1}`)} ${s.bold(c.subject || '(empty subject)')}  ${statusBadge(c, s)}${where}`,
    );
    const row = (label: string, value: string) =>
      lines.push(`   ${s.dim(label.padEnd(LABEL))}${value}`);
    row('subject', c.subject);
    const issuerNote = entry.issuedBy !== undefined ? s.dim(`  (#${entry.issuedBy + 1})`) : '';
    row('issuer', c.selfIssued ? `${c.issuer} ${s.dim('(self-issued)')}` : c.issuer + issuerNote);
    row('SANs', c.subjectAltNames.length > 0 ? c.subjectAltNames.join(', ') : s.dim('none'));
    row('serial', c.serialNumber);
    row('validity', `${c.notBefore} → ${c.notAfter}, ${daysText(c)}`);
    row('key', keyText(c.key));
    row('signature', c.signatureAlgorithm);
    row('SHA-256', colonHex(c.fingerprint256));
    row('SHA-1', colonHex(c.fingerprint1));
    if (c.basicConstraints) {
      const bc = c.basicConstraints;
      const text = bc.ca
        ? `CA${bc.pathLength !== undefined ? `, pathLen ${bc.pathLength}` : ''}`
        : 'not a CA';
      row('basicConstraints', text + critical(bc.critical, s));
    }
    if (c.keyUsage)
      row('keyUsage', c.keyUsage.usages.join(', ') + critical(c.keyUsage.critical, s));
    if (c.extendedKeyUsage) {
      row(
        'extKeyUsage',
        c.extendedKeyUsage.usages.join(', ') + critical(c.extendedKeyUsage.critical, s),
      );
    }
    if (c.nameConstraints) {
      const nc = c.nameConstraints;
      const parts = [];
      if (nc.permitted.length > 0) parts.push(`permitted ${nc.permitted.join(', ')}`);
      if (nc.excluded.length > 0) parts.push(`excluded ${nc.excluded.join(', ')}`);
      row('nameConstraints', parts.join('; ') + critical(nc.critical, s));
    }
  });
  if (linted) {
    lines.push('', bundleHeadline(entries, s));
    if (findings.length === 0) {
      lines.push(`  ${s.green('no problems found')}`);
    }
    for (const f of findings) {
      const tag = f.severity === 'error' ? s.red('error  ') : s.yellow('warning');
      lines.push(`  ${tag}  #${f.index + 1} ${printable(f.message)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The path from the first certificate up through its issuers in the input, by name. */
function renderChain(entries: readonly Entry[], s: Style): string {
  const steps: string[] = [];
  const seen = new Set<number>();
  let i: number | undefined = 0;
  while (i !== undefined && !seen.has(i)) {
    seen.add(i);
    const entry: Entry = entries[i]!;
    steps.push(`#${i + 1} ${printable(entry.summary.subject)}`);
    if (entry.issuedBy === undefined && !entry.summary.selfIssued) {
      steps.push(
        s.dim(
          `${printable(entry.summary.issuer)} (not in this input: expected in the trust bundle)`,
        ),
      );
    }
    i = entry.issuedBy;
  }
  return `\n${s.bold('Chain')}\n${steps.map((step, n) => `  ${'  '.repeat(n)}${n > 0 ? '└─ ' : ''}${step}`).join('\n')}\n`;
}

function bundleHeadline(entries: readonly Entry[], s: Style): string {
  const count = (status: CertificateSummary['status']) =>
    entries.filter((e) => e.summary.status === status).length;
  const parts = [
    `${count('valid')} valid`,
    `${count('expiring')} expiring`,
    `${count('expired')} expired`,
  ];
  const future = count('not-yet-valid');
  if (future > 0) parts.push(`${future} not yet valid`);
  const n = entries.length;
  return s.bold(`Trust bundle: ${n} certificate${n === 1 ? '' : 's'} — ${parts.join(', ')}`);
}

function statusBadge(c: CertificateSummary, s: Style): string {
  switch (c.status) {
    case 'valid':
      return s.green('[valid]');
    case 'expiring':
      return s.yellow('[expiring]');
    case 'expired':
      return s.red('[expired]');
    case 'not-yet-valid':
      return s.red('[not yet valid]');
  }
}

function critical(isCritical: boolean, s: Style): string {
  return isCritical ? s.dim(' (critical)') : '';
}
