/**
 * x509-limbo conformance: every testcase of both corpora through buildChain, one test each.
 * Each case must agree with the corpus unless it is listed in the corpus's deviations file,
 * and a listed case must really disagree: the file and reality must match in both directions.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { createWebCryptoBackend } from '../../src/crypto/webcrypto.js';
import {
  type Deviation,
  type LimboCase,
  loadCorpus,
  loadDeviations,
  runCase,
  type Verdict,
} from './limbo-harness.js';

const CORPORA = [
  { file: 'limbo.json', deviations: 'known-deviations.json' },
  { file: 'limbo-2023-12.json', deviations: 'known-deviations-2023-12.json' },
];

for (const corpus of CORPORA) {
  describe(corpus.file, () => {
    const cases: LimboCase[] = loadCorpus(corpus.file);
    const deviations: Record<string, Deviation> = loadDeviations(corpus.deviations);
    const verdicts = new Map<string, Verdict>();

    beforeAll(async () => {
      for (const t of cases) verdicts.set(t.id, await runCase(t));
    }, 120_000);

    test('every listed deviation names a case of the corpus, with a reason', () => {
      const ids = new Set(cases.map((t) => t.id));
      for (const [id, d] of Object.entries(deviations)) {
        expect(ids.has(id), id).toBe(true);
        expect(['out-of-scope', 'policy']).toContain(d.scope);
        expect(d.reason.length).toBeGreaterThan(10);
      }
    });

    for (const t of cases) {
      const deviation = deviations[t.id];
      const name = deviation
        ? `${t.id} differs from the expected ${t.expected_result} as listed (${deviation.scope})`
        : `${t.id} is ${t.expected_result}`;
      test(name, () => {
        const v = verdicts.get(t.id)!;
        if (deviation) expect(v.result, v.detail).not.toBe(t.expected_result);
        else expect(v.result, v.detail).toBe(t.expected_result);
      });
    }

    test('the WebCrypto backend reaches the same verdict as node:crypto on every case', async () => {
      const webcrypto = createWebCryptoBackend();
      const differ: string[] = [];
      for (const t of cases) {
        const v = await runCase(t, webcrypto);
        if (v.result !== verdicts.get(t.id)!.result) differ.push(`${t.id}: ${v.detail}`);
      }
      expect(differ).toEqual([]);
    }, 120_000);

    test('agreement over the cases in scope is at least 98%, with no false accept', () => {
      const inScope = cases.filter((t) => deviations[t.id]?.scope !== 'out-of-scope');
      const agree = inScope.filter((t) => verdicts.get(t.id)!.result === t.expected_result);
      const falseAccepts = inScope.filter(
        (t) => t.expected_result === 'FAILURE' && verdicts.get(t.id)!.result === 'SUCCESS',
      );
      const all = cases.filter((t) => verdicts.get(t.id)!.result === t.expected_result);
      console.log(
        `${corpus.file}: ${agree.length}/${inScope.length} in scope ` +
          `(${((100 * agree.length) / inScope.length).toFixed(1)}%), ` +
          `${all.length}/${cases.length} overall, ${Object.keys(deviations).length} deviations`,
      );
      expect(falseAccepts.map((t) => t.id)).toEqual([]);
      expect(agree.length / inScope.length).toBeGreaterThanOrEqual(0.98);
    });
  });
}
