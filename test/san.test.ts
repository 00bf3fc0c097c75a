import { describe, expect, it } from 'vitest';
import {
  canonicalizeSAN,
  formatGeneralName,
  parseCertificates,
  parseSANList,
  SANSyntaxError,
} from '../src/index.js';
import { endEntity } from './fixtures/pki.js';

describe('Certificate.subjectAltNames', () => {
  it('holds the canonical spelling of every kind, in certificate order, duplicates kept', async () => {
    const leaf = await endEntity('x', {
      san: [
        { type: 'dns', value: 'API.Example.com' },
        { type: 'ip', value: '10.0.0.1' },
        { type: 'ip', value: '2001:DB8:0:0:0:0:0:1' },
        { type: 'email', value: 'Jane.Doe@EXAMPLE.com' },
        { type: 'url', value: 'spiffe://Example.org/ns/Prod' },
        { type: 'dn', value: 'CN=Dir\\, Name,O=Org' },
        { type: 'id', value: '1.2.3.4' },
        { type: 'upn', value: 'jane@corp.example' },
        { type: 'guid', value: '8ee13e53-2c1c-42bb-8df7-39927c0bdbb6' },
        { type: 'dns', value: 'API.Example.com' },
      ],
    });
    const [cert] = parseCertificates(leaf.der);
    expect(cert!.subjectAltNames).toEqual([
      'DNS:api.example.com',
      'IP:10.0.0.1',
      'IP:2001:db8::1',
      'Email:Jane.Doe@example.com',
      'URI:spiffe://Example.org/ns/Prod',
      // @peculiar/x509 encodes the RDNs in the order written; formatDN prints them reversed.
      'DirName:O=Org,CN=Dir\\, Name',
      'RID:1.2.3.4',
      'othername:UPN:jane@corp.example',
      // A GUID otherName: Microsoft's mixed-endian byte order.
      'othername:1.3.6.1.4.1.311.25.1:#0410533EE18E1C2CBB428DF739927C0BDBB6',
      'DNS:api.example.com',
    ]);
  });
});

describe('formatGeneralName', () => {
  it('prints IPv4-mapped IPv6 in mixed notation and keeps it IPv6', () => {
    const bytes = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1]);
    expect(formatGeneralName({ kind: 'ip', bytes })).toBe('IP:::ffff:192.0.2.1');
  });

  it('prints a name-constraint range as CIDR and an odd length as hex', () => {
    expect(
      formatGeneralName({ kind: 'ip', bytes: new Uint8Array([10, 0, 0, 0, 255, 0, 0, 0]) }),
    ).toBe('IP:10.0.0.0/8');
    expect(formatGeneralName({ kind: 'ip', bytes: new Uint8Array([1, 2, 3]) })).toBe('IP:#010203');
  });

  it('prints a DirName whose RDNs are malformed as hex instead of throwing', () => {
    const der = Uint8Array.from([0x30, 0x03, 0x31, 0x01, 0x00]);
    expect(formatGeneralName({ kind: 'dirName', der })).toBe('DirName:#3003310100');
  });

  it('drops one trailing dot from a DNS name and keeps wildcards', () => {
    expect(formatGeneralName({ kind: 'dns', value: 'A.Example.' })).toBe('DNS:a.example');
    expect(formatGeneralName({ kind: 'dns', value: '*.Example' })).toBe('DNS:*.example');
  });

  it('prints unknown otherNames, a UPN that is not a UTF8String, and X.400/EDI names as hex', () => {
    const upnAsIa5 = new Uint8Array([0x16, 0x01, 0x61]);
    expect(
      formatGeneralName({ kind: 'otherName', typeId: '1.3.6.1.4.1.311.20.2.3', value: upnAsIa5 }),
    ).toBe('othername:1.3.6.1.4.1.311.20.2.3:#160161');
    expect(formatGeneralName({ kind: 'x400Address', der: new Uint8Array([0xa3, 0x00]) })).toBe(
      'X400Name:#A300',
    );
    expect(formatGeneralName({ kind: 'ediPartyName', der: new Uint8Array([0xa5, 0x00]) })).toBe(
      'EdiPartyName:#A500',
    );
  });
});

