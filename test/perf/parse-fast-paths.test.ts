/**
 * The shortcuts the leaf parse takes for speed, each held to the plain computation it
 * replaces.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  asciiAt,
  charsAt,
  DerError,
  DerReader,
  daysFromCivil,
  decodeOid,
  decodeTime,
} from '../../src/der.js';
import {
  decodeIssuerNameContents,
  decodeName,
  decodeNameContents,
  decodeUtf8,
  decodeUtf8Slow,
} from '../../src/name-der.js';

/** What a call returned, or the class and message of what it threw. */
function outcome(f: () => unknown): unknown {
  try {
    return { value: f() };
  } catch (error) {
    return { threw: (error as Error).constructor.name, message: (error as Error).message };
  }
}

/** Every TLV of `bytes`, depth first, read with a Tlv object and a reader per structure. */
function walkWithTlvs(bytes: Uint8Array): unknown {
  return outcome(() => {
    const out: number[][] = [];
    const walk = (r: DerReader, depth: number): void => {
      while (r.hasMore()) {
        const t = r.read();
        out.push([depth, t.tag, t.start, t.valueStart, t.end]);
        if (t.tag & 0x20) {
          const inner = DerReader.inside(t);
          walk(inner, depth + 1);
          inner.done('inner');
        }
      }
    };
    walk(new DerReader(bytes), 0);
    return out;
  });
}

/** The same walk with the cursor: one reader, no Tlv objects. */
function walkWithCursor(bytes: Uint8Array): unknown {
  return outcome(() => {
    const out: number[][] = [];
    const r = new DerReader(bytes);
    const walk = (depth: number): void => {
      while (r.hasMore()) {
        r.next();
        out.push([depth, r.tag, r.start, r.valueStart, r.end]);
        if (r.tag & 0x20) {
          const outer = r.enter();
          walk(depth + 1);
          r.leave(outer, 'inner');
        }
      }
    };
    walk(0);
    return out;
  });
}

/** Short DER-like byte strings: mostly valid nesting, with random octets mixed in. */
const derish = fc.oneof(
  fc.uint8Array({ maxLength: 40 }),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(0x30, 0x31, 0xa0, 0xa3, 0x04, 0x06, 0x0c, 0x02, 0x80, 0x81, 0x82),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 255 }),
      ),
      { maxLength: 40 },
    )
    .map((a) => Uint8Array.from(a)),
);

describe('DerReader cursor', () => {
  it('walks every input as read/inside do, and fails on the same inputs with the same error', () => {
    fc.assert(
      fc.property(derish, (bytes) => {
        expect(walkWithCursor(bytes)).toEqual(walkWithTlvs(bytes));
      }),
      { numRuns: 5000 },
    );
  });

  it('nextIf reads only on a matching tag, as optional does', () => {
    const bytes = Uint8Array.from([0x05, 0x00, 0x04, 0x01, 0x07]);
    const r = new DerReader(bytes);
    expect(r.nextIf(0x04)).toBe(false);
    expect(r.nextIf(0x05)).toBe(true);
    expect([r.tag, r.start, r.valueStart, r.end]).toEqual([0x05, 0, 2, 2]);
    expect(r.nextIf(0x04)).toBe(true);
    expect(r.nextIf(0x04)).toBe(false);
    r.done('test');
  });

  it('refuses to enter a primitive value, as inside does', () => {
    const r = new DerReader(Uint8Array.from([0x04, 0x00]));
    r.next();
    expect(() => r.enter()).toThrow('expected a constructed value');
  });
});

describe('UTF8String ASCII path', () => {
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 48 }),
    fc.uint8Array({ maxLength: 48, max: 0x7f }),
    fc.string({ unit: 'binary', maxLength: 24 }).map((s) => new Uint8Array(Buffer.from(s))),
  );

  it('decodes any octets as the fatal TextDecoder does, invalid UTF-8 included', () => {
    fc.assert(
      fc.property(bytes, fc.nat(5), fc.nat(5), (content, before, after) => {
        // Inside a larger buffer, as in a certificate: only [start, end) may be read.
        const buffer = new Uint8Array(before + content.length + after).fill(0xc3);
        buffer.set(content, before);
        const end = before + content.length;
        expect(outcome(() => decodeUtf8(buffer, before, end))).toEqual(
          outcome(() => decodeUtf8Slow(buffer, before, end)),
        );
      }),
      { numRuns: 5000 },
    );
  });

  it('still refuses invalid UTF-8 and strips nothing from ASCII', () => {
    const bad = Uint8Array.from([0x61, 0xc3]);
    expect(() => decodeUtf8(bad, 0, 2)).toThrow('UTF8String is not valid UTF-8');
    expect(decodeUtf8(Uint8Array.from([0x20, 0x41, 0x00]), 0, 3)).toBe(' A\0');
  });
});

