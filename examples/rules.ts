/**
 * Validation rules on their own: compile a formula once, evaluate it against certificates,
 * and ask which clause decided. This is what the verifier does with a client's `rule`, and
 * what `mtls-gate rule` prints.
 *
 *   npx tsx examples/rules.ts
 *
 * In your project write `from 'mtls-gate'`.
 */
import { compileRule, parseCertificates, RuleSyntaxError, ruleContext } from '../src/index.js';
import { examplePki } from './support/pki.js';

const pki = await examplePki();
const valid = parseCertificates(pki.client('valid').cert)[0]!;
const reports = parseCertificates(pki.client('wrong-san').cert)[0]!;

const rules = [
  'SAN.include?("DNS:billing.demo.internal")',
  'CN.start_with?("svc-") && !SAN.include?("DNS:reports.demo.internal")',
  'DN == "CN=svc-billing,O=mtls-gate demo" || ISSUER == "CN=Partner CA"',
];

for (const source of rules) {
  // Compile once (at start-up); evaluation is then a closure call.
  const rule = compileRule(source);
  for (const certificate of [valid, reports]) {
    const { result, message } = rule.evaluateDetailed(ruleContext(certificate));
    console.log(`${result ? 'pass' : 'FAIL'}  ${certificate.subject}\n      ${message}`);
  }
}

// A formula with a mistake fails at compile time, with the position.
try {
  compileRule('SAN.includes?("DNS:billing.demo.internal")');
} catch (error) {
  if (!(error instanceof RuleSyntaxError)) throw error;
  console.log(`\nrule rejected at compile time:\n${error.format()}`);
}

pki.remove();
