import { describe, expect, it } from 'vitest';
import { normalizeDN } from '../../src/index.js';
import { decodeIssuerNameContents, decodeName } from '../../src/name-der.js';
import { normalizedNameOf } from '../../src/rules/name-cache.js';

const normal = (der: Uint8Array) => normalizedNameOf(der, decodeName(der));

/** DER of a Name with one CN (short-form lengths are enough for these names). */
function nameDer(cn: string): Uint8Array {
  const value = new TextEncoder().encode(cn);
  const atv = [
    0x30,
    5 + 2 + value.length,
    0x06,
    0x03,
    0x55,
    0x04,
    0x03,
    0x0c,
    value.length,
    ...value,
  ];
  const set = [0x31, atv.length, ...atv];
  return new Uint8Array([0x30, set.length, ...set]);
}

describe('the DER-keyed name cache', () => {
  it('returns what normalizeDN returns, on a miss and on a hit', () => {
    const der = nameDer('Svc  API');
    expect(normal(der)).toBe(normalizeDN(der));
    expect(normal(nameDer('Svc  API'))).toBe('CN=svc api');
  });

  it('stays correct past its capacity, when it starts over', () => {
    for (let i = 0; i < 3000; i++) {
      expect(normal(nameDer(`Client ${i}`))).toBe(`CN=client ${i}`);
    }
    expect(normal(nameDer('Client 7'))).toBe('CN=client 7');
  });

  it('tells apart names that differ in one byte', () => {
    expect(normal(nameDer('a'))).not.toBe(normal(nameDer('b')));
  });

  it('answers a shared decoded name by the name itself, the same as by its DER', () => {
    const der = nameDer('Issuing CA');
    // Shared: from the issuer memo, as a certificate's issuerName is (contents after 30 len).
    const shared = decodeIssuerNameContents(der, 2, der.length);
    expect(normalizedNameOf(der, shared)).toBe('CN=issuing ca');
    // Remembered on the object: the second call does not read the DER (callers pass a name's
    // own DER and decode; a mismatched pair here shows which one answers).
    expect(normalizedNameOf(nameDer('Something else'), shared)).toBe('CN=issuing ca');
    expect(normalizedNameOf(der, decodeName(der))).toBe('CN=issuing ca');
  });

  it('reads the DER of a name its caller froze: frozen is not shared', () => {
    const der = nameDer('Frozen CA');
    const frozen = Object.freeze(decodeName(der).map((rdn) => Object.freeze(rdn)));
    expect(normalizedNameOf(der, frozen)).toBe('CN=frozen ca');
    const other = nameDer('Something else');
    expect(normalizedNameOf(other, decodeName(other))).toBe('CN=something else');
    // Not remembered on the object: the DER answers, from the cache.
    expect(normalizedNameOf(other, frozen)).toBe('CN=something else');
  });
});