describe('canonicalizeSAN', () => {
  it.each([
    ['DNS:api.example.com', 'DNS:api.example.com'],
    ['dns:API.Example.COM.', 'DNS:api.example.com'],
    ['DNS Name: a.example', 'DNS:a.example'],
    ['IP Address:10.0.0.1', 'IP:10.0.0.1'],
    ['ip: 2001:DB8:0:0:0:0:0:1', 'IP:2001:db8::1'],
    ['IP Address:0:0:0:0:0:FFFF:102:304', 'IP:::ffff:1.2.3.4'],
    ['IP:2001:db8::/32', 'IP:2001:db8::/32'],
    ['email:Jane@EXAMPLE.com', 'Email:Jane@example.com'],
    ['Email:Jane@example.com', 'Email:Jane@example.com'],
    ['E-mail:a@B', 'Email:a@b'],
    ['URI:https://Example.com/A', 'URI:https://Example.com/A'],
    ['uri :  spiffe://x/y ', 'URI:spiffe://x/y'],
    ['DirName:/C=US/O=Org/CN=x', 'DirName:CN=x,O=Org,C=US'],
    ['dirname:cn=x, o=Org', 'DirName:CN=x,O=Org'],
    ['Registered ID:1.2.3.4', 'RID:1.2.3.4'],
    ['DNS:Bücher.example', 'DNS:xn--bcher-kva.example'],
    ['DNS:*.bücher.example.', 'DNS:*.xn--bcher-kva.example'],
    ['email:Jürgen@Bücher.Example', 'Email:Jürgen@xn--bcher-kva.example'],
    ['othername: UPN::jane@corp', 'othername:UPN:jane@corp'],
    ['othername:UPN:jane@corp', 'othername:UPN:jane@corp'],
    ['othername:1.3.6.1.4.1.311.20.2.3:#0C0161', 'othername:UPN:a'],
    ['othername:1.2.3:#0401ff', 'othername:1.2.3:#0401FF'],
  ])('%j → %j', (input, expected) => {
    expect(canonicalizeSAN(input)).toBe(expected);
  });

  it('is idempotent on its own output', () => {
    for (const s of ['DNS:a', 'IP:::1', 'Email:a@b', 'DirName:CN=a\\,b', 'othername:UPN:x']) {
      expect(canonicalizeSAN(canonicalizeSAN(s))).toBe(canonicalizeSAN(s));
    }
  });

  it.each([
    ['foo:bar', /unknown SAN prefix "foo"/],
    ['no prefix', /no "type:" prefix/],
    ['IP:1.2.3', /bad IP address/],
    ['IP:010.0.0.1', /bad IP address/],
    ['IP:1::2::3', /bad IP address/],
    ['DNS:', /bad DNS name/],
    ['DNS:a b', /bad DNS name/],
    ['RID:1', /bad registered ID/],
    ['DNS:bücher.example:443', /bad domain/],
    ['Email:a@bücher.example/x', /bad domain/],
    ['DirName:CN', /bad DirName/],
    ['othername:nickname:x', /unknown othername type/],
    ['othername:1.2.3:plain', /needs a "#hex" value/],
    ['othername:1.2.3:#0', /bad hex value/],
  ])('rejects %j with a SANSyntaxError', (input, message) => {
    expect(() => canonicalizeSAN(input)).toThrow(SANSyntaxError);
    expect(() => canonicalizeSAN(input)).toThrow(message);
  });
});

describe('parseSANList', () => {
  it('splits OpenSSL output, including a DirName with commas in slash form', () => {
    const text =
      'DNS:a.example, IP Address:2001:DB8:0:0:0:0:0:1, email:u@Ex.com, URI:https://x/y?a=1,b, othername: UPN::upn@x, DirName:/CN=dir, x/O=o, Registered ID:1.2.3.4';
    expect(parseSANList(text)).toEqual([
      'DNS:a.example',
      'IP:2001:db8::1',
      'Email:u@ex.com',
      'URI:https://x/y?a=1,b',
      'othername:UPN:upn@x',
      'DirName:O=o,CN=dir\\, x',
      'RID:1.2.3.4',
    ]);
  });

  it('decodes the JSON-quoted values Node prints', () => {
    expect(parseSANList('DNS:a, DirName:"O=o\\u002cCN=dir\\\\\\u002c x", URI:"x,y"')).toEqual([
      'DNS:a',
      'DirName:O=o,CN=dir\\, x',
      'URI:x,y',
    ]);
  });

  it('reads the empty list and rejects garbage', () => {
    expect(parseSANList('')).toEqual([]);
    expect(() => parseSANList('hello')).toThrow(SANSyntaxError);
    expect(() => parseSANList('DNS:a, URI:"x')).toThrow(/unterminated/);
    expect(() => parseSANList('DNS:"a" b')).toThrow(SANSyntaxError);
  });
});
