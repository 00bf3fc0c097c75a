import { describe, expect, it, test } from 'vitest';
import { buildChain, MAX_PRESENTED } from '../../src/chain/build-chain.js';
import { ca, endEntity, NOW, simpleChain } from '../fixtures/pki.js';
import { countingBackend } from './helpers.js';

describe('hostile inputs stay bounded', () => {
  test('the same cycle validates once one of its CAs is an anchor', async () => {
    const a = await ca('A');
    const b = await ca('B');
    const aByB = await ca('A', { issuer: b, keys: a.keys });
    const bByA = await ca('B', { issuer: a, keys: b.keys });
    const leaf = await endEntity('Leaf', { issuer: a });
    const result = await buildChain(leaf.der, {
      anchors: b.der,
      intermediates: [bByA.der, aByB.der],
      at: NOW,
    });
    expect(result.ok && result.chain.map((c) => c.subject)).toEqual(['CN=Leaf', 'CN=A', 'CN=B']);
  });

  test('as many intermediates as may be presented, with the leaf issuer name and the wrong keys, exhaust the signature budget', async () => {
    const root = await ca('Root');
    const real = await ca('Dup', { issuer: root });
    const leaf = await endEntity('Leaf', { issuer: real, noKeyIds: true });
    const decoys = [];
    for (let i = 0; i < MAX_PRESENTED; i++)
      decoys.push((await ca('Dup', { issuer: root, noKeyIds: true })).der);
    const backend = countingBackend();
    const signatures = MAX_PRESENTED / 2;
    const result = await buildChain(leaf.der, {
      anchors: root.der,
      intermediates: decoys,
      at: NOW,
      backend,
      strict: false,
      budget: { signatures },
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toBe('chain-too-long');
    expect(!result.ok && result.message).toMatch(/budget of signature checks/);
    expect(backend.count).toBe(signatures);
  }, 60_000);

  test('a smaller budget is honoured, and a larger one lets the real issuer be reached', async () => {
    const root = await ca('Root');
    const real = await ca('Dup', { issuer: root, noKeyIds: true });
    const leaf = await endEntity('Leaf', { issuer: real, noKeyIds: true });
    const decoys = [];
    for (let i = 0; i < 20; i++)
      decoys.push((await ca('Dup', { issuer: root, noKeyIds: true })).der);
    const options = {
      anchors: root.der,
      intermediates: [...decoys, real.der],
      at: NOW,
      strict: false,
    };
    const small = countingBackend();
    const refused = await buildChain(leaf.der, {
      ...options,
      backend: small,
      budget: { signatures: 5 },
    });
    expect(!refused.ok && refused.reason).toBe('chain-too-long');
    expect(small.count).toBe(5);
    const accepted = await buildChain(leaf.der, options);
    expect(accepted.ok).toBe(true);
  });

  test('the step budget bounds candidates considered even when no signature is checked', async () => {
    const root = await ca('Root');
    const real = await ca('Dup', { issuer: root, noKeyIds: true });
    const leaf = await endEntity('Leaf', { issuer: real, noKeyIds: true });
    const decoys = [];
    for (let i = 0; i < 10; i++)
      decoys.push((await ca('Dup', { issuer: root, noKeyIds: true })).der);
    const result = await buildChain(leaf.der, {
      anchors: root.der,
      intermediates: decoys,
      at: NOW,
      strict: false,
      budget: { steps: 3 },
    });
    expect(!result.ok && result.message).toMatch(/budget of candidate steps/);
  });
});

// The search runs again from the leaf after each answer of an asynchronous backend: the same
// verdicts, and no more signature checks than the synchronous path makes.
describe.each(['sync', 'async'] as const)('with a %s backend', (mode) => {
  test('a cross-signed cycle with no anchor ends as untrusted, in bounded work', async () => {
    const a = await ca('A');
    const b = await ca('B');
    const aByB = await ca('A', { issuer: b, keys: a.keys });
    const bByA = await ca('B', { issuer: a, keys: b.keys });
    const leaf = await endEntity('Leaf', { issuer: a });
    const backend = countingBackend(mode);
    const result = await buildChain(leaf.der, {
      anchors: (await ca('Unrelated')).der,
      intermediates: [aByB, bByA, a, b].map((c) => c.der),
      at: NOW,
      backend,
    });
    expect(!result.ok && result.reason).toBe('untrusted');
    expect(backend.count).toBeLessThanOrEqual(8);
  });

  test('decoys with the issuer name and wrong keys spend exactly the signature budget', async () => {
    const root = await ca('Root');
    const real = await ca('Dup', { issuer: root, noKeyIds: true });
    const leaf = await endEntity('Leaf', { issuer: real, noKeyIds: true });
    const decoys = [];
    for (let i = 0; i < 12; i++)
      decoys.push((await ca('Dup', { issuer: root, noKeyIds: true })).der);
    const options = { anchors: root.der, at: NOW, strict: false };
    const backend = countingBackend(mode);
    const refused = await buildChain(leaf.der, {
      ...options,
      intermediates: [...decoys, real.der],
      backend,
      budget: { signatures: 6 },
    });
    expect(!refused.ok && refused.message).toMatch(/budget of signature checks/);
    expect(backend.count).toBe(6);
    const found = countingBackend(mode);
    const accepted = await buildChain(leaf.der, {
      ...options,
      intermediates: [...decoys, real.der],
      backend: found,
    });
    // Every decoy tried and refused, then the real issuer and the root's signature over it.
    expect(accepted.ok && accepted.chain.map((c) => c.subject)).toEqual([
      'CN=Leaf',
      'CN=Dup',
      'CN=Root',
    ]);
    expect(accepted.ok && accepted.chain[1]!.der).toEqual(new Uint8Array(real.der));
    expect(found.count).toBe(12 + 2);
  });
});

describe('presented intermediates', () => {
  it('refuses more than MAX_PRESENTED presented certificates before searching', async () => {
    const { root, intermediate, leaf } = await simpleChain();
    const many = Array.from({ length: MAX_PRESENTED + 1 }, () => intermediate.der);
    const result = await buildChain(leaf.der, { anchors: root.der, intermediates: many, at: NOW });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toBe('chain-too-long');
    const fine = await buildChain(leaf.der, {
      anchors: root.der,
      intermediates: many.slice(0, MAX_PRESENTED),
      at: NOW,
    });
    expect(fine.ok).toBe(true);
  });
});
