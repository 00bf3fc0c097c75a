// Output format. Stable on purpose: one line per figure, fixed columns, a leading tag that
// says what kind of line it is, so that runs of different versions can be compared with grep
// and diff. Do not reorder or rename columns; add new figures as new lines.
//
//   RESULT <scenario> <alg> <contender> <ops/s> <us/call> <x floor1> <x floor2> <x pkijs> <x x509>
//   FAILS  <scenario> <alg> <contender> <why>
//   FIGURE <name> <value> <unit>
//   TARGET <PASS|FAIL|N/A> <what> <measured> <goal>

import { ratioOf } from './timing.mjs';

const W = { scenario: 12, alg: 9, contender: 26, num: 10, ratio: 9 };

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

export function formatOps(n) {
  return Math.round(n).toLocaleString('en-US');
}

export function formatRatio(r) {
  if (r === undefined || !Number.isFinite(r)) return '-';
  return r >= 100 ? `${r.toFixed(0)}x` : r >= 10 ? `${r.toFixed(1)}x` : `${r.toFixed(2)}x`;
}

export function header(title) {
  console.log('');
  console.log(`== ${title} ==`);
}

export function resultHeader() {
  console.log(
    `${pad('#TAG', 7)}${pad('scenario', W.scenario)}${pad('alg', W.alg)}${pad('contender', W.contender)}` +
      `${lpad('ops/s', W.num)}${lpad('us/call', W.num)}${lpad('xfloor1', W.ratio)}${lpad('xfloor2', W.ratio)}` +
      `${lpad('xpkijs', W.ratio)}${lpad('xx509', W.ratio)}`,
  );
}

/** One measured row; `ratios` = { floor1, floor2, pkijs, x509 } as ops/s of the references. */
export function resultRow(scenario, alg, contender, m, refs = {}) {
  if (m.fails !== undefined) {
    console.log(
      `${pad('FAILS', 7)}${pad(scenario, W.scenario)}${pad(alg, W.alg)}${pad(contender, W.contender)}${m.fails}`,
    );
    return;
  }
  const r = (ref) => ratioOf(m, ref);
  console.log(
    `${pad('RESULT', 7)}${pad(scenario, W.scenario)}${pad(alg, W.alg)}${pad(contender, W.contender)}` +
      `${lpad(formatOps(m.opsPerSec), W.num)}${lpad(m.usPerCall.toFixed(1), W.num)}` +
      `${lpad(formatRatio(r(refs.floor1)), W.ratio)}${lpad(formatRatio(r(refs.floor2)), W.ratio)}` +
      `${lpad(formatRatio(r(refs.pkijs)), W.ratio)}${lpad(formatRatio(r(refs.x509)), W.ratio)}`,
  );
}

export function figure(name, value, unit) {
  console.log(`${pad('FIGURE', 7)}${pad(name, 44)}${lpad(value, 12)} ${unit}`);
}

export function target(ok, what, measured, goal) {
  const tag = ok === undefined ? 'N/A' : ok ? 'PASS' : 'FAIL';
  console.log(
    `${pad('TARGET', 7)}${pad(tag, 5)}${pad(what, 52)}${lpad(measured, 12)}  goal ${goal}`,
  );
}
