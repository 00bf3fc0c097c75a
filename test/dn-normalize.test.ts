import { describe, expect, it } from 'vitest';
import {
  attributeOid,
  DNSyntaxError,
  dnAttribute,
  dnEquals,
  dnIsWithin,
  normalizeDN,
  parseCertificates,
  parseDN,
} from '../src/index.js';
import { endEntity } from './fixtures/pki.js';

describe('normalizeDN', () => {
  it('gives one string for the RFC 4514, slash and newline spellings of a name', () => {
    const expected = 'CN=rootca,O=org,C=us';
    expect(normalizeDN('CN=RootCA,O=Org,C=US')).toBe(expected);
    expect(normalizeDN('/C=US/O=Org/CN=RootCA')).toBe(expected);
    expect(normalizeDN('C=US\nO=Org\nCN=RootCA\n')).toBe(expected);
    expect(normalizeDN('commonName = ROOTCA ; o=org, 2.5.4.6=us')).toBe(expected);
  });

  it('removes leading and trailing spaces and squeezes inner runs (RFC 4518 §2.6.1)', () => {
    expect(normalizeDN('CN=\\  a   b \\ ')).toBe('CN=a b');
    expect(dnEquals('CN=J.  Smith', 'CN=j. smith')).toBe(true);
  });

  it('maps tabs, line breaks and no-break spaces to spaces and drops zero-width characters (§2.2)', () => {
    expect(normalizeDN('CN=a\\09b\\0Ac\u00a0d\u3000e')).toBe('CN=a b c d e');
    expect(normalizeDN('CN=a\u00adb\u200bc\ufeffd')).toBe('CN=abcd');
  });

  it('applies NFKC, so composed, decomposed and compatibility forms are equal (§2.3)', () => {
    expect(dnEquals('CN=caf\u00e9', 'CN=cafe\u0301')).toBe(true);
    expect(dnEquals('CN=\uff21\uff22', 'CN=ab')).toBe(true);
    expect(dnEquals('CN=\ufb01le', 'CN=file')).toBe(true);
  });

  it('folds case beyond ASCII', () => {
    expect(dnEquals('CN=STRASSE', 'CN=straße')).toBe(true);
    expect(dnEquals('CN=ΣΊΣΥΦΟΣ', 'CN=σίσυφος')).toBe(true);
    expect(dnEquals('CN=ÉCOLE', 'CN=école')).toBe(true);
  });

  it('is idempotent even where NFKC produces upper case or spaces', () => {
    for (const s of ['CN=\u2121', 'CN=a\u00a8', 'CN=\u2163x', 'O=\u1e9b\u0323']) {
      const once = normalizeDN(s);
      expect(normalizeDN(once)).toBe(once);
    }
    expect(normalizeDN('CN=\u2121')).toBe('CN=tel');
  });

  it('compares values of unknown attribute types case-sensitively', () => {
    expect(dnEquals('1.2.3.4=Abc', '1.2.3.4=abc')).toBe(false);
    expect(dnEquals('1.2.3.4= Abc  d', '1.2.3.4=Abc d')).toBe(true);
  });

  it('orders the attributes of a multi-valued RDN', () => {
    expect(normalizeDN('OU=Sales+CN=J. Smith,DC=example')).toBe('CN=j. smith+OU=sales,DC=example');
    expect(dnEquals('CN=a+OU=b,O=x', 'OU=B+CN=A,O=X')).toBe(true);
  });

  it('does not treat different structures as equal', () => {
    expect(dnEquals('CN=a+OU=b', 'CN=a,OU=b')).toBe(false);
    expect(dnEquals('CN=a,O=b', 'O=b,CN=a')).toBe(false);
    expect(dnEquals('CN=a', 'O=a')).toBe(false);
    expect(dnEquals('CN=a,O=b', 'CN=a')).toBe(false);
    expect(dnEquals('CN=a\\,b', 'CN=a,CN=b')).toBe(false);
  });

  it('compares a #hex value of a string type as its text, and other values as hex', () => {
    expect(dnEquals('CN=#0C024869', 'CN=hi')).toBe(true);
    expect(dnEquals('CN=#13024869', 'cn=HI')).toBe(true);
    expect(normalizeDN('1.2.3=#04024869')).toBe('1.2.3=#04024869');
    expect(dnEquals('1.2.3=#04024869', '1.2.3=#04024869')).toBe(true);
    expect(dnEquals('1.2.3=#04024869', '1.2.3=Hi')).toBe(false);
  });

  it('escapes canonically, so differently escaped spellings are equal', () => {
    expect(normalizeDN('CN=a\\2Cb')).toBe('CN=a\\,b');
    expect(dnEquals('CN="a,b"', 'CN=a\\,b')).toBe(true);
    expect(dnEquals('CN=\\4a\\6Fe', 'CN=joe')).toBe(true);
    expect(normalizeDN('CN=\\#x')).toBe('CN=\\#x');
  });

  it('reads the DER of a Name and RDN arrays', async () => {
    const leaf = await endEntity('x', { subject: 'C=US,O=Org,CN=Test Client' });
    const [cert] = parseCertificates(leaf.der);
    expect(normalizeDN(cert!.subjectDer)).toBe('CN=test client,O=org,C=us');
    expect(normalizeDN(cert!.subjectName)).toBe('CN=test client,O=org,C=us');
    expect(dnEquals(cert!.subjectDer, 'cn=TEST CLIENT, o=ORG, c=us')).toBe(true);
  });

  it('normalizes the empty DN to the empty string', () => {
    expect(normalizeDN('')).toBe('');
    expect(normalizeDN([])).toBe('');
  });

  it('throws DNSyntaxError for malformed strings, bad DER and other inputs', () => {
    expect(() => normalizeDN('CN')).toThrow(DNSyntaxError);
    expect(() => normalizeDN(new Uint8Array([0x30, 0x05, 0x31]))).toThrow(DNSyntaxError);
    expect(() => normalizeDN(42 as unknown as string)).toThrow(DNSyntaxError);
    expect(() => dnEquals('CN=a', 'nonsense')).toThrow(DNSyntaxError);
  });
});

