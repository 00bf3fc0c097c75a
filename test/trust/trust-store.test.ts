import { describe, expect, test } from 'vitest';
import { MtlsError } from '../../src/errors.js';
import { TrustBundle } from '../../src/trust/trust-bundle.js';
import {
  MAX_BUNDLE_NAME_LENGTH,
  TrustStore,
  TrustStoreError,
  validateBundleName,
} from '../../src/trust/trust-store.js';
import { ca, simpleChain } from '../fixtures/pki.js';

describe('TrustStore', () => {
  test('addBundle parses the certificates and getBundle and bundles return the bundle', async () => {
    const { root, intermediate } = await simpleChain();
    const store = new TrustStore();
    const bundle = store.addBundle('partners', `${root.pem}\n${intermediate.pem}`, {
      hosts: ['api.example'],
    });
    expect(bundle).toBeInstanceOf(TrustBundle);
    expect(bundle.name).toBe('partners');
    expect(bundle.hosts).toEqual(['api.example']);
    expect(bundle.certificates.map((c) => c.subject)).toEqual([
      'CN=Test Root',
      'CN=Test Intermediate',
    ]);
    expect(store.getBundle('partners')).toBe(bundle);
    expect(store.bundles).toEqual([bundle]);
    expect(store.getBundle('other')).toBeUndefined();
  });

  test('removeBundle removes a bundle and says whether there was one', async () => {
    const root = await ca('R');
    const store = new TrustStore();
    store.addBundle('a', root.der);
    expect(store.removeBundle('a')).toBe(true);
    expect(store.removeBundle('a')).toBe(false);
    expect(store.bundles).toEqual([]);
  });

  test('the version changes on every add and remove, and not on a failed remove', async () => {
    const root = await ca('R');
    const store = new TrustStore();
    const v0 = store.version;
    store.addBundle('a', root.der);
    const v1 = store.version;
    store.addBundle('a', root.der);
    const v2 = store.version;
    store.removeBundle('nope');
    expect(store.version).toBe(v2);
    store.removeBundle('a');
    expect(new Set([v0, v1, v2, store.version]).size).toBe(4);
  });

  test('adding an existing name replaces the bundle and keeps its place in the list', async () => {
    const [r1, r2, r3] = await Promise.all([ca('R1'), ca('R2'), ca('R3')]);
    const store = new TrustStore();
    store.addBundle('first', r1.der);
    store.addBundle('second', r2.der);
    const replaced = store.addBundle('first', r3.der);
    expect(store.bundles.map((b) => b.name)).toEqual(['first', 'second']);
    expect(store.getBundle('first')).toBe(replaced);
    expect(replaced.certificates[0]!.subject).toBe('CN=R3');
  });

  test('the same certificate may be in several bundles; exact duplicates in one are kept once', async () => {
    const root = await ca('Shared');
    const store = new TrustStore();
    const a = store.addBundle('a', [root.der, root.pem]);
    const b = store.addBundle('b', root.pem);
    expect(a.size).toBe(1);
    expect(b.size).toBe(1);
    expect(a.id).not.toBe(b.id);
  });

  test('anchors are found by subject name and by key identifier', async () => {
    const { root, intermediate } = await simpleChain();
    const bundle = new TrustStore().addBundle('b', [root.der, intermediate.der]);
    const [r, i] = bundle.certificates;
    expect(bundle.bySubject(i!.issuerDer)).toEqual([r]);
    expect(bundle.byKeyIdentifier(i!.authorityKeyIdentifier!.keyIdentifier!)).toEqual([r]);
    expect(bundle.bySubject(new Uint8Array([0x30, 0x00]))).toEqual([]);
    expect(bundle.has(i!)).toBe(true);
  });

  test('an empty bundle is refused', () => {
    const store = new TrustStore();
    expect(() => store.addBundle('empty', [])).toThrow(TrustStoreError);
    try {
      store.addBundle('empty', []);
    } catch (error) {
      expect((error as TrustStoreError).code).toBe('empty-bundle');
    }
    expect(store.bundles).toEqual([]);
  });

  test('input that is not certificates throws MtlsError malformed and adds nothing', () => {
    const store = new TrustStore();
    expect(() => store.addBundle('bad', 'no pem here')).toThrow(MtlsError);
    expect(() => store.addBundle('bad', new Uint8Array([1, 2, 3]))).toThrow(/malformed|DER/i);
    expect(store.getBundle('bad')).toBeUndefined();
  });

  test('hosts must be an array of non-empty strings', async () => {
    const root = await ca('R');
    const store = new TrustStore();
    expect(() => store.addBundle('a', root.der, { hosts: [''] })).toThrow(TrustStoreError);
    expect(() => store.addBundle('a', root.der, { hosts: 'x' as unknown as string[] })).toThrow(
      /hosts/,
    );
  });
});

describe('bundle names', () => {
  test.each([
    'partners',
    'Partner CA 2024',
    'acme/prod:v2',
    'a',
    'x'.repeat(MAX_BUNDLE_NAME_LENGTH),
  ])('%j is accepted', (name) => {
    expect(validateBundleName(name)).toBe(name);
  });

  test.each([
    ['', 'empty'],
    ['x'.repeat(MAX_BUNDLE_NAME_LENGTH + 1), 'too long'],
    [' leading', 'leading space'],
    ['trailing ', 'trailing space'],
    ['tab\there', 'control character'],
    ['new\nline', 'newline'],
    ['caf\u00e9', 'non-ASCII'],
    ['zero\u200bwidth', 'invisible character'],
  ])('%j is refused (%s)', (name) => {
    expect(() => validateBundleName(name)).toThrow(TrustStoreError);
  });

  test('a name that is not a string is refused', () => {
    expect(() => validateBundleName(42)).toThrow(/must be a string/);
  });
});

describe('large bundles', () => {
  test('10,000 anchors load, each found by its own name', async () => {
    // Distinct anchors cheaply: one certificate with the digits of its name rewritten (the
    // signatures no longer verify, which loading does not check).
    const template = Buffer.from((await ca('Anchor-00000')).der);
    const text = Buffer.from('Anchor-00000');
    const offsets: number[] = [];
    for (let i = template.indexOf(text); i >= 0; i = template.indexOf(text, i + 1)) offsets.push(i);
    const ders: Uint8Array[] = [];
    for (let n = 0; n < 10_000; n++) {
      const copy = Buffer.from(template);
      for (const o of offsets) copy.write(String(n).padStart(5, '0'), o + 7, 'latin1');
      ders.push(new Uint8Array(copy));
    }
    const bundle = new TrustStore().addBundle('big', ders);
    expect(bundle.size).toBe(10_000);
    const probe = bundle.certificates[7_777]!;
    expect(probe.subject).toBe('CN=Anchor-07777');
    expect(bundle.bySubject(probe.subjectDer)).toEqual([probe]);
  });
});
