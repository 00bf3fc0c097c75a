import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesKey, bytesKeyPortable } from '../../src/trust/bytes-key.js';

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
