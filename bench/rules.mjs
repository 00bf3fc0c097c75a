// The rule language on the request path: compile time of a three-clause rule, evaluations
// per second of the compiled rule, and what a rule adds per request (ruleContext on a freshly
// parsed certificate + evaluate), and DN equality with the DER-keyed name cache warm and cold. Real P-256
// certificates, generated at start-up. Run `npm run build` first:
//   node bench/rules.mjs            (or MTLS_GATE_DIST=path/to/index.js node bench/rules.mjs)
import { performance } from 'node:perf_hooks';
import { chainFixture } from './lib/fixtures.mjs';
import { figure, header, target } from './lib/table.mjs';
import { median } from './lib/timing.mjs';

const entry = process.env.MTLS_GATE_DIST ?? '../dist/index.js';
const { compileRule, parseCertificates, ruleContext } = await import(
  new URL(entry, import.meta.url).href
);

const RULE =
  'CN.start_with?("svc-") && !SAN.include?("DNS:legacy.bench.example") && ISSUER == "cn=p-256 issuing ca, o=Bench P-256, c=us"';

/** Runs `fn` in batches for ~`ms` milliseconds; returns calls per second. */
function rate(fn, ms = 300) {
  const batch = 1000;
  for (let i = 0; i < batch * 20; i++) fn(i);
  const start = performance.now();
  let calls = 0;
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < batch; i++) fn(calls + i);
    calls += batch;
    now = performance.now();
  }
  return (calls / (now - start)) * 1000;
}

/** Median over rounds of `rate`. */
const best = (fn, rounds = 5) => median(Array.from({ length: rounds }, () => rate(fn)));

// 3,000 distinct leaves: more subjects than the name cache holds (1,024), for the cold case.
const pki = chainFixture('P-256', { leaves: 3000, pairs: 0 });
const ders = pki.leaves.map((l) => l.der);
const leafOf = (i) => parseCertificates(ders[i % ders.length])[0];

header('rules: compile');
const t = performance.now();
const firstRule = compileRule(RULE);
figure('rules.compile.first', ((performance.now() - t) * 1000).toFixed(0), 'us (cold JIT)');
const compileUs = 1e6 / best(() => compileRule(RULE));
figure('rules.compile.warm', compileUs.toFixed(1), 'us per compileRule (three clauses)');
figure(
  'rules.compile.simple',
  (1e6 / best(() => compileRule('CN == "svc-1"'))).toFixed(1),
  'us per compileRule (one clause)',
);

header('rules: evaluate');
const rule = firstRule;
const warmContext = ruleContext(leafOf(1), [leafOf(1)]);
if (!rule.evaluate(warmContext))
  throw new Error(`the bench rule is false: ${rule.evaluateDetailed(warmContext).message}`);
const evalRate = best(() => rule.evaluate(warmContext));
figure(
  'rules.evaluate.warm',
  Math.round(evalRate).toLocaleString('en-US'),
  'evaluations/s (three clauses, one context)',
);
figure(
  'rules.evaluateDetailed.warm',
  Math.round(best(() => rule.evaluateDetailed(warmContext))).toLocaleString('en-US'),
  'explanations/s',
);
const oneClause = compileRule('SAN.include?("DNS:svc-1.bench.example")');
figure(
  'rules.evaluate.one-clause',
  Math.round(best(() => oneClause.evaluate(warmContext))).toLocaleString('en-US'),
  'evaluations/s',
);

header('rules: per request (fresh Certificate each call)');
// What a rule adds to a request: parse + ruleContext + evaluate minus parse alone, on the
// same fresh certificates (a new Certificate has cold lazy fields, as on a request), rounds
// interleaved so that machine noise and GC land on both sides.
function added(theRule, count, offset) {
  const pick = (i) => ders[(offset + i) % ders.length];
  let t = performance.now();
  for (let i = 0; i < count; i++) parseCertificates(pick(i));
  const parseOnly = performance.now() - t;
  t = performance.now();
  for (let i = 0; i < count; i++) theRule.evaluate(ruleContext(parseCertificates(pick(i))[0]));
  const withRule = performance.now() - t;
  return ((withRule - parseOnly) * 1000) / count;
}
const medianOf = (f) => median(Array.from({ length: 9 }, (_, r) => f(r)));
added(rule, 3000, 0); // JIT warm-up
const requestUs = medianOf((r) => added(rule, 3000, r * 7));
figure(
  'rules.request.three-clauses',
  requestUs.toFixed(2),
  'us added per request by ruleContext + evaluate (CN, SAN, ISSUER)',
);
// DN == literal normalizes the subject: cached by its DER (1,024 names), else normalizeDN.
const subjectRule = compileRule('DN == "cn=svc-1, o=Bench P-256, c=us" || DN != "CN=x"');
added(subjectRule, 3000, 0);
const subjectCached = medianOf(() => added(subjectRule, 1000, 0));
figure(
  'rules.request.dn-equals.cached',
  subjectCached.toFixed(2),
  'us added per DN == literal, subject seen before (name cache hit)',
);
const subjectCold = medianOf((r) => added(subjectRule, 3000, r * 7));
figure(
  'rules.request.dn-equals.cold',
  subjectCold.toFixed(2),
  'us added per DN == literal, 3,000 subjects cycling through the 1,024-entry cache',
);
const contextOnly = (() => {
  const certs = Array.from({ length: 20000 }, (_, i) => leafOf(i));
  const start = performance.now();
  for (const c of certs) ruleContext(c);
  return ((performance.now() - start) * 1000) / certs.length;
})();
figure('rules.context.build', contextOnly.toFixed(3), 'us per ruleContext (no field read)');

header('rules: targets');
target(
  evalRate >= 2e6,
  'compiled three-clause rule, evaluations/s',
  Math.round(evalRate).toLocaleString('en-US'),
  '>= 2,000,000',
);
target(
  requestUs < 5,
  'three-clause rule + names per new certificate (5% of 100 us)',
  `${requestUs.toFixed(2)} us`,
  '< 5 us',
);
target(
  subjectCold < 5,
  'DN == literal per new subject, name cache missed',
  `${subjectCold.toFixed(2)} us`,
  '< 5 us',
);
