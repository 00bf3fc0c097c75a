import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalizeSAN,
  formatGeneralName,
  parseSANList,
  SANSyntaxError,
} from '../../src/index.js';
import { formatIP, parseIP } from '../../src/ip.js';

const ipBytes = fc.oneof(
  fc.uint8Array({ minLength: 4, maxLength: 4 }),
  fc.uint8Array({ minLength: 16, maxLength: 16 }),
);
// IPv6 with many zero groups, where RFC 5952 compression choices matter.
const sparseV6 = fc
  .array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff })), {
    minLength: 8,
    maxLength: 8,
  })
  .map((groups) => Uint8Array.from(groups.flatMap((g) => [g >> 8, g & 0xff])));

const entry = fc.oneof(
  fc.domain().map((d) => `DNS:${d}`),
  fc.oneof(ipBytes, sparseV6).map((b) => formatGeneralName({ kind: 'ip', bytes: b })),
  fc.emailAddress().map((e) => `Email:${e}`),
  fc.webUrl().map((u) => `URI:${u}`),
);

describe('SAN properties', () => {
  it('IP text round-trips: parseIP(formatIP(b)) is b, and other spellings agree', () => {
    fc.assert(
      fc.property(fc.oneof(ipBytes, sparseV6), (b) => {
        const text = formatIP(b)!;
        expect(parseIP(text)).toEqual(b);
        if (b.length === 16) {
          const full = Array.from({ length: 8 }, (_, g) =>
            ((b[2 * g]! << 8) | b[2 * g + 1]!).toString(16).toUpperCase(),
          ).join(':');
          expect(canonicalizeSAN(`IP Address:${full}`)).toBe(`IP:${text}`);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('canonicalizeSAN is idempotent and ignores prefix case and spacing', () => {
    fc.assert(
      fc.property(entry, fc.boolean(), (e, upper) => {
        const canonical = canonicalizeSAN(e);
        expect(canonicalizeSAN(canonical)).toBe(canonical);
        const colon = e.indexOf(':');
        const prefix = e.slice(0, colon);
        const respelled = `${upper ? prefix.toUpperCase() : prefix.toLowerCase()} : ${e.slice(colon + 1)}`;
        expect(canonicalizeSAN(respelled)).toBe(canonical);
      }),
      { numRuns: 2000 },
    );
  });

  it('parseSANList reads back a joined list of DNS, IP and Email entries', () => {
    const simple = fc.oneof(
      fc.domain().map((d) => `DNS:${d}`),
      ipBytes.map((b) => formatGeneralName({ kind: 'ip', bytes: b })),
      fc.emailAddress().map((e) => `Email:${e}`),
    );
    fc.assert(
      fc.property(fc.array(simple, { maxLength: 8 }), (entries) => {
        expect(parseSANList(entries.join(', '))).toEqual(entries.map(canonicalizeSAN));
      }),
      { numRuns: 1000 },
    );
  });

  it('arbitrary strings throw nothing but SANSyntaxError', () => {
    const sanish = fc
      .array(
        fc.constantFrom(
          'DNS',
          'IP Address',
          'othername',
          'DirName',
          ':',
          ',',
          ' ',
          '"',
          '\\',
          '/',
          '#',
          '1',
          'a',
          '::',
          'UPN',
          '0c',
        ),
        {
          maxLength: 20,
        },
      )
      .map((p) => p.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), sanish), (s) => {
        for (const f of [canonicalizeSAN, parseSANList]) {
          try {
            f(s);
          } catch (e) {
            expect(e).toBeInstanceOf(SANSyntaxError);
          }
        }
      }),
      { numRuns: 5000 },
    );
  });
});
