import { describe, expect, it } from 'vitest';
import { Certificate } from '../../src/certificate.js';
import { buildChain } from '../../src/chain/build-chain.js';
import { ChainCache } from '../../src/chain/cache.js';
import { Lru } from '../../src/chain/lru.js';
import { TrustStore } from '../../src/trust/trust-store.js';
import { createVerifier } from '../../src/verifier/create-verifier.js';
import { ca, DAY, endEntity, NOW, simpleChain } from '../fixtures/pki.js';

// Every cache on the fast path (verdicts, parsed intermediates, prepared keys, verified
// links) must be invisible in the answers: the same requests give the same verdicts with the
// caches on (first call and repeated) and off.

async function scenarios() {
  const { root, intermediate, leaf } = await simpleChain('P-256');
  const other = await simpleChain('P-256');
  const expired = await endEntity('expired', {
    issuer: intermediate,
    notBefore: new Date(NOW.getTime() - 400 * DAY),
    notAfter: new Date(NOW.getTime() - DAY),
  });
  const serverOnly = await endEntity('server-only', {
    issuer: intermediate,
    eku: ['1.3.6.1.5.5.7.3.1'],
  });
  const strangerInter = await ca('Stranger CA', { issuer: other.root });
  const stranger = await endEntity('stranger', { issuer: strangerInter });
  const tampered = leaf.der.slice();
  tampered[tampered.length - 1]! ^= 1;
  return {
    root,
    requests: [
      { name: 'valid', certificate: leaf.der, intermediates: [intermediate.der] },
      { name: 'valid again, as PEM', certificate: leaf.pem, intermediates: intermediate.pem },
      { name: 'expired', certificate: expired.der, intermediates: [intermediate.der] },
      { name: 'wrong EKU', certificate: serverOnly.der, intermediates: [intermediate.der] },
      { name: 'untrusted', certificate: stranger.der, intermediates: [strangerInter.der] },
      { name: 'missing intermediate', certificate: leaf.der },
      { name: 'bad signature', certificate: tampered, intermediates: [intermediate.der] },
      { name: 'garbage', certificate: new Uint8Array([0x30, 0x03, 0x02, 0x01]) },
    ],
  };
}

const shape = (v: { ok: boolean; code?: number; reason?: string }) =>
  v.ok ? 'ok' : `${v.code}/${v.reason ?? '-'}`;

describe('cached and uncached answers agree', () => {
  it('verifier: with caches (cold and warm) and without', async () => {
    const { root, requests } = await scenarios();
    const store = new TrustStore();
    store.addBundle('b', root.der);
    const clients = { c: { bundles: ['b'] } };
    const cached = createVerifier({ trustStore: store, clients });
    const bare = createVerifier({ trustStore: store, clients, cache: false, chainCache: false });
    for (const r of requests) {
      const req = {
        clientId: 'c',
        certificate: r.certificate,
        intermediates: r.intermediates,
        at: NOW,
      };
      const reference = shape(await bare.verify(req));
      expect(shape(await cached.verify(req)), `${r.name}, first`).toBe(reference);
      expect(shape(await cached.verify(req)), `${r.name}, repeated`).toBe(reference);
    }
    // Interleaved once more, so that every answer is also given after the others were cached.
    for (const r of requests) {
      const req = {
        clientId: 'c',
        certificate: r.certificate,
        intermediates: r.intermediates,
        at: NOW,
      };
      expect(shape(await cached.verify(req)), `${r.name}, interleaved`).toBe(
        shape(await bare.verify(req)),
      );
    }
  });

  it('buildChain: with a ChainCache (cold and warm, DER and Certificate) and without', async () => {
    const { root, requests } = await scenarios();
    const store = new TrustStore();
    const bundle = store.addBundle('b', root.der);
    const cache = new ChainCache({ store, maxCertificates: 2 });
    const result = async (input: unknown, intermediates: unknown, withCache: boolean) => {
      const r = await buildChain(input as Uint8Array, {
        anchors: bundle,
        ...(intermediates === undefined ? {} : { intermediates: intermediates as Uint8Array }),
        at: NOW,
        ...(withCache ? { cache } : {}),
      });
      return r.ok ? `ok:${r.chain.length}` : r.reason;
    };
    for (let pass = 0; pass < 2; pass++) {
      for (const r of requests) {
        const reference = await result(r.certificate, r.intermediates, false);
        expect(await result(r.certificate, r.intermediates, true), `${r.name} pass ${pass}`).toBe(
          reference,
        );
      }
    }
    // The same leaf object again: its link is remembered, the answer is the same.
    const first = requests[0]!;
    const leaf = Certificate.fromDER(first.certificate as Uint8Array);
    expect(await result(leaf, first.intermediates, true)).toBe('ok:3');
    expect(await result(leaf, first.intermediates, true)).toBe('ok:3');
  });

  it('ChainCache links: one issuer, then a second (cross-signed), never a third by accident', async () => {
    const a = await simpleChain('P-256');
    const b = await simpleChain('P-256');
    const subject = Certificate.fromDER(a.leaf.der);
    const i1 = Certificate.fromDER(a.intermediate.der);
    const i2 = Certificate.fromDER(b.intermediate.der);
    const i3 = Certificate.fromDER(b.root.der);
    const cache = new ChainCache();
    expect(cache.hasLink(subject, i1)).toBe(false);
    cache.addLink(subject, i1);
    cache.addLink(subject, i1);
    expect([cache.hasLink(subject, i1), cache.hasLink(subject, i2)]).toEqual([true, false]);
    cache.addLink(subject, i2);
    expect([cache.hasLink(subject, i1), cache.hasLink(subject, i2)]).toEqual([true, true]);
    expect(cache.hasLink(subject, i3)).toBe(false);
    cache.clear();
    expect(cache.hasLink(subject, i1)).toBe(false);
  });
});

describe('Lru against a reference model', () => {
  it('random operations give the same contents and order', () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (const capacity of [0, 1, 2, 3, 5]) {
      const lru = new Lru<string, number>(capacity);
      let model: [string, number][] = [];
      for (let step = 0; step < 5000; step++) {
        const key = `k${rand(7)}`;
        if (rand(3) === 0) {
          const value = step;
          lru.set(key, value);
          model = model.filter(([k]) => k !== key);
          model.push([key, value]);
          if (model.length > capacity) model.shift();
        } else {
          const hit = model.find(([k]) => k === key);
          if (hit) model = [...model.filter(([k]) => k !== key), hit];
          expect(lru.get(key)).toBe(hit?.[1]);
        }
        expect(lru.size).toBe(model.length);
      }
      // Eviction order reveals the recency order: fill with fresh keys one by one.
      for (const [k, v] of model) expect(lru.get(k)).toBe(v);
    }
  });
});

describe('ChainCache keeps its own copy of the bytes', () => {
  it('a Node Buffer the caller reuses does not change a remembered intermediate', async () => {
    const { intermediate } = await simpleChain('P-256');
    const cache = new ChainCache();
    const buffer = Buffer.from(intermediate.der);
    const cert = cache.certificate(buffer);
    const before = Buffer.from(cert.der).toString('hex');
    buffer.fill(0);
    expect(Buffer.from(cert.der).toString('hex')).toBe(before);
    expect(cache.certificate(Buffer.from(intermediate.der))).toBe(cert);
  });
});
