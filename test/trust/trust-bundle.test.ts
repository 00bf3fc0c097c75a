import { describe, expect, test } from 'vitest';
import { bytesHash } from '../../src/bytes.js';
import { buildChain } from '../../src/chain/build-chain.js';
import { parseCertificates } from '../../src/input.js';
import { TrustStore } from '../../src/trust/trust-store.js';
import { ca, NOW, simpleChain } from '../fixtures/pki.js';

describe('TrustBundle subject index', () => {
  test('finds anchors by subject name and nothing for another name', async () => {
    const { root, intermediate } = await simpleChain();
    const bundle = new TrustStore().addBundle('b', [root.der, intermediate.der]);
    const [rootCert, interCert] = bundle.certificates;
    expect(bundle.bySubject(rootCert!.subjectDer)).toEqual([rootCert]);
    expect(bundle.bySubject(interCert!.subjectDer)).toEqual([interCert]);
    expect(bundle.bySubject(new Uint8Array([0x30, 0x00]))).toEqual([]);
  });

  test('a bucket shared by another name (a hash collision) yields only equal names', async () => {
    const { root } = await simpleChain();
    const other = await ca('Some Other CA');
    const bundle = new TrustStore().addBundle('b', [root.der]);
    const anchor = bundle.certificates[0]!;
    const otherName = anchor.subjectDer.slice();
    otherName[otherName.length - 1] = otherName.at(-1)! ^ 0x01;
    // The name of `other`, looked up under the anchor's hash: the bucket is found, the bytes
    // differ, and nothing is returned.
    const hash = bytesHash(anchor.subjectDer);
    expect(bundle.bySubjectHashed(otherName, hash)).toEqual([]);
    const otherSubject = new TrustStore().addBundle('o', [other.der]).certificates[0]!.subjectDer;
    expect(bundle.bySubjectHashed(otherSubject, hash)).toEqual([]);
    expect(bundle.bySubjectHashed(anchor.subjectDer, hash)).toEqual([anchor]);
  });

  test('bytesHash is FNV-1a over the octets', () => {
    // Reference values of 32-bit FNV-1a: "" and "a".
    expect(bytesHash(new Uint8Array())).toBe(0x811c9dc5);
    expect(bytesHash(new TextEncoder().encode('a'))).toBe(0xe40c292c);
    expect(bytesHash(new TextEncoder().encode('foobar'))).toBe(0xbf9cf968);
  });
});

describe('TrustBundle anchors kept as DER', () => {
  test('an anchor is parsed on first use, once: lookups and `certificates` give the same object', async () => {
    const { root, intermediate } = await simpleChain();
    const bundle = new TrustStore().addBundle('b', [root.der, intermediate.der]);
    expect(bundle.bySubject(new Uint8Array(0))).toEqual([]);
    const [rootCert, interCert] = bundle.certificates;
    expect(rootCert!.subject).toBe('CN=Test Root');
    expect(bundle.bySubject(rootCert!.subjectDer)[0]).toBe(rootCert);
    expect(bundle.byKeyIdentifier(interCert!.subjectKeyIdentifier!)[0]).toBe(interCert);
    expect(bundle.certificates[1]).toBe(interCert);
    expect(bundle.has(interCert!)).toBe(true);
    expect(bundle.size).toBe(2);
  });

  test('DER the caller reuses after loading does not change the anchors', async () => {
    const { root, intermediate, leaf } = await simpleChain();
    const bytes = Buffer.from(root.der);
    const store = new TrustStore();
    const bundle = store.addBundle('b', [bytes]);
    bytes.fill(0);
    expect(bundle.certificates[0]!.subject).toBe('CN=Test Root');
    const result = await buildChain(leaf.der, {
      anchors: bundle,
      intermediates: [intermediate.der],
      at: NOW,
    });
    expect(result.ok).toBe(true);
  });

  test('Certificate objects given to a bundle are kept as they are', async () => {
    const { root } = await simpleChain();
    const [given] = parseCertificates(root.pem);
    const bundle = new TrustStore().addBundle('b', [given!]);
    expect(bundle.certificates[0]).toBe(given);
    expect(bundle.bySubject(given!.subjectDer)[0]).toBe(given);
  });

  test('exact duplicates are dropped whether given as DER, PEM or parsed', async () => {
    const { root } = await simpleChain();
    const bundle = new TrustStore().addBundle('b', [
      root.der,
      root.pem,
      ...parseCertificates(root.pem),
    ]);
    expect(bundle.size).toBe(1);
    expect(bundle.certificates).toHaveLength(1);
  });
});
