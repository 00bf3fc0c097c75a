/**
 * `mtls-gate rule 'FORMULA' cert.pem`: evaluates a validation rule against a certificate and
 * names the clause that decided — the quickest way to debug a formula before deploying it.
 */

import { ruleContext } from '../index.js';
import { flag, parse } from './args.js';
import { CliError, EXIT } from './errors.js';
import { readCertificateFile } from './files.js';
import { RULE_HELP } from './help.js';
import type { CliIO } from './io.js';
import { compileCliRule } from './rule-support.js';
import { printable } from './style.js';

/** Runs `rule`; returns 0 when the rule passes, 1 when it fails. */
export function ruleCommand(io: CliIO, args: readonly string[]): number {
  const parsed = parse('rule', args, { json: { type: 'boolean' } });
  if (flag(parsed, 'help')) {
    io.out(RULE_HELP);
    return EXIT.accepted;
  }
  if (parsed.positionals.length !== 2) {
    throw new CliError(
      `rule: expected a formula and a certificate file, got ${parsed.positionals.length} argument${parsed.positionals.length === 1 ? '' : 's'} (usage: mtls-gate rule 'FORMULA' cert.pem)`,
    );
  }
  const [source, path] = parsed.positionals as [string, string];
  const rule = compileCliRule('rule', source);
  const certificates = readCertificateFile(io, path).certificates;
  const outcome = rule.run(certificates);
  const context = ruleContext(certificates[0]!, certificates);

  if (flag(parsed, 'json')) {
    io.out(
      `${JSON.stringify(
        {
          rule: source,
          passed: outcome.passed,
          clause: outcome.clause,
          explanation: outcome.explanation,
          ...(outcome.error !== undefined ? { error: outcome.error } : {}),
          fields: {
            SAN: context.SAN,
            DN: context.DN,
            CN: context.CN,
            ISSUER: context.ISSUER,
            SERIAL: context.SERIAL,
            FINGERPRINT: context.FINGERPRINT,
          },
        },
        null,
        2,
      )}\n`,
    );
  } else {
    const s = io.style;
    const lines = [
      outcome.passed ? s.green(s.bold('✓ passes')) : s.red(s.bold('✗ fails')),
      `  ${s.dim('rule    ')}${printable(source)}`,
      `  ${s.dim('because ')}${printable(outcome.explanation)}`,
      '',
      s.dim('  certificate fields the rule can read:'),
      `  ${s.dim('CN      ')}${context.CN === null ? s.dim('nil') : printable(context.CN)}`,
      `  ${s.dim('DN      ')}${printable(context.DN)}`,
      `  ${s.dim('ISSUER  ')}${printable(context.ISSUER)}`,
      `  ${s.dim('SAN     ')}${printable(JSON.stringify(context.SAN))}`,
      `  ${s.dim('SERIAL  ')}${context.SERIAL}`,
      `  ${s.dim('FINGERPRINT ')}${context.FINGERPRINT}`,
    ];
    io.out(`${lines.join('\n')}\n`);
  }
  return outcome.passed ? EXIT.accepted : EXIT.rejected;
}
