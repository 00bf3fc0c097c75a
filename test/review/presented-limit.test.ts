/**
 * Review finding: the limit on presented intermediates was checked after every one of them
 * had been parsed into the verifier's shared ChainCache, so one request carrying hundreds of
 * distinct certificates was parsed in full and flushed the intermediates other clients rely
 * on out of the LRU before being refused.
 */
import { describe, expect, it } from 'vitest';
import { buildChain, MAX_PRESENTED } from '../../src/chain/build-chain.js';
import { ChainCache } from '../../src/chain/cache.js';
import { ca, endEntity, NOW } from '../fixtures/pki.js';

const root = await ca('Limit Root');
const leaf = await endEntity('client', { issuer: root });
const noise = await Promise.all(
  Array.from({ length: MAX_PRESENTED + 16 }, (_, i) => endEntity(`noise-${i}`, { issuer: root })),
);

describe('more than MAX_PRESENTED intermediates', () => {
  it('are refused without filling the chain cache, as DER and as PEM', async () => {
    for (const intermediates of [noise.map((n) => n.der), noise.map((n) => n.pem).join('\n')]) {
      const cache = new ChainCache();
      const result = await buildChain(leaf.pem, {
        anchors: root.pem,
        intermediates,
        cache,
        at: NOW,
      });
      expect(!result.ok && result.reason).toBe('chain-too-long');
      expect(cache.size).toBeLessThanOrEqual(MAX_PRESENTED);
    }
  });

  it('counts the certificates given after the leaf too', async () => {
    const cache = new ChainCache();
    const given = [leaf.pem, ...noise.slice(0, 8).map((n) => n.pem)].join('\n');
    const intermediates = noise.slice(8, 8 + MAX_PRESENTED).map((n) => n.der);
    const result = await buildChain(given, { anchors: root.pem, intermediates, cache, at: NOW });
    expect(!result.ok && result.reason).toBe('chain-too-long');
    expect(cache.size).toBeLessThanOrEqual(MAX_PRESENTED);
  });

  it('exactly MAX_PRESENTED are still read and searched', async () => {
    const cache = new ChainCache();
    const intermediates = noise.slice(0, MAX_PRESENTED).map((n) => n.der);
    const result = await buildChain(leaf.pem, { anchors: root.pem, intermediates, cache, at: NOW });
    expect(result.ok).toBe(true);
    expect(cache.size).toBe(MAX_PRESENTED);
  });
});
