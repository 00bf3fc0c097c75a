import { describe, expect, test } from 'vitest';
import { bytesHash } from '../../src/bytes.js';
import { TrustStore } from '../../src/trust/trust-store.js';
import { ca, simpleChain } from '../fixtures/pki.js';

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
