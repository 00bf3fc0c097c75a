/**
 * Review finding: a certificate's decoded subject was a plain array. Reversing it in place
 * (or changing an attribute) before a rule normalized the name filed the wrong normalized
 * form under the name's DER, for every certificate carrying that name. Decoded names are
 * now frozen, issuer and subject alike, the long and odd ones included.
 */
import { describe, expect, it } from 'vitest';
import { Certificate, compileRule, ruleContext } from '../../src/index.js';
import type { DNAttribute, RDN } from '../../src/rdn.js';
import { ca, endEntity } from '../fixtures/pki.js';

describe('the decoded names of a certificate', () => {
  it('cannot be changed in place, so a rule on another certificate reads the true name', async () => {
    const issuing = await ca('Issuing CA', { subject: 'O=Org,CN=Issuing CA' });
    const caCert = Certificate.fromDER(new Uint8Array(issuing.der));
    const subject = caCert.subjectName as RDN[];
    expect(() => subject.reverse()).toThrow(TypeError);
    expect(() => {
      (subject[0] as DNAttribute[]).push({ type: '2.5.4.3', value: 'x' });
    }).toThrow(TypeError);
    expect(() => {
      (subject[0]![0] as { value: string }).value = 'Evil Org';
    }).toThrow(TypeError);
    expect(compileRule('DN == "cn=issuing ca, o=org"').evaluate(ruleContext(caCert))).toBe(true);
    const leaf = Certificate.fromDER(
      new Uint8Array((await endEntity('leaf', { issuer: issuing })).der),
    );
    expect(compileRule('ISSUER == "cn=issuing ca,o=org"').evaluate(ruleContext(leaf))).toBe(true);
  });

  it('freezes an issuer name the memo does not share (long, or with a non-string value)', async () => {
    const long = await ca('Long', { subject: `O=${'x'.repeat(600)},CN=Long CA` });
    const odd = await ca('Odd', { subject: 'O=Org,CN=Odd CA,1.2.3.4=#04024869' });
    for (const issuer of [long, odd]) {
      const leaf = Certificate.fromDER(new Uint8Array((await endEntity('leaf', { issuer })).der));
      expect(Object.isFrozen(leaf.issuerName)).toBe(true);
      expect(
        leaf.issuerName.every((rdn) => Object.isFrozen(rdn) && rdn.every(Object.isFrozen)),
      ).toBe(true);
    }
  });
});
