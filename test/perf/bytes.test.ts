import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesKey, bytesKeyPortable, ownCopy, sameBytes } from '../../src/bytes.js';

// bytesKey takes Buffer's native latin1 path on Node and a loop elsewhere; both must give the
// same key for the same bytes, or indexes built on one runtime path would miss on the other.
describe('bytesKey', () => {
  it('agrees with the portable path on every length class, views included', () => {
    for (const n of [0, 1, 23, 24, 25, 64, 300, 1200, 8191, 8192, 8193, 20_000]) {
      const backing = new Uint8Array(randomBytes(n + 7));
      const view = backing.subarray(3, 3 + n);
      expect(bytesKey(view)).toBe(bytesKeyPortable(view));
      expect(bytesKey(view).length).toBe(n);
    }
  });

  it('maps every octet value to its own code unit', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const key = bytesKey(all);
    for (let i = 0; i < 256; i++) expect(key.charCodeAt(i)).toBe(i);
  });

  it('distinguishes inputs that differ in one octet or in length', () => {
    const a = new Uint8Array(randomBytes(100));
    const b = a.slice();
    b[57] = b[57]! ^ 1;
    expect(bytesKey(a)).not.toBe(bytesKey(b));
    expect(bytesKey(a)).not.toBe(bytesKey(a.subarray(0, 99)));
  });
});

// sameBytes compares long inputs with Buffer.compare and short ones in a loop: both paths must
// answer as a plain element-by-element comparison, on views at any offset.
describe('sameBytes', () => {
  const reference = (a: Uint8Array, b: Uint8Array) =>
    a.length === b.length && a.every((x, i) => x === b[i]);

  it('agrees with an element-by-element comparison on both sides of the native threshold', () => {
    for (const n of [0, 1, 47, 48, 49, 64, 900, 4096]) {
      const backing = new Uint8Array(randomBytes(n + 5));
      const a = backing.subarray(2, 2 + n);
      const copy = new Uint8Array(a);
      expect(sameBytes(a, copy)).toBe(true);
      for (const at of n === 0 ? [] : [0, n >> 1, n - 1]) {
        const changed = new Uint8Array(a);
        changed[at] = changed[at]! ^ 0x80;
        expect(sameBytes(a, changed)).toBe(false);
        expect(sameBytes(a, changed)).toBe(reference(a, changed));
      }
      expect(sameBytes(a, backing.subarray(2, 2 + n + 1))).toBe(false);
    }
  });
});

// Memos and caches keep octets across calls through ownCopy. On a Node Buffer, `slice` is a
// view: a memo made with it would change when the caller reuses its buffer.
describe('ownCopy', () => {
  it('copies a Node Buffer range into memory of its own', () => {
    const source = Buffer.from([1, 2, 3, 4, 5, 6]);
    const copy = ownCopy(source, 1, 4);
    expect(Buffer.isBuffer(copy)).toBe(false);
    expect(copy.buffer).not.toBe(source.buffer);
    source.fill(0);
    expect([...copy]).toEqual([2, 3, 4]);
  });

  it('copies the whole of a plain view by default', () => {
    const backing = new Uint8Array([9, 8, 7, 6]);
    const copy = ownCopy(backing.subarray(1));
    backing.fill(0);
    expect([...copy]).toEqual([8, 7, 6]);
    expect(copy.byteOffset).toBe(0);
  });
});
