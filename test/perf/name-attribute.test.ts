/**
 * mostSpecificAttributeText (the rule fields O, OU … read from the subject's DER) and the
 * commonName position checkNameContents finds at parse time (Certificate.commonName, a rule's
 * CN) against the attribute a full decode gives (dnAttribute over the decoded Name).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Certificate } from '../../src/certificate.js';
import { attributeText, dnAttribute, mostSpecificAttributeText } from '../../src/dn.js';
import {
  attributeValueAt,
  checkNameContents,
  decodeNameContents,
  OID_COMMON_NAME,
} from '../../src/name-der.js';
import { ATTRIBUTE_OIDS, nameContents, nameDer, tlv } from '../fixtures/name-der-arbitrary.js';
import { endEntity } from '../fixtures/pki.js';

const OIDS = [...Object.keys(ATTRIBUTE_OIDS), '2.5.4.7'];

/** The decoded RDNs, or `undefined` for a Name the parse refuses before any rule reads it. */
function decoded(contents: Uint8Array): ReturnType<typeof decodeNameContents> | undefined {
  try {
    return decodeNameContents(contents, 0, contents.length);
  } catch {
    return undefined;
  }
}

describe('mostSpecificAttributeText', () => {
  it('gives the most specific value a full decode gives, for every name that decodes', () => {
    let compared = 0;
    fc.assert(
      fc.property(nameContents, (contents) => {
        const rdns = decoded(contents);
        if (rdns === undefined) return;
        const der = nameDer(contents);
        for (const oid of OIDS) {
          expect(mostSpecificAttributeText(der, oid)).toBe(dnAttribute(rdns, oid)[0]);
          compared++;
        }
      }),
      { numRuns: 4000 },
    );
    expect(compared).toBeGreaterThan(4000);
  });

  it('takes the last RDN holding the type, and the first such attribute within it', () => {
    const atv = (oid: number[], text: string) =>
      tlv(0x30, [...tlv(0x06, oid), ...tlv(0x0c, [...Buffer.from(text)])]);
    const cn = [0x55, 0x04, 0x03];
    const o = [0x55, 0x04, 0x0a];
    const der = Uint8Array.from(
      tlv(0x30, [
        ...tlv(0x31, atv(cn, 'outer')),
        ...tlv(0x31, [...atv(o, 'org'), ...atv(cn, 'first'), ...atv(cn, 'second')]),
        ...tlv(0x31, atv(o, 'last-org')),
      ]),
    );
    expect(mostSpecificAttributeText(der, '2.5.4.3')).toBe('first');
    expect(mostSpecificAttributeText(der, '2.5.4.10')).toBe('last-org');
    expect(mostSpecificAttributeText(der, '2.5.4.6')).toBeUndefined();
  });

  it('writes a value without a string form as #hex, as formatDN does', () => {
    const der = Uint8Array.from(
      tlv(0x30, tlv(0x31, tlv(0x30, [...tlv(0x06, [0x2a, 0x03]), ...tlv(0x04, [0x48, 0x69])]))),
    );
    expect(mostSpecificAttributeText(der, '1.2.3')).toBe('#04024869');
  });
});

/** The commonName at the position checkNameContents returns, as Certificate.commonName reads it. */
function commonNameAt(contents: Uint8Array): string | undefined {
  const at = checkNameContents(contents, 0, contents.length);
  return at < 0
    ? undefined
    : attributeText(attributeValueAt(contents, at, contents.length, OID_COMMON_NAME));
}

describe('the commonName position found at parse time', () => {
  it('reads the most specific commonName a full decode gives, for every name that decodes', () => {
    let withCn = 0;
    fc.assert(
      fc.property(nameContents, (contents) => {
        const rdns = decoded(contents);
        if (rdns === undefined) return;
        const expected = dnAttribute(rdns, OID_COMMON_NAME)[0];
        expect(commonNameAt(contents)).toBe(expected);
        if (expected !== undefined) withCn++;
      }),
      { numRuns: 4000 },
    );
    expect(withCn).toBeGreaterThan(60); // ~3% of runs: most arbitrary values do not decode
  });

  it('takes the last RDN holding a commonName, the first one within it', () => {
    const atv = (oid: number[], text: string) =>
      tlv(0x30, [...tlv(0x06, oid), ...tlv(0x0c, [...Buffer.from(text)])]);
    const cn = [0x55, 0x04, 0x03];
    const o = [0x55, 0x04, 0x0a];
    const contents = Uint8Array.from([
      ...tlv(0x31, atv(cn, 'outer')),
      ...tlv(0x31, [...atv(o, 'org'), ...atv(cn, 'first'), ...atv(cn, 'second')]),
      ...tlv(0x31, atv(o, 'last-org')),
    ]);
    expect(commonNameAt(contents)).toBe('first');
    expect(commonNameAt(Uint8Array.from(tlv(0x31, atv(o, 'org'))))).toBeUndefined();
  });

  it('is what Certificate.commonName and a rule context read, on generated certificates', async () => {
    const cases: [string, string | undefined][] = [
      ['C=US,O=Org,CN=svc-api', 'svc-api'],
      ['CN=outer,O=Org,CN=inner', 'inner'],
      ['C=US,O=Org+CN=in-rdn', 'in-rdn'],
      ['C=DE,O=Org,CN=Dienst Müller', 'Dienst Müller'],
      ['C=US,O=Org', undefined],
    ];
    for (const [subject, expected] of cases) {
      const cert = Certificate.fromDER((await endEntity('x', { subject })).der);
      expect(cert.commonName).toBe(expected);
      expect(cert.commonName).toBe(dnAttribute(cert.subjectName, OID_COMMON_NAME)[0]);
    }
  });
});
