import { describe, expect, it } from 'vitest';
import {
  type DNAttribute,
  DNSyntaxError,
  dnEquals,
  formatDN,
  parseCertificates,
  parseDN,
} from '../src/index.js';
import { endEntity } from './fixtures/pki.js';

const CN = '2.5.4.3';
const O = '2.5.4.10';
const C = '2.5.4.6';
const OU = '2.5.4.11';
const DC = '0.9.2342.19200300.100.1.25';

const at = (type: string, value: string): DNAttribute => ({ type, value });

describe('parseDN reads RFC 4514', () => {
  it('returns RDNs in encoding order, least specific first', () => {
    expect(parseDN('CN=RootCA,O=Org,C=US')).toEqual([
      [at(C, 'US')],
      [at(O, 'Org')],
      [at(CN, 'RootCA')],
    ]);
  });

  it('reads the RFC 4514 §4 examples', () => {
    expect(parseDN('UID=jsmith,DC=example,DC=net')).toEqual([
      [at(DC, 'net')],
      [at(DC, 'example')],
      [at('0.9.2342.19200300.100.1.1', 'jsmith')],
    ]);
    expect(parseDN('OU=Sales+CN=J.  Smith,DC=example,DC=net')[2]).toEqual([
      at(OU, 'Sales'),
      at(CN, 'J.  Smith'),
    ]);
    expect(parseDN('CN=James \\"Jim\\" Smith\\, III,DC=example,DC=net')[2]).toEqual([
      at(CN, 'James "Jim" Smith, III'),
    ]);
    expect(parseDN('CN=Before\\0dAfter,DC=example,DC=net')[2]).toEqual([at(CN, 'Before\rAfter')]);
    expect(parseDN('CN=Lu\\C4\\8Di\\C4\\87')).toEqual([[at(CN, 'Lučić')]]);
  });

  it('decodes a #hex value as BER and keeps the bytes', () => {
    const [[a]] = parseDN('1.3.6.1.4.1.1466.0=#04024869') as [[DNAttribute]];
    expect(a.type).toBe('1.3.6.1.4.1.1466.0');
    expect(a.value).toBe('');
    expect(Array.from(a.ber!)).toEqual([0x04, 0x02, 0x48, 0x69]);
  });

  it('gives a #hex value of a string type its text as well', () => {
    const [[a]] = parseDN('CN=#0C024869') as [[DNAttribute]];
    expect(a.value).toBe('Hi');
  });

  it('accepts type names in any case, aliases and dotted OIDs with or without "OID."', () => {
    const expected = [[at(CN, 'x')]];
    for (const s of ['cn=x', 'commonName=x', '2.5.4.3=x', 'OID.2.5.4.3=x', 'oid.2.5.4.3=x']) {
      expect(parseDN(s)).toEqual(expected);
    }
  });

  it('ignores spaces around separators but keeps inner and escaped ones', () => {
    expect(parseDN(' CN = a  b , O = x + OU = y ')).toEqual([
      [at(O, 'x'), at(OU, 'y')],
      [at(CN, 'a  b')],
    ]);
    expect(parseDN('CN=\\ a\\ ')).toEqual([[at(CN, ' a ')]]);
  });

  it('reads a "#" without hex digits as text, as OpenSSL and Node print a lone "#"', () => {
    expect(parseDN('CN=#,O=#x')).toEqual([[at(O, '#x')], [at(CN, '#')]]);
    expect(parseDN('C=US\nCN=#\nO=')).toEqual([[at(C, 'US')], [at(CN, '#')], [at(O, '')]]);
  });

  it('accepts ";" between RDNs and quoted values, as RFC 2253 readers must', () => {
    expect(parseDN('CN=a;O=b')).toEqual(parseDN('CN=a,O=b'));
    expect(parseDN('CN="Smith, John",O=x')[1]).toEqual([at(CN, 'Smith, John')]);
  });

  it('reads the empty DN', () => {
    expect(parseDN('')).toEqual([]);
  });

  it('keeps a code point outside the BMP escaped or not', () => {
    expect(parseDN('CN=\\F0\\9F\\94\\92 lock')).toEqual([[at(CN, '🔒 lock')]]);
    expect(parseDN('CN=🔒')).toEqual([[at(CN, '🔒')]]);
  });
});

describe('parseDN reads the OpenSSL slash form and the Node newline form', () => {
  const rfc = parseDN('CN=RootCA,O=Org,C=US');

  it('reads /C=US/O=Org/CN=RootCA as the same RDNs as CN=RootCA,O=Org,C=US', () => {
    expect(parseDN('/C=US/O=Org/CN=RootCA')).toEqual(rfc);
  });

  it('reads Node newline output, with or without a final line break or CR', () => {
    expect(parseDN('C=US\nO=Org\nCN=RootCA')).toEqual(rfc);
    expect(parseDN('C=US\r\nO=Org\r\nCN=RootCA\r\n')).toEqual(rfc);
  });

  it('reads "+" as a multi-valued RDN in both forms', () => {
    const expected = parseDN('OU=a+OU=b,C=US');
    expect(parseDN('/C=US/OU=a+OU=b')).toEqual(expected);
    expect(parseDN('C=US\nOU=a + OU=b')).toEqual(expected);
  });

  it('lets a backslash quote any character in the slash form and keeps commas literal', () => {
    expect(parseDN('/O=Org, Inc/CN=a\\/b')).toEqual([[at(O, 'Org, Inc')], [at(CN, 'a/b')]]);
  });

  it('reads the \\xHH octets OpenSSL -nameopt compat prints in the slash form', () => {
    expect(parseDN('/O=B\\xC3\\xBCcher/CN=x\\y')).toEqual([[at(O, 'Bücher')], [at(CN, 'xy')]]);
  });

  it('keeps commas literal in the newline form', () => {
    expect(parseDN('O=Org, Inc\nCN=x')).toEqual([[at(O, 'Org, Inc')], [at(CN, 'x')]]);
  });

  it('does not take a line break at the end for the newline form', () => {
    // RFC 4514 allows a raw line break in a value: it stays, and compares as a space.
    expect(parseDN('CN=a,O=Org\\, Inc\n')).toEqual([[at(O, 'Org, Inc\n')], [at(CN, 'a')]]);
    expect(dnEquals('CN=a,O=Org\\, Inc\n', 'CN=a,O=Org\\, Inc')).toBe(true);
    expect(parseDN('/C=US/CN=x\r\n')).toEqual([[at(C, 'US')], [at(CN, 'x')]]);
  });

  it('can be told the form explicitly', () => {
    expect(parseDN('CN=a/b', 'rfc4514')).toEqual([[at(CN, 'a/b')]]);
    expect(parseDN('C=US', 'newline')).toEqual([[at(C, 'US')]]);
  });
});

