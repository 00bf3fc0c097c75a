/**
 * Review finding: the limit on presented intermediates was checked after every one of them
 * had been parsed into the verifier's shared ChainCache, so one request carrying hundreds of
 * distinct certificates was parsed in full and flushed the intermediates other clients rely
 * on out of the LRU before being refused.
 */
import { describe, expect, it } from 'vitest';
import { buildChain, MAX_PRESENTED } from '../../src/chain/build-chain.js';
import { ChainCache } from '../../src/chain/cache.js';
import { type CertificateInput, createVerifier, TrustStore } from '../../src/index.js';
import { ca, endEntity, NOW } from '../fixtures/pki.js';

const root = await ca('Limit Root');
const leaf = await endEntity('client', { issuer: root });
const noise = await Promise.all(
  Array.from({ length: MAX_PRESENTED + 16 }, (_, i) => endEntity(`noise-${i}`, { issuer: root })),
);

/** buildChain of the leaf under the root with these intermediates. */
const build = (intermediates: CertificateInput, cache?: ChainCache) =>
  buildChain(leaf.pem, { anchors: root.pem, intermediates, cache, at: NOW });

/** A PEM block that does not parse: placed past the limit, it shows nothing there was read. */
const GARBAGE = '-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n';

describe('more than MAX_PRESENTED intermediates', () => {
  it('are refused without filling the chain cache, as DER and as PEM', async () => {
    for (const intermediates of [noise.map((n) => n.der), noise.map((n) => n.pem).join('\n')]) {
      const cache = new ChainCache();
      const result = await build(intermediates, cache);
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
    const result = await build(intermediates, cache);
    expect(result.ok).toBe(true);
    expect(cache.size).toBe(MAX_PRESENTED);
  });
});

describe('more than MAX_PRESENTED certificates, by other routes', () => {
  /** The same certificate as OpenSSL's TRUSTED CERTIFICATE block (no aux data). */
  const trusted = (pem: string) => pem.replaceAll('CERTIFICATE-----', 'TRUSTED CERTIFICATE-----');

  it('counts a PEM text holding a TRUSTED CERTIFICATE block, before parsing past the limit', async () => {
    const cache = new ChainCache();
    const intermediates = [trusted(noise[0]!.pem), ...noise.slice(1).map((n) => n.pem)].join('\n');
    const result = await build(intermediates, cache);
    expect(!result.ok && result.reason).toBe('chain-too-long');
    expect(cache.size).toBeLessThanOrEqual(MAX_PRESENTED);
  });

  it('still reads a TRUSTED CERTIFICATE block as the certificate it holds', async () => {
    const inter = await ca('Limit Intermediate', { issuer: root });
    const client = await endEntity('client', { issuer: inter });
    const result = await buildChain(client.pem, {
      anchors: root.pem,
      intermediates: trusted(inter.pem),
      cache: new ChainCache(),
      at: NOW,
    });
    expect(result.ok).toBe(true);
  });

  it('limits the certificates after a leaf, without a cache and in the verifier', async () => {
    // Past the limit comes a block that does not parse: refused as too many, so never read.
    const given = [leaf.pem, ...noise.map((n) => n.pem), GARBAGE].join('\n');
    const result = await buildChain(given, { anchors: root.pem, at: NOW });
    expect(!result.ok && result.reason).toBe('chain-too-long');
    const trustStore = new TrustStore();
    trustStore.addBundle('main', root.pem);
    for (const chain of [false, undefined] as const) {
      const verifier = createVerifier({
        trustStore,
        clients: { acme: { bundles: ['main'] } },
        ...(chain === false ? { chainCache: false as const } : {}),
      });
      const verdict = await verifier.verify({ clientId: 'acme', certificate: given, at: NOW });
      expect(!verdict.ok && verdict.code === 4018 && verdict.reason).toBe('chain-too-long');
    }
  });

  it('stops parsing at the limit: a malformed certificate past it is never read', async () => {
    const intermediates = [...noise.slice(0, MAX_PRESENTED + 1).map((n) => n.pem), GARBAGE].join(
      '',
    );
    for (const cache of [new ChainCache(), undefined]) {
      const result = await build(intermediates, cache);
      // Refused as too many, not as malformed: the 66th block was not parsed.
      expect(!result.ok && result.reason).toBe('chain-too-long');
    }
  });
});
