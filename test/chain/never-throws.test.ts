/**
 * buildChain never rejects on bad certificates: corrupted leaves and intermediates (random
 * byte flips, truncations) resolve to a ChainResult, never to a thrown dependency error.
 */
import fc from 'fast-check';
import { beforeAll, expect, test } from 'vitest';
import { buildChain } from '../../src/chain/build-chain.js';
import { INVALID_REASONS } from '../../src/errors.js';
import { NOW, simpleChain } from '../fixtures/pki.js';

let chain: Awaited<ReturnType<typeof simpleChain>>;
beforeAll(async () => {
  chain = await simpleChain('P-256');
});

function corrupt(der: Uint8Array, flips: [number, number][], cut: number | null): Uint8Array {
  const copy = der.slice();
  for (const [at, value] of flips) copy[at % copy.length] = value;
  return cut === null ? copy : copy.subarray(0, cut % copy.length);
}

const mutation = fc.tuple(
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
  fc.option(fc.nat(), { nil: null }),
);

test('a corrupted leaf or intermediate always resolves to a result with a known reason', async () => {
  await fc.assert(
    fc.asyncProperty(mutation, mutation, fc.boolean(), async (m1, m2, both) => {
      const leaf = corrupt(chain.leaf.der, m1[0], m1[1]);
      const inter = both ? corrupt(chain.intermediate.der, m2[0], m2[1]) : chain.intermediate.der;
      const result = await buildChain(leaf, {
        anchors: chain.root.der,
        intermediates: [inter],
        at: NOW,
      });
      if (!result.ok) {
        expect(INVALID_REASONS).toContain(result.reason);
        expect(result.message.length).toBeGreaterThan(0);
      }
    }),
    { numRuns: 300 },
  );
});

test('a corrupted anchor is an options error (MtlsError malformed) or a result, nothing else', async () => {
  await fc.assert(
    fc.asyncProperty(mutation, async ([flips, cut]) => {
      const anchor = corrupt(chain.root.der, flips, cut);
      try {
        const result = await buildChain(chain.leaf.der, {
          anchors: anchor,
          intermediates: [chain.intermediate.der],
          at: NOW,
        });
        expect(typeof result.ok).toBe('boolean');
      } catch (error) {
        expect((error as { reason?: string }).reason).toBe('malformed');
      }
    }),
    { numRuns: 200 },
  );
});