describe('parseDN rejects malformed names with a DNSyntaxError and its position', () => {
  it.each([
    ['CN', 2, /expected "="/],
    ['CN=a,', 5, /expected an attribute type/],
    ['FOO=x', 0, /unknown attribute type "FOO"/],
    ['CN=a\\', 4, /lone/],
    ['CN=\\zz', 3, /not an RFC 4514 escape/],
    ['CN=#0', 3, /even number of hex digits/],
    ['CN=#0401', 3, /not one DER element/],
    ['CN=#04024869 x', 13, /expected "\+", an RDN separator/],
    ['CN=a"b', 4, /unescaped/],
    ['CN=a<b', 4, /unescaped/],
    ['CN=\\C4', 3, /not valid UTF-8/],
    ['CN="abc', 3, /unterminated/],
    ['=x', 0, /expected an attribute type/],
    ['1=x', 0, /unknown attribute type/],
    ['2.05.4=x', 0, /unknown attribute type/],
    ['/C=US/', 6, /expected an attribute type/],
  ])('%j fails at %i', (input, position, message) => {
    let error: unknown;
    try {
      parseDN(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DNSyntaxError);
    expect((error as DNSyntaxError).position).toBe(position);
    expect((error as DNSyntaxError).message).toMatch(message);
  });

  it('refuses a non-string with a DNSyntaxError', () => {
    expect(() => parseDN(42 as unknown as string)).toThrow(DNSyntaxError);
  });
});

describe('formatDN', () => {
  it('prints most specific first with the RFC 4514 short names', () => {
    const rdns = parseDN('/C=US/ST=CA/L=SF/O=Org/OU=Eng/STREET=1 Main/DC=x/UID=u/CN=RootCA');
    expect(formatDN(rdns)).toBe('CN=RootCA,UID=u,DC=x,STREET=1 Main,OU=Eng,O=Org,L=SF,ST=CA,C=US');
  });

  it('prints the other known types by their OpenSSL short names and unknown ones as OIDs', () => {
    const rdns = parseDN(
      'emailAddress=a@b,serialNumber=1,SN=s,GN=g,title=t,2.5.4.99=z,organizationIdentifier=VAT',
    );
    expect(formatDN(rdns)).toBe(
      'emailAddress=a@b,serialNumber=1,SN=s,GN=g,title=t,2.5.4.99=z,organizationIdentifier=VAT',
    );
  });

  it('escapes what RFC 4514 §2.4 requires, and control characters', () => {
    const value = '#a "b"+c,d;e<f>g\\h\u0000\n ';
    expect(formatDN([[at(CN, value)]])).toBe('CN=\\#a \\"b\\"\\+c\\,d\\;e\\<f\\>g\\\\h\\00\\0A\\ ');
    expect(formatDN([[at(CN, ' lead')]])).toBe('CN=\\ lead');
    expect(formatDN([[at(CN, 'a#b=c')]])).toBe('CN=a#b=c');
  });

  it('escapes C1 controls and line separators as their UTF-8 octets, and reads them back', () => {
    const value = 'a\u009bb\u2028c\u2029d\u0085';
    const text = formatDN([[at(CN, value)]]);
    expect(text).toBe('CN=a\\C2\\9Bb\\E2\\80\\A8c\\E2\\80\\A9d\\C2\\85');
    expect(parseDN(text)).toEqual([[at(CN, value)]]);
  });

  it('prints a value kept as BER in upper-case hex', () => {
    expect(formatDN(parseDN('1.2.3.4=#0403010203'))).toBe('1.2.3.4=#0403010203');
    expect(formatDN(parseDN('CN=#0c0141'))).toBe('CN=#0C0141');
  });

  it('round-trips what it prints', () => {
    const s = 'CN=James \\"Jim\\" Smith\\, III+UID=j,OU=\\#1\\ ,O=Lučić,C=US';
    expect(formatDN(parseDN(s))).toBe(s);
  });

  it('prints the empty DN as the empty string', () => {
    expect(formatDN([])).toBe('');
  });

  it('is what Certificate.subject holds for a generated certificate', async () => {
    // @peculiar/x509 encodes RDNs in the order written, so write encoding order here.
    const leaf = await endEntity('x', { subject: 'C=US,O=Org,CN=Jim\\, Jr.+OU=7' });
    const [cert] = parseCertificates(leaf.der);
    expect(parseDN(cert!.subject)).toEqual(cert!.subjectName);
    expect(cert!.subject).toMatch(/^(CN=Jim\\, Jr\.\+OU=7|OU=7\+CN=Jim\\, Jr\.),O=Org,C=US$/);
  });
});
