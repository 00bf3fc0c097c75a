import { describe, expect, it } from 'vitest';
import { ChainCache, createVerifier, MtlsErrorCode, TrustStore } from '../../src/index.js';
import { VerdictCache } from '../../src/verifier/verdict-cache.js';
import { ca, DAY, endEntity, NOW } from '../fixtures/pki.js';

const root = await ca('Cache Root', { notAfter: new Date(NOW.getTime() + 400 * DAY) });
// The intermediate ends first: the cached verdict must end with it.
const intermediate = await ca('Cache Intermediate', {
  issuer: root,
  notBefore: new Date(NOW.getTime() - 10 * DAY),
  notAfter: new Date(NOW.getTime() + 10 * DAY),
});
const leaf = await endEntity('cache-client', { issuer: intermediate });

function setup(cache?: { size?: number } | false) {
  const trustStore = new TrustStore();
  trustStore.addBundle('main', root.pem);
  const verifier = createVerifier({
    trustStore,
    clients: { acme: { bundles: ['main'] }, ruled: { bundles: ['main'], rule: 'CN == "x"' } },
    ...(cache === undefined ? {} : { cache }),
  });
  return { trustStore, verifier };
}

const presented = { certificate: leaf.der, intermediates: [intermediate.der] };

describe('verdict cache', () => {
  it('returns the remembered verdict for the same chain and client from its third sighting', async () => {
    const { verifier } = setup();
    const first = await verifier.verify({ clientId: 'acme', ...presented, at: NOW });
    const second = await verifier.verify({ clientId: 'acme', ...presented, at: NOW });
    const third = await verifier.verify({ clientId: 'acme', ...presented, at: NOW });
    expect(first.ok).toBe(true);
    // The first sighting only leaves a fingerprint; the second stores the verdict.
    expect(second).not.toBe(first);
    expect(third).toBe(second);
    expect(await verifier.verify({ clientId: 'acme', ...presented, at: NOW })).toBe(second);
  });

  it('serves an entry only for the same bytes, not for a different chain of the same fingerprint', async () => {
    const { verifier } = setup();
    const twice = async (certificate: Uint8Array) => {
      const request = { clientId: 'acme', certificate, intermediates: [intermediate.der], at: NOW };
      await verifier.verify(request);
      return verifier.verify(request);
    };
    const stored = await twice(leaf.der);
    expect(stored.ok).toBe(true);
    // Same length and last octets (the fingerprint), one octet changed inside the TBS: a
    // different certificate whose signature no longer verifies.
    const forged = new Uint8Array(leaf.der);
    forged[40] = forged[40]! ^ 0x01;
    const verdict = await verifier.verify({
      clientId: 'acme',
      certificate: forged,
      intermediates: [intermediate.der],
      at: NOW,
    });
    expect(verdict).not.toBe(stored);
    expect(verdict.ok).toBe(false);
  });

  it('keeps clients apart: a rule failure of one is not another client success', async () => {
    const { verifier } = setup();
    const both = async () => [
      await verifier.verify({ clientId: 'acme', ...presented, at: NOW }),
      await verifier.verify({ clientId: 'ruled', ...presented, at: NOW }),
    ];
    await both();
    const [ok, ruled] = await both();
    expect(ok!.ok).toBe(true);
    expect(!ruled!.ok && ruled!.code).toBe(MtlsErrorCode.RuleFailed);
    const [okAgain, ruledAgain] = await both();
    expect(okAgain).toBe(ok);
    expect(ruledAgain).toBe(ruled);
  });

  it('verifies again after any change to the trust store', async () => {
    const { verifier, trustStore } = setup();
    const first = await verifier.verify({ clientId: 'acme', ...presented, at: NOW });
    trustStore.addBundle('unrelated', root.pem);
    const second = await verifier.verify({ clientId: 'acme', ...presented, at: NOW });
    expect(second.ok).toBe(true);
    expect(second).not.toBe(first);
    trustStore.addBundle('main', intermediate.pem);
    const third = await verifier.verify({ clientId: 'acme', ...presented, at: NOW });
    expect(third.ok && third.anchor.subject).toBe('CN=Cache Intermediate');
  });

  it('never serves a cached success for a time after the earliest notAfter of the chain', async () => {
    const { verifier } = setup();
    expect((await verifier.verify({ clientId: 'acme', ...presented, at: NOW })).ok).toBe(true);
    const later = new Date(NOW.getTime() + 11 * DAY);
    const verdict = await verifier.verify({ clientId: 'acme', ...presented, at: later });
    expect(!verdict.ok && verdict.reason).toBe('expired');
  });

  it('never serves a cached success for a time before the latest notBefore of the chain', async () => {
    const { verifier } = setup();
    expect((await verifier.verify({ clientId: 'acme', ...presented, at: NOW })).ok).toBe(true);
    const earlier = new Date(NOW.getTime() - 20 * DAY);
    const verdict = await verifier.verify({ clientId: 'acme', ...presented, at: earlier });
    expect(!verdict.ok && verdict.reason).toBe('not-yet-valid');
  });

  it('keeps cached verdicts intact when the caller reuses its buffer', async () => {
    const { verifier } = setup();
    const buffer = new Uint8Array(leaf.der);
    const request = { clientId: 'acme', certificate: buffer, intermediates: [intermediate.der] };
    await verifier.verify({ ...request, at: NOW });
    // The second sighting is kept: its answer is the kept verdict, on private bytes.
    const kept = await verifier.verify({ ...request, at: NOW });
    expect(kept.ok && kept.certificate.der.buffer).not.toBe(buffer.buffer);
    buffer.fill(0);
    expect(kept.ok && kept.certificate.subject).toBe('CN=cache-client');
    expect(kept.ok && Buffer.from(kept.certificate.der).equals(Buffer.from(leaf.der))).toBe(true);
    const hit = await verifier.verify({ ...presented, clientId: 'acme', at: NOW });
    expect(hit).toBe(kept);
  });

  it('does not cache when disabled', async () => {
    const { verifier } = setup(false);
    const first = await verifier.verify({ clientId: 'acme', ...presented, at: NOW });
    const second = await verifier.verify({ clientId: 'acme', ...presented, at: NOW });
    expect(second.ok).toBe(true);
    expect(second).not.toBe(first);
  });

  it('evicts the least recently used verdict beyond its size', async () => {
    const { verifier } = setup({ size: 1 });
    const other = await endEntity('cache-other', { issuer: intermediate });
    const first = await verifier.verify({ clientId: 'acme', ...presented, at: NOW });
    await verifier.verify({
      clientId: 'acme',
      certificate: other.der,
      intermediates: [intermediate.der],
      at: NOW,
    });
    const again = await verifier.verify({ clientId: 'acme', ...presented, at: NOW });
    expect(again.ok).toBe(true);
    expect(again).not.toBe(first);
  });

  it('does not remember failures that depend on the time, such as an expired chain', async () => {
    const { verifier } = setup();
    const later = new Date(NOW.getTime() + 11 * DAY);
    const expired = await verifier.verify({ clientId: 'acme', ...presented, at: later });
    expect(expired.ok).toBe(false);
    expect((await verifier.verify({ clientId: 'acme', ...presented, at: NOW })).ok).toBe(true);
  });

  it('uses a chain cache given in the configuration', async () => {
    const trustStore = new TrustStore();
    trustStore.addBundle('main', root.pem);
    const chainCache = new ChainCache({ store: trustStore });
    const verifier = createVerifier({
      trustStore,
      clients: { acme: { bundles: ['main'] } },
      cache: false,
      chainCache,
    });
    expect((await verifier.verify({ clientId: 'acme', ...presented, at: NOW })).ok).toBe(true);
    expect(chainCache.size).toBe(1);
  });
});

