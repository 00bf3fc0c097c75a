import { describe, expect, test } from 'vitest';
import { Certificate } from '../../src/certificate.js';
import { buildChain } from '../../src/chain/build-chain.js';
import { ChainCache } from '../../src/chain/cache.js';
import { Lru } from '../../src/chain/lru.js';
import { TrustStore } from '../../src/trust/trust-store.js';
import { endEntity, NOW, simpleChain } from '../fixtures/pki.js';
import { countingBackend } from './helpers.js';

describe('ChainCache', () => {
  test('a new leaf under a known intermediate costs one signature check', async () => {
    const { root, intermediate, leaf } = await simpleChain();
    const second = await endEntity('second', { issuer: intermediate });
    const store = new TrustStore();
    const bundle = store.addBundle('b', root.der);
    const cache = new ChainCache({ store });
    const backend = countingBackend();
    const options = { anchors: bundle, intermediates: [intermediate.der], at: NOW, cache, backend };
    expect((await buildChain(leaf.der, options)).ok).toBe(true);
    expect(backend.count).toBe(2);
    expect((await buildChain(second.der, options)).ok).toBe(true);
    expect(backend.count).toBe(3);
    expect(cache.size).toBe(1);
  });

  test("a leaf's link is remembered when the caller holds the Certificate, not when it was parsed here", async () => {
    const { root, intermediate, leaf } = await simpleChain();
    const store = new TrustStore();
    const bundle = store.addBundle('b', root.der);
    const cache = new ChainCache({ store });
    const backend = countingBackend();
    const options = { anchors: bundle, intermediates: [intermediate.der], at: NOW, cache, backend };
    const parsed = await buildChain(leaf.der, options);
    expect(parsed.ok).toBe(true);
    expect(backend.count).toBe(2);
    // The same bytes again: a new Certificate, its signature checked again.
    expect((await buildChain(leaf.der, options)).ok).toBe(true);
    expect(backend.count).toBe(3);
    // The Certificate object the caller kept: the link its first use recorded serves it.
    const kept = parsed.ok ? parsed.chain[0]! : undefined;
    expect((await buildChain(kept!, options)).ok).toBe(true);
    expect(backend.count).toBe(4);
    expect((await buildChain(kept!, options)).ok).toBe(true);
    expect(backend.count).toBe(4);
  });

  test('a crafted key collision neither evicts a verified intermediate nor holds its slot', async () => {
    const { root, intermediate, leaf } = await simpleChain();
    // The same length and last octets (the key), another subject letter: a different
    // certificate, as anyone can write one (its signature need not verify to be presented).
    const crafted = () => {
      const copy = new Uint8Array(intermediate.der);
      const cert = Certificate.fromDER(copy);
      const at = cert.subjectDer.byteOffset - cert.der.byteOffset + cert.subjectDer.length - 1;
      copy[at] = copy[at] === 0x61 ? 0x62 : 0x61;
      return copy;
    };
    const options = (cache: ChainCache) => ({
      anchors: root.der,
      intermediates: [intermediate.der],
      at: NOW,
      cache,
    });

    // Verified first: the copy is read in place and the verified one stays.
    const verified = new ChainCache();
    const first = await buildChain(leaf.der, options(verified));
    const held = first.ok ? first.chain[1]! : undefined;
    expect(held).toBeDefined();
    const read = verified.certificate(crafted());
    expect(read).not.toBe(held);
    expect(verified.certificate(new Uint8Array(intermediate.der))).toBe(held);

    // The copy first: the real intermediate takes the slot from it, and keeps it.
    const squatted = new ChainCache();
    const squatter = squatted.certificate(crafted());
    const real = await buildChain(leaf.der, options(squatted));
    expect(real.ok).toBe(true);
    const kept = real.ok ? real.chain[1]! : undefined;
    expect(kept).not.toBe(squatter);
    expect(squatted.certificate(new Uint8Array(intermediate.der))).toBe(kept);
    expect(squatted.certificate(crafted())).not.toBe(squatter);
    expect(squatted.certificate(new Uint8Array(intermediate.der))).toBe(kept);
    expect(squatted.size).toBe(1);

    // A copy whose signature verifies under a CA of the attacker's own (not an anchor) has a
    // link, but none to an anchor: the real intermediate still takes its slot.
    const linked = new ChainCache();
    const copy = linked.certificate(crafted());
    linked.addLink(copy, Certificate.fromDER(new Uint8Array(root.der)), false);
    const again = await buildChain(leaf.der, options(linked));
    const taken = again.ok ? again.chain[1]! : undefined;
    expect(taken).not.toBe(copy);
    expect(linked.certificate(new Uint8Array(intermediate.der))).toBe(taken);
    expect(linked.certificate(crafted())).not.toBe(copy);
  });

  test('the intermediate is parsed once: the same Certificate object is reused', async () => {
    const { root, intermediate, leaf } = await simpleChain();
    const cache = new ChainCache();
    const options = { anchors: root.der, intermediates: [intermediate.der], at: NOW, cache };
    const a = await buildChain(leaf.der, options);
    const b = await buildChain(leaf.der, { ...options, intermediates: [intermediate.pem] });
    expect(a.ok && b.ok && a.chain[1] === b.chain[1]).toBe(true);
  });

  test('a cache bound to a store forgets everything when a bundle changes', async () => {
    const { root, intermediate, leaf } = await simpleChain();
    const store = new TrustStore();
    store.addBundle('b', root.der);
    const cache = new ChainCache({ store });
    const backend = countingBackend();
    const run = () =>
      buildChain(leaf.der, {
        anchors: store.bundles,
        intermediates: [intermediate.der],
        at: NOW,
        cache,
        backend,
      });
    await run();
    expect(cache.size).toBe(1);
    store.addBundle('other', root.der);
    expect(cache.size).toBe(1);
    await run();
    expect(backend.count).toBe(4);
  });

  test('a remembered link is never used for a different issuer', async () => {
    const a = await simpleChain();
    const b = await simpleChain();
    const cache = new ChainCache();
    await buildChain(a.leaf.der, {
      anchors: a.root.der,
      intermediates: a.intermediate.der,
      at: NOW,
      cache,
    });
    const result = await buildChain(a.leaf.der, {
      anchors: b.root.der,
      intermediates: b.intermediate.der,
      at: NOW,
      cache,
    });
    expect(!result.ok && result.reason).toBe('bad-signature');
  });

  test('the intermediate cache is bounded', async () => {
    const cache = new ChainCache({ maxCertificates: 2 });
    const chains = await Promise.all([simpleChain(), simpleChain(), simpleChain()]);
    for (const c of chains) cache.certificate(c.intermediate.der);
    expect(cache.size).toBe(2);
    expect(() => new ChainCache({ maxCertificates: -1 })).toThrow(TypeError);
  });

  test('when full, an intermediate is kept from its second sighting and the first evicts nothing', async () => {
    const cache = new ChainCache({ maxCertificates: 2 });
    const [a, b, c] = await Promise.all([simpleChain(), simpleChain(), simpleChain()]);
    const keptA = cache.certificate(a.intermediate.der);
    const keptB = cache.certificate(b.intermediate.der);
    const once = new Uint8Array(c.intermediate.der);
    const first = cache.certificate(once);
    // Seen once while full: parsed in place, not copied, not kept; nothing evicted.
    expect(first.der.buffer).toBe(once.buffer);
    expect(first.subject).toBe(c.intermediate.cert.subject);
    expect(cache.size).toBe(2);
    expect(cache.certificate(a.intermediate.der)).toBe(keptA);
    expect(cache.certificate(b.intermediate.der)).toBe(keptB);
    // Seen again: kept, on a copy of its own, in place of the least recently used (A).
    const second = cache.certificate(once);
    expect(second).not.toBe(first);
    expect(second.der.buffer).not.toBe(once.buffer);
    expect(cache.certificate(c.intermediate.der)).toBe(second);
    expect(cache.certificate(b.intermediate.der)).toBe(keptB);
    expect(cache.certificate(a.intermediate.der)).not.toBe(keptA);
  });

  test('below capacity an intermediate is kept on its first sighting, on a copy', async () => {
    const cache = new ChainCache({ maxCertificates: 2 });
    const { intermediate } = await simpleChain();
    const bytes = new Uint8Array(intermediate.der);
    const kept = cache.certificate(bytes);
    expect(kept.der.buffer).not.toBe(bytes.buffer);
    bytes.fill(0);
    expect(cache.certificate(intermediate.der)).toBe(kept);
    expect(cache.size).toBe(1);
  });
});

describe('Lru', () => {
  test('evicts the least recently used entry', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1);
    lru.set('c', 3);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    expect(lru.get('c')).toBe(3);
  });
});
