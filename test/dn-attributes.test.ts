import { describe, expect, it } from 'vitest';
import {
  attributeByName,
  isDottedOid,
  KNOWN_ATTRIBUTES,
  matchRule,
  resolveAttributeType,
} from '../src/dn-attributes.js';
import { formatDN, parseDN } from '../src/index.js';

describe('the attribute type table', () => {
  it('reads every alias of every known type, in any case, and prints the one name', () => {
    for (const a of KNOWN_ATTRIBUTES) {
      for (const alias of a.aliases) {
        for (const spelling of [alias, alias.toUpperCase(), alias.toLowerCase()]) {
          const rdns = parseDN(`${spelling}=v`);
          expect(rdns).toEqual([[{ type: a.oid, value: 'v' }]]);
          expect(formatDN(rdns)).toBe(`${a.name}=v`);
        }
      }
    }
  });

  it('gives every alias to exactly one type', () => {
    const seen = new Map<string, string>();
    for (const a of KNOWN_ATTRIBUTES) {
      for (const alias of a.aliases) {
        expect(seen.get(alias.toLowerCase()) ?? a.oid).toBe(a.oid);
        seen.set(alias.toLowerCase(), a.oid);
      }
    }
    expect(attributeByName('s')?.oid).toBe('2.5.4.8');
    expect(attributeByName('sn')?.oid).toBe('2.5.4.4');
  });

  it('folds case for known types and not for unknown OIDs', () => {
    expect(matchRule('2.5.4.3')).toBe('caseIgnore');
    expect(matchRule('1.2.840.113549.1.9.1')).toBe('caseIgnore');
    expect(matchRule('0.9.2342.19200300.100.1.25')).toBe('caseIgnore');
    expect(matchRule('1.2.3.4')).toBe('caseExact');
  });

  it.each([
    ['1.2', true],
    ['0.0', true],
    ['2.5.4.3', true],
    ['1', false],
    ['1.', false],
    ['.1', false],
    ['1..2', false],
    ['1.02', false],
    ['1.2a', false],
    ['', false],
  ])('isDottedOid(%j) is %s', (text, expected) => {
    expect(isDottedOid(text)).toBe(expected);
  });

  it('resolves OID.-prefixed OIDs and refuses unknown names', () => {
    expect(resolveAttributeType('OID.1.2.3')).toBe('1.2.3');
    expect(resolveAttributeType('oid.')).toBeUndefined();
    expect(resolveAttributeType('nickname')).toBeUndefined();
  });
});