describe('verdict cache keys', () => {
  it('tells apart PEM chains of the same length that end with the same intermediate', async () => {
    // Leaves whose PEM has the same length: the texts end alike (the intermediate's block).
    const byLength = new Map<number, string[]>();
    let pair: string[] = [];
    for (let i = 0; pair.length < 2 && i < 40; i++) {
      const issued = await endEntity(`client-${i % 10}`, { issuer: intermediate });
      const list = byLength.get(issued.pem.length) ?? [];
      list.push(issued.pem + intermediate.pem);
      byLength.set(issued.pem.length, list);
      if (list.length >= 2) pair = list;
    }
    expect(pair).toHaveLength(2);
    const { verifier } = setup();
    const verify = (certificate: string) =>
      verifier.verify({ clientId: 'acme', certificate, at: NOW });
    // Each seen twice (admitted), in turn: each then hits its own entry.
    for (const text of [...pair, ...pair]) expect((await verify(text)).ok).toBe(true);
    const [a, b] = [await verify(pair[0]!), await verify(pair[1]!)];
    expect(await verify(pair[0]!)).toBe(a);
    expect(await verify(pair[1]!)).toBe(b);
  });

  it('keys by the server name only when a bundle of the client is bound to hosts', async () => {
    const trustStore = new TrustStore();
    trustStore.addBundle('main', root.pem);
    trustStore.addBundle('bound', root.pem, { hosts: ['*.example'] });
    const verifier = createVerifier({
      trustStore,
      clients: { free: { bundles: ['main'] }, bound: { bundles: ['bound'] } },
    });
    const verify = (clientId: string, serverName: string) =>
      verifier.verify({ clientId, ...presented, serverName, at: NOW });
    // Unbound: one entry whatever the server name.
    await verify('free', 'a.example');
    const kept = await verify('free', 'b.example');
    expect(kept.ok).toBe(true);
    expect(await verify('free', 'c.example')).toBe(kept);
    // Bound: the server name decides which bundles apply, so it is part of the key.
    await verify('bound', 'a.example');
    const boundKept = await verify('bound', 'a.example');
    expect(boundKept.ok).toBe(true);
    expect(await verify('bound', 'a.example')).toBe(boundKept);
    const other = await verify('bound', 'other.test');
    expect(other.ok).toBe(false);
  });
});

describe('verdict cache and store versions', () => {
  it('keeps nothing reached under an older store, and does not drop what was kept since', async () => {
    const cache = new VerdictCache(10);
    const { verifier } = setup();
    const verdict = await verifier.verify({ clientId: 'acme', ...presented, at: NOW });
    if (!verdict.ok) throw new Error(verdict.message);
    const probeOf = (clientId: string) =>
      cache.probe(clientId, undefined, presented.certificate, presented.intermediates)!;
    // Kept under version 2 (the second sighting stores).
    for (let i = 0; i < 2; i++) cache.set(probeOf('fresh'), 2, verdict, verdict.chain);
    expect(cache.size).toBe(1);
    // A verification that started under version 1 ends now: nothing kept, nothing dropped.
    for (let i = 0; i < 2; i++) cache.set(probeOf('stale'), 1, verdict, verdict.chain);
    expect(cache.size).toBe(1);
    expect(cache.get(probeOf('fresh'), 2, NOW.getTime())).toBeDefined();
    expect(cache.get(probeOf('stale'), 2, NOW.getTime())).toBeUndefined();
  });
});