describe('dnAttribute', () => {
  it('returns the values of a type, most specific first, by any spelling of the type', () => {
    const dn = 'CN=leaf,OU=b,OU=a,O=Org,C=US';
    expect(dnAttribute(dn, 'CN')).toEqual(['leaf']);
    expect(dnAttribute(dn, 'ou')).toEqual(['b', 'a']);
    expect(dnAttribute(dn, 'organizationalUnitName')).toEqual(['b', 'a']);
    expect(dnAttribute(dn, '2.5.4.6')).toEqual(['US']);
    expect(dnAttribute(dn, 'L')).toEqual([]);
  });

  it('reads multi-valued RDNs, RDN arrays and emailAddress under its aliases', () => {
    const rdns = parseDN('/C=US/CN=a+emailAddress=a@b.example');
    expect(dnAttribute(rdns, 'EMAIL')).toEqual(['a@b.example']);
    expect(dnAttribute(rdns, 'E')).toEqual(['a@b.example']);
    expect(dnAttribute(rdns, 'CN')).toEqual(['a']);
  });

  it('returns a value without a string form as #hex', () => {
    expect(dnAttribute('1.2.3=#04024869', '1.2.3')).toEqual(['#04024869']);
    expect(dnAttribute('CN=#0C024869', 'CN')).toEqual(['Hi']);
  });

  it('refuses an unknown type name', () => {
    expect(() => dnAttribute('CN=a', 'nickname')).toThrow(DNSyntaxError);
  });

  it('resolves type names to OIDs', () => {
    expect(attributeOid('cn')).toBe('2.5.4.3');
    expect(attributeOid('emailAddress')).toBe('1.2.840.113549.1.9.1');
    expect(attributeOid('OID.1.2.3')).toBe('1.2.3');
    expect(attributeOid('nickname')).toBeUndefined();
  });
});

describe('dnIsWithin', () => {
  it('is true when the base RDNs lead the name, compared as dnEquals compares', () => {
    expect(dnIsWithin('CN=leaf,OU=Eng,O=Org,C=US', 'o=ORG, c=us')).toBe(true);
    expect(dnIsWithin('/C=US/O=Org/OU=Eng', '/C=US/O=Org/OU=Eng')).toBe(true);
    expect(dnIsWithin('CN=x', '')).toBe(true);
  });

  it('is false for a sibling, a longer base or a base that only ends the name', () => {
    expect(dnIsWithin('CN=leaf,O=Other,C=US', 'O=Org,C=US')).toBe(false);
    expect(dnIsWithin('O=Org,C=US', 'CN=leaf,O=Org,C=US')).toBe(false);
    expect(dnIsWithin('CN=leaf,O=Org,C=US', 'CN=leaf')).toBe(false);
  });

  it('compares multi-valued RDNs as sets', () => {
    expect(dnIsWithin('CN=x,OU=a+OU=b,C=US', 'OU=B+OU=A,C=US')).toBe(true);
    expect(dnIsWithin('CN=x,OU=a+OU=b,C=US', 'OU=a,C=US')).toBe(false);
  });

  it('accepts RDNs written by hand with type names instead of OIDs when normalizing', () => {
    expect(normalizeDN([[{ type: 'CN', value: 'X' }]])).toBe('CN=x');
  });
});

describe('case folding beyond ASCII', () => {
  it('keeps the dotless ı apart from i, as RFC 3454 table B.2 does', () => {
    expect(dnEquals('CN=admın', 'CN=admin')).toBe(false);
    expect(dnEquals('CN=ADMIN', 'CN=admin')).toBe(true);
    expect(dnEquals('CN=Straße', 'CN=STRASSE')).toBe(true);
  });
});
