import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DNAttribute,
  DNSyntaxError,
  dnEquals,
  formatDN,
  normalizeDN,
  parseDN,
  type RDN,
} from '../../src/index.js';

const KNOWN = ['2.5.4.3', '2.5.4.10', '2.5.4.11', '2.5.4.6', '0.9.2342.19200300.100.1.25'];

// Values stress the escaping: specials, spaces at the ends, '#', controls and non-ASCII.
const valueChar = fc.oneof(
  fc.constantFrom(
    ',',
    '+',
    '"',
    '\\',
    '<',
    '>',
    ';',
    '#',
    '=',
    ' ',
    '/',
    '\n',
    '\u0000',
    'é',
    '🔒',
  ),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const value = fc.array(valueChar, { maxLength: 12 }).map((cs) => cs.join(''));
const oid = fc
  .array(fc.nat({ max: 40_000 }), { minLength: 1, maxLength: 5 })
  .map((arcs) => `1.3.${arcs.join('.')}`);
const octetString = fc
  .uint8Array({ maxLength: 20 })
  .map((b) => Uint8Array.from([0x04, b.length, ...b]));

const attribute: fc.Arbitrary<DNAttribute> = fc.oneof(
  fc.record({ type: fc.constantFrom(...KNOWN), value }),
  fc.record({ type: oid, value }),
  fc.record({ type: oid, value: fc.constant(''), ber: octetString }),
);
const rdns: fc.Arbitrary<RDN[]> = fc.array(fc.array(attribute, { minLength: 1, maxLength: 3 }), {
  maxLength: 5,
});

// Plain names for the variation properties: known caseIgnore types, letters and inner spaces.
const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,7}$/);
const plainValue = fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(' '));
const plainRdns = fc.array(
  fc.array(fc.record({ type: fc.constantFrom(...KNOWN), value: plainValue }), {
    minLength: 1,
    maxLength: 2,
  }),
  { minLength: 1, maxLength: 5 },
);

/** Re-spells a plain name: random case, extra spaces, hex escapes, any separator style. */
function variant(name: RDN[], seed: number[]): string {
  let k = 0;
  const next = () => seed[k++ % seed.length]!;
  const spell = (a: DNAttribute) => {
    let v = '';
    for (const ch of a.value) {
      const r = next() % 5;
      const c = r === 0 ? ch.toUpperCase() : r === 1 ? ch.toLowerCase() : ch;
      if (r === 2) v += `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
      else if (c === ' ' && r === 3) v += '   ';
      else v += c;
    }
    const type = next() % 2 ? formatDN([[{ type: a.type, value: '' }]]).slice(0, -1) : a.type;
    return `${next() % 2 ? ' ' : ''}${type.toLowerCase()} = ${next() % 2 ? '\\ ' : ''}${v}  `;
  };
  const rdnTexts = name.map((rdn) => [...rdn].reverse().map(spell).join('+'));
  if (next() % 2) return `/${rdnTexts.join('/')}`;
  return rdnTexts.reverse().join(next() % 2 ? ',' : ';');
}

describe('DN properties', () => {
  it('parseDN(formatDN(x)) equals x', () => {
    fc.assert(
      fc.property(rdns, (x) => {
        expect(parseDN(formatDN(x))).toEqual(x);
      }),
      { numRuns: 2000 },
    );
  });

  it('normalizeDN is idempotent and agrees across strings, RDNs and re-parsing', () => {
    fc.assert(
      fc.property(rdns, (x) => {
        const n = normalizeDN(x);
        expect(normalizeDN(n)).toBe(n);
        expect(normalizeDN(formatDN(x))).toBe(n);
        expect(dnEquals(x, n)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('case, space and escape variations of one name are equal', () => {
    fc.assert(
      fc.property(plainRdns, fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), (x, seed) => {
        const spelled = variant(x, seed);
        expect(dnEquals(spelled, formatDN(x))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('a changed value or a dropped RDN makes names different', () => {
    fc.assert(
      fc.property(plainRdns, fc.nat(), (x, i) => {
        const at = i % x.length;
        const changed = x.map((rdn, j) =>
          j === at ? [{ ...rdn[0]!, value: `${rdn[0]!.value}x` }, ...rdn.slice(1)] : rdn,
        );
        expect(dnEquals(changed, x)).toBe(false);
        expect(dnEquals(x.slice(0, -1), x)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('arbitrary strings and bytes throw nothing but DNSyntaxError', () => {
    const dnish = fc
      .array(
        fc.constantFrom(
          'CN',
          'o',
          '=',
          ',',
          '+',
          ';',
          '/',
          '\n',
          '\\',
          '#',
          '"',
          ' ',
          '0c',
          '41',
          'é',
          '2.5',
        ),
        {
          maxLength: 30,
        },
      )
      .map((parts) => parts.join(''));
    const check = (input: string | Uint8Array) => {
      try {
        normalizeDN(input);
      } catch (e) {
        expect(e).toBeInstanceOf(DNSyntaxError);
      }
    };
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary' }), dnish), check), {
      numRuns: 5000,
    });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), check), { numRuns: 2000 });
  });

  it('handles long adversarial inputs in one pass', () => {
    // Inputs that make backtracking parsers blow up; a linear scanner answers at once.
    const inputs = [
      `CN=${'\\'.repeat(200_001)}`,
      `CN=${'\\20'.repeat(100_000)}x`,
      `${'CN=a+'.repeat(50_000)}CN=a`,
      `CN=#${'0'.repeat(200_001)}`,
      `/${'CN=a/'.repeat(50_000)}`,
      `CN=${' '.repeat(200_000)},`,
    ];
    const outcomes = inputs.map((input) => {
      try {
        return normalizeDN(input).length;
      } catch (e) {
        return e instanceof DNSyntaxError ? 'syntax' : 'other';
      }
    });
    expect(outcomes).toEqual([
      'syntax',
      'CN=x'.length,
      expect.any(Number),
      'syntax',
      'syntax',
      'syntax',
    ]);
  });
});

describe('DN properties on DER', () => {
  it('corrupted Name DER throws nothing but DNSyntaxError', () => {
    // A valid Name with a multi-valued RDN, a UTF8String and a BMPString to mutate.
    const valid = Uint8Array.from([
      0x30, 0x2a, 0x31, 0x0b, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x06, 0x13, 0x02, 0x55, 0x53,
      0x31, 0x1b, 0x30, 0x0a, 0x06, 0x03, 0x55, 0x04, 0x0a, 0x0c, 0x03, 0x4f, 0x72, 0x67, 0x30,
      0x0d, 0x06, 0x03, 0x55, 0x04, 0x03, 0x1e, 0x06, 0x00, 0x41, 0x00, 0xe9, 0x00, 0x21,
    ]);
    expect(normalizeDN(valid)).toBe('CN=aé!+O=org,C=us');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.nat({ max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (edits) => {
          const bytes = valid.slice();
          for (const [i, b] of edits) bytes[i] = b;
          try {
            normalizeDN(bytes);
          } catch (e) {
            expect(e).toBeInstanceOf(DNSyntaxError);
          }
        },
      ),
      { numRuns: 5000 },
    );
  });
});