describe('charsAt and asciiAt', () => {
  it('give one char code per octet, as a plain loop, for every length class', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), (bytes) => {
        let expected = '';
        for (const b of bytes) expected += String.fromCharCode(b);
        expect(charsAt(bytes, 0, bytes.length)).toBe(expected);
        const ascii = bytes.every((b) => b <= 0x7f);
        if (ascii) expect(asciiAt(bytes, 0, bytes.length, 'x')).toBe(expected);
        else
          expect(() => asciiAt(bytes, 0, bytes.length, 'x')).toThrow('x holds a non-ASCII octet');
      }),
      { numRuns: 3000 },
    );
  });
});

describe('decodeTime arithmetic', () => {
  const gt = (s: string) =>
    new DerReader(Uint8Array.from([0x18, s.length, ...Buffer.from(s)])).read();
  const pad = (n: number, w: number) => String(n).padStart(w, '0');

  it('agrees with Date.UTC on every day from 1950 to 2050 and on month ends of every year', () => {
    for (let ms = Date.UTC(1950, 0, 1); ms < Date.UTC(2051, 0, 1); ms += 86_400_000) {
      const d = new Date(ms);
      expect(daysFromCivil(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())).toBe(
        ms / 86_400_000,
      );
    }
    for (let year = 100; year <= 9999; year++) {
      for (const [month, day] of [
        [1, 1],
        [2, 28],
        [3, 1],
        [12, 31],
      ] as const) {
        const text = `${pad(year, 4)}${pad(month, 2)}${pad(day, 2)}235958Z`;
        expect(decodeTime(gt(text))).toBe(Date.UTC(year, month - 1, day, 23, 59, 58));
      }
    }
  });

  it('keeps years below 100 literal', () => {
    expect(decodeTime(gt('00010101000000Z'))).toBe(new Date('0001-01-01T00:00:00Z').getTime());
    expect(decodeTime(gt('00991231235959Z'))).toBe(new Date('0099-12-31T23:59:59Z').getTime());
  });
});

describe('memos', () => {
  const oidTlv = (content: number[]) =>
    new DerReader(Uint8Array.from([0x06, content.length, ...content])).read();

  it('the OID memo tells apart contents whose hashes collide', () => {
    // Same length, and (a * 31 + b) equal: the same memo key.
    for (let k = 0; k < 3; k++) {
      expect(decodeOid(oidTlv([0x55, 0x40]))).toBe('2.5.64');
      expect(decodeOid(oidTlv([0x56, 0x21]))).toBe('2.6.33');
    }
  });

  /** The DER of a Name with one CN. */
  const name = (cn: string) => {
    const value = Buffer.from(cn);
    const atv = [0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, value.length, ...value];
    const set = [0x31, atv.length + 2, 0x30, atv.length, ...atv];
    return Uint8Array.from([0x30, set.length, ...set]);
  };

  it('the issuer memo gives what a fresh decode gives, past its bound too', () => {
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 600; i++) {
        const der = name(`Issuing CA ${i}`);
        expect(decodeIssuerNameContents(der, 2, der.length)).toEqual(decodeName(der));
      }
    }
  });

  it('the issuer memo confirms the octets, and remembers nothing malformed', () => {
    const a = name('CA one');
    const b = name('CA two');
    expect(decodeIssuerNameContents(a, 2, a.length)).toEqual(decodeName(a));
    expect(decodeIssuerNameContents(b, 2, b.length)).toEqual(decodeName(b));
    const bad = name('bad');
    bad[bad.length - 1] = 0xff; // not UTF-8
    for (let k = 0; k < 3; k++) {
      expect(() => decodeIssuerNameContents(bad, 2, bad.length)).toThrow(DerError);
    }
    expect(decodeNameContents(a, 2, a.length)).toEqual(decodeIssuerNameContents(a, 2, a.length));
  });

  it('shares a remembered name only frozen, and never one that views its certificate', () => {
    const a = name('Shared CA');
    const first = decodeIssuerNameContents(a, 2, a.length);
    const again = decodeIssuerNameContents(a.slice(), 2, a.length);
    expect(again).toBe(first);
    expect(
      Object.isFrozen(first) && Object.isFrozen(first[0]) && Object.isFrozen(first[0]![0]),
    ).toBe(true);
    // A non-string value (an INTEGER as the attribute) keeps a view of its own bytes: decoded
    // afresh for every certificate.
    const atv = [0x06, 0x03, 0x55, 0x04, 0x03, 0x02, 0x01, 0x05];
    const set = [0x31, atv.length + 2, 0x30, atv.length, ...atv];
    const odd = Uint8Array.from([0x30, set.length, ...set]);
    const one = decodeIssuerNameContents(odd, 2, odd.length);
    expect(one[0]![0]!.ber).toBeDefined();
    expect(decodeIssuerNameContents(odd, 2, odd.length)).not.toBe(one);
  });
});
