import { AsnConvert } from '@peculiar/asn1-schema';
import * as asn1 from '@peculiar/asn1-x509';
import { describe, expect, it } from 'vitest';
import { Certificate } from '../../src/certificate.js';
import { checkNameConstraints } from '../../src/chain/name-constraints.js';
import { rdnKeys, withinDirectory } from '../../src/chain/name-constraints-dn.js';
import { parseDnsName } from '../../src/chain/name-constraints-dns.js';
import { parseMailbox } from '../../src/chain/name-constraints-email.js';
import { uriHost } from '../../src/chain/name-constraints-uri.js';
import { dnIsWithin, parseDN } from '../../src/dn.js';
import { ca, endEntity, type IssueOptions, x509 } from '../fixtures/pki.js';

type Base = asn1.GeneralName | Uint8Array;

/** GeneralNames for constraints, built with @peculiar/asn1-x509. */
const dns = (dNSName: string) => new asn1.GeneralName({ dNSName });
const email = (rfc822Name: string) => new asn1.GeneralName({ rfc822Name });
const uri = (uniformResourceIdentifier: string) =>
  new asn1.GeneralName({ uniformResourceIdentifier });
const ip = (cidr: string) => new asn1.GeneralName({ iPAddress: cidr });
const rid = (registeredID: string) => new asn1.GeneralName({ registeredID });
const dir = (name: string) =>
  new asn1.GeneralName({
    directoryName: AsnConvert.parse(new x509.Name(name).toArrayBuffer(), asn1.Name),
  });
const otherName = (typeId: string) =>
  new asn1.GeneralName({
    otherName: new asn1.OtherName({ typeId, value: new Uint8Array([0x05, 0x00]).buffer }),
  });

/**
 * A raw `[7]` iPAddress GeneralSubtree: asn1-x509 only writes well-formed CIDR blocks, and the
 * malformed ones (non-contiguous masks, wrong lengths) are what these tests need.
 */
function rawIpSubtree(octets: number[]): Uint8Array {
  return new Uint8Array([0x30, octets.length + 2, 0x87, octets.length, ...octets]);
}

/** GeneralSubtrees content: asn1-x509 serializes each subtree, raw ones pass through. */
function subtrees(bases: Base[]): Buffer {
  return Buffer.concat(
    bases.map((b) =>
      b instanceof Uint8Array
        ? b
        : new Uint8Array(AsnConvert.serialize(new asn1.GeneralSubtree({ base: b }))),
    ),
  );
}

/** One DER TLV with a short- or two-octet long-form length (all these tests need). */
function tlv(tag: number, content: Uint8Array): Buffer {
  const n = content.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), content]);
}

/**
 * The NameConstraints extension. asn1-x509's NameConstraints class cannot carry the raw
 * malformed subtrees some tests need, so the two [0]/[1] wrappers are framed here around
 * subtrees that asn1-x509 serialized.
 */
function nameConstraints(permitted?: Base[], excluded?: Base[], critical = true): x509.Extension {
  const inner = Buffer.concat([
    permitted ? tlv(0xa0, subtrees(permitted)) : Buffer.alloc(0),
    excluded ? tlv(0xa1, subtrees(excluded)) : Buffer.alloc(0),
  ]);
  return new x509.Extension('2.5.29.30', critical, new Uint8Array(tlv(0x30, inner)));
}

const parse = (der: Uint8Array) => Certificate.fromDER(der);

interface Case {
  permitted?: Base[];
  excluded?: Base[];
  leaf?: IssueOptions;
  isLeaf?: boolean;
  budget?: { comparisons: number };
}

/** A CA with the given constraints issues a certificate; returns the verdict for that pair. */
async function verdict({ permitted, excluded, leaf = {}, isLeaf = true, budget }: Case) {
  const issuer = await ca('Constrained CA', {
    extraExtensions: [nameConstraints(permitted, excluded)],
  });
  const cert = await endEntity('leaf', { issuer, ...leaf });
  return checkNameConstraints(
    parse(issuer.der),
    parse(cert.der),
    isLeaf,
    budget ?? { comparisons: 10_000 },
  );
}

const san = (...entries: [x509.JsonGeneralName['type'], string][]): IssueOptions => ({
  san: entries.map(([type, value]) => ({ type, value })),
});

const OK = { ok: true };

function refused(
  reason: 'name-constraints' | 'chain-too-long' = 'name-constraints',
  text?: string,
) {
  return expect.objectContaining({
    ok: false,
    reason,
    ...(text === undefined ? {} : { message: expect.stringContaining(text) }),
  });
}

describe('test scaffolding', () => {
  it('frames NameConstraints exactly as asn1-x509 encodes them', () => {
    const permitted = [dns('example.com'), ip('192.0.2.0/24')];
    const excluded = [email('.example.org')];
    const reference = new asn1.NameConstraints({
      permittedSubtrees: new asn1.GeneralSubtrees(
        permitted.map((base) => new asn1.GeneralSubtree({ base })),
      ),
      excludedSubtrees: new asn1.GeneralSubtrees(
        excluded.map((base) => new asn1.GeneralSubtree({ base })),
      ),
    });
    const ours = nameConstraints(permitted, excluded).value;
    expect(Buffer.from(ours).equals(Buffer.from(AsnConvert.serialize(reference)))).toBe(true);
  });
});

describe('checkNameConstraints without constraints', () => {
  it('accepts any certificate when the CA has no name constraints, spending no budget', async () => {
    const issuer = await ca('Plain CA');
    const cert = await endEntity('leaf', { issuer, ...san(['dns', 'anything.example']) });
    const budget = { comparisons: 5 };
    expect(checkNameConstraints(parse(issuer.der), parse(cert.der), true, budget)).toEqual(OK);
    expect(budget.comparisons).toBe(5);
  });

  it('refuses when the CA carries an empty NameConstraints extension', async () => {
    expect(await verdict({})).toEqual(refused('name-constraints', 'empty name constraints'));
  });
});

describe('dNSName constraints', () => {
  it('permit the name itself and every subdomain', async () => {
    const leaf = san(['dns', 'example.com'], ['dns', 'a.b.example.com']);
    expect(await verdict({ permitted: [dns('example.com')], leaf })).toEqual(OK);
  });

  it('do not permit a name that merely ends with the same characters', async () => {
    const leaf = san(['dns', 'notexample.com']);
    expect(await verdict({ permitted: [dns('example.com')], leaf })).toEqual(
      refused('name-constraints', 'DNS:notexample.com'),
    );
  });

  it('compare without regard to case', async () => {
    const leaf = san(['dns', 'Foo.EXAMPLE.com']);
    expect(await verdict({ permitted: [dns('example.COM')], leaf })).toEqual(OK);
    expect(await verdict({ excluded: [dns('EXAMPLE.com')], leaf })).toEqual(refused());
  });

  it('reject a name inside an excluded subtree, even when a permitted one also holds it', async () => {
    const leaf = san(['dns', 'ok.example.com'], ['dns', 'bad.example.com']);
    expect(
      await verdict({ permitted: [dns('example.com')], excluded: [dns('bad.example.com')], leaf }),
    ).toEqual(refused('name-constraints', 'excluded subtree DNS:bad.example.com'));
    expect(await verdict({ excluded: [dns('other.example.com')], leaf })).toEqual(OK);
  });

  it('let any name through when one of several permitted subtrees holds it', async () => {
    const leaf = san(['dns', 'api.two.example']);
    expect(await verdict({ permitted: [dns('one.example'), dns('two.example')], leaf })).toEqual(
      OK,
    );
  });

  it('fail closed on a leading-period constraint, but only for certificates with DNS names', async () => {
    const constraint = { permitted: [dns('.example.com')] };
    expect(await verdict({ ...constraint, leaf: san(['dns', 'foo.example.com']) })).toEqual(
      refused('name-constraints', 'malformed dNSName constraint'),
    );
    expect(await verdict({ ...constraint, leaf: san(['email', 'a@example.com']) })).toEqual(OK);
  });

  it('read a leading-period exclusion as the domain and everything below it', async () => {
    const excluded = [dns('.example.com')];
    expect(await verdict({ excluded, leaf: san(['dns', 'example.com']) })).toEqual(refused());
    expect(await verdict({ excluded, leaf: san(['dns', 'a.example.com']) })).toEqual(refused());
    expect(await verdict({ excluded, leaf: san(['dns', 'example.org']) })).toEqual(OK);
  });

  it('fail closed on a wildcard constraint', async () => {
    const leaf = san(['dns', 'foo.example.com']);
    expect(await verdict({ permitted: [dns('*.example.com')], leaf })).toEqual(
      refused('name-constraints', 'malformed'),
    );
  });

  it('fail closed on a malformed DNS name in the certificate', async () => {
    const leaf = san(['dns', '.example.com']);
    expect(await verdict({ permitted: [dns('example.com')], leaf })).toEqual(
      refused('name-constraints', 'not a well-formed dNSName'),
    );
    expect(await verdict({ permitted: [ip('192.0.2.0/24')], leaf })).toEqual(OK);
  });

  it('treat an empty constraint as covering every DNS name', async () => {
    const leaf = san(['dns', 'x.example']);
    expect(await verdict({ excluded: [dns('')], leaf })).toEqual(refused());
    expect(await verdict({ permitted: [dns('')], leaf })).toEqual(OK);
  });
});

describe('wildcard dNSName entries', () => {
  it('are permitted when the whole wildcard lies in the subtree', async () => {
    const leaf = san(['dns', '*.foo.com']);
    expect(await verdict({ permitted: [dns('foo.com')], leaf })).toEqual(OK);
  });

  it('are not permitted by a subtree that holds only some of their names', async () => {
    const leaf = san(['dns', '*.example.com']);
    expect(await verdict({ permitted: [dns('a.example.com')], leaf })).toEqual(refused());
  });

  it('are rejected by an excluded name one label below them', async () => {
    const leaf = san(['dns', '*.example.com']);
    expect(await verdict({ excluded: [dns('bar.example.com')], leaf })).toEqual(refused());
  });

  it('are not rejected by an excluded name two labels below them', async () => {
    const leaf = san(['dns', '*.example.com']);
    expect(await verdict({ excluded: [dns('a.bar.example.com')], leaf })).toEqual(OK);
  });
});

describe('iPAddress constraints', () => {
  it('permit addresses inside the block and reject those outside', async () => {
    const permitted = [ip('192.0.2.0/24')];
    expect(await verdict({ permitted, leaf: san(['ip', '192.0.2.77']) })).toEqual(OK);
    expect(await verdict({ permitted, leaf: san(['ip', '192.0.3.1']) })).toEqual(
      refused('name-constraints', 'IP:192.0.3.1'),
    );
  });

  it('handle IPv6 blocks', async () => {
    const excluded = [ip('2001:db8::/32')];
    expect(await verdict({ excluded, leaf: san(['ip', '2001:db8::1']) })).toEqual(refused());
    expect(await verdict({ excluded, leaf: san(['ip', '2001:db9::1']) })).toEqual(OK);
  });

  it('never match across address families', async () => {
    // ::ffff:192.0.2.1 (in hex: @peculiar/x509 misreads a dotted tail) is IPv4-mapped; as
    // an IPv6 address it is in no IPv4 block, so an IPv4-only permitted list refuses it.
    expect(
      await verdict({ permitted: [ip('192.0.2.0/24')], leaf: san(['ip', '::ffff:c000:201']) }),
    ).toEqual(refused());
    expect(await verdict({ excluded: [ip('::/0')], leaf: san(['ip', '192.0.2.1']) })).toEqual(OK);
  });

  it('hold an IPv4-mapped IPv6 address to the IPv4 subtrees too', async () => {
    // ::ffff:10.1.2.3, spelled in hex: @peculiar/x509 misreads the dotted tail.
    const mapped = san(['ip', '::ffff:a01:203']);
    expect(await verdict({ excluded: [ip('10.0.0.0/8')], leaf: mapped })).toEqual(refused());
    expect(await verdict({ excluded: [ip('192.0.2.0/24')], leaf: mapped })).toEqual(OK);
    expect(
      await verdict({ permitted: [ip('::ffff:0:0/96'), ip('10.0.0.0/8')], leaf: mapped }),
    ).toEqual(OK);
    expect(
      await verdict({ permitted: [ip('::ffff:0:0/96'), ip('192.0.2.0/24')], leaf: mapped }),
    ).toEqual(refused());
  });

  it('fail closed on a mask that is not contiguous', async () => {
    const permitted = [rawIpSubtree([192, 0, 2, 0, 255, 0, 255, 0])];
    expect(await verdict({ permitted, leaf: san(['ip', '192.0.2.1']) })).toEqual(
      refused('name-constraints', 'malformed iPAddress constraint'),
    );
  });

  it('fail closed on a constraint of the wrong length', async () => {
    const permitted = [rawIpSubtree([127, 0, 0, 1])];
    expect(await verdict({ permitted, leaf: san(['ip', '127.0.0.1']) })).toEqual(refused());
    expect(await verdict({ permitted, leaf: san(['dns', 'example.com']) })).toEqual(OK);
  });

  it('fail closed on an address-and-mask in the certificate instead of an address', async () => {
    // Refused when the leaf is read (RFC 5280 §4.2.1.6: 4 or 16 octets in a SAN), before any
    // constraint is looked at.
    const leaf = san(['ip', '192.0.2.0/24']);
    await expect(verdict({ permitted: [ip('192.0.2.0/24')], leaf })).rejects.toThrow(
      /iPAddress of 8 octets/,
    );
  });
});

describe('rfc822Name constraints', () => {
  it('naming a mailbox permit that mailbox only, local part exactly, domain in any case', async () => {
    const permitted = [email('foo@example.com')];
    expect(await verdict({ permitted, leaf: san(['email', 'foo@EXAMPLE.com']) })).toEqual(OK);
    expect(await verdict({ permitted, leaf: san(['email', 'Foo@example.com']) })).toEqual(
      refused(),
    );
  });

  it('treat an asterisk as a literal character', async () => {
    const permitted = [email('*@example.com')];
    expect(await verdict({ permitted, leaf: san(['email', '*@example.com']) })).toEqual(OK);
    expect(await verdict({ permitted, leaf: san(['email', 'user@example.com']) })).toEqual(
      refused(),
    );
  });

  it('naming a host permit every mailbox on that host but not on its subdomains', async () => {
    const permitted = [email('example.com')];
    expect(await verdict({ permitted, leaf: san(['email', 'anyone@example.com']) })).toEqual(OK);
    expect(await verdict({ permitted, leaf: san(['email', 'a@sub.example.com']) })).toEqual(
      refused(),
    );
  });

  it('naming a domain with a leading period permit its subdomains but not the domain', async () => {
    const permitted = [email('.example.com')];
    expect(await verdict({ permitted, leaf: san(['email', 'a@mail.example.com']) })).toEqual(OK);
    expect(await verdict({ permitted, leaf: san(['email', 'a@example.com']) })).toEqual(refused());
  });

  it('fail closed on a malformed address in the certificate', async () => {
    const leaf = san(['email', 'good@example.com'], ['email', 'bad@address@example.com']);
    expect(await verdict({ permitted: [email('example.com')], leaf })).toEqual(
      refused('name-constraints', 'bad@address@example.com'),
    );
  });

  it('fail closed on a malformed constraint', async () => {
    const leaf = san(['email', 'a@example.com']);
    expect(await verdict({ permitted: [email('a@b@example.com')], leaf })).toEqual(refused());
  });

  it('accept a quoted local part that matches the constraint once unquoted', async () => {
    const leaf = san(['email', '"john.doe"@example.com']);
    expect(await verdict({ permitted: [email('john.doe@example.com')], leaf })).toEqual(OK);
  });

  it('also apply to emailAddress attributes of the subject', async () => {
    const permitted = [email('example.com')];
    const inside = { subject: 'CN=alice, 1.2.840.113549.1.9.1=alice@example.com' };
    const outside = { subject: 'CN=alice, 1.2.840.113549.1.9.1=alice@evil.example' };
    expect(
      await verdict({ permitted, leaf: { ...inside, ...san(['email', 'alice@example.com']) } }),
    ).toEqual(OK);
    expect(
      await verdict({ permitted, leaf: { ...outside, ...san(['email', 'alice@example.com']) } }),
    ).toEqual(refused('name-constraints', 'subject emailAddress alice@evil.example'));
  });
});

describe('uniformResourceIdentifier constraints', () => {
  it('naming a host permit URIs on that host only, whatever the user, port and path', async () => {
    const permitted = [uri('example.com')];
    for (const value of ['https://example.com/a', 'spiffe://user@EXAMPLE.com:8443/ns/x']) {
      expect(await verdict({ permitted, leaf: san(['url', value]) })).toEqual(OK);
    }
    expect(await verdict({ permitted, leaf: san(['url', 'https://a.example.com/']) })).toEqual(
      refused('name-constraints', 'URI:https://a.example.com/'),
    );
  });

  it('naming a domain with a leading period permit hosts below it only', async () => {
    const permitted = [uri('.example.com')];
    expect(await verdict({ permitted, leaf: san(['url', 'https://a.example.com']) })).toEqual(OK);
    expect(await verdict({ permitted, leaf: san(['url', 'https://example.com']) })).toEqual(
      refused(),
    );
  });

  it('fail closed on an authority with characters RFC 3986 does not allow there', async () => {
    // WHATWG URL (new URL(...)) reads "\\" as "/" in http(s) URIs: its host is evil.example,
    // while the last "@" would make it good.example. Neither reading may be chosen.
    const tricky = 'https://evil.example\\@good.example/';
    expect(new URL(tricky).hostname).toBe('evil.example');
    expect(uriHost(tricky)).toBeUndefined();
    for (const value of [
      tricky,
      'https://evil.example"@good.example/',
      'https://a b@good.example/',
    ]) {
      expect(await verdict({ excluded: [uri('evil.example')], leaf: san(['url', value]) })).toEqual(
        refused(),
      );
      expect(
        await verdict({ permitted: [uri('good.example')], leaf: san(['url', value]) }),
      ).toEqual(refused());
    }
    expect(uriHost('https://user:pa%20ss@good.example:8443/p')).toBe('good.example');
  });

  it('fail closed on URIs without a host or with an IP host', async () => {
    const excluded = [uri('evil.example')];
    for (const value of [
      'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66',
      'https://[::1]/',
      'https://10.0.0.1/',
    ]) {
      expect(await verdict({ excluded, leaf: san(['url', value]) })).toEqual(refused());
      expect(await verdict({ permitted: [dns('example.com')], leaf: san(['url', value]) })).toEqual(
        OK,
      );
    }
  });
});

describe('directoryName constraints', () => {
  // @peculiar/x509 encodes RDNs in the order written, so these names are written C first.
  it('permit a subject that starts with the constraint RDNs', async () => {
    const leaf = { subject: 'C=US, O=Acme, CN=alice' };
    expect(await verdict({ permitted: [dir('C=US, O=Acme')], leaf })).toEqual(OK);
  });

  it('reject a subject outside the permitted subtree', async () => {
    const leaf = { subject: 'C=US, O=Other, CN=alice' };
    expect(await verdict({ permitted: [dir('C=US, O=Acme')], leaf })).toEqual(
      refused('name-constraints', 'outside the permitted directoryName subtrees'),
    );
  });

  it('do not match when the constraint is longer than the subject', async () => {
    const leaf = { subject: 'C=US' };
    expect(await verdict({ permitted: [dir('C=US, O=Acme')], leaf })).toEqual(refused());
  });

  it('compare values case-insensitively with insignificant spaces folded', async () => {
    const leaf = { subject: 'C=US, O=acme  corp, CN=alice' };
    expect(await verdict({ permitted: [dir('C=us, O=ACME Corp')], leaf })).toEqual(OK);
    expect(await verdict({ excluded: [dir('C=US, O=Acme Corp')], leaf })).toEqual(refused());
  });

  it('apply to directoryName entries in the subjectAltName too', async () => {
    const leaf = { subject: 'C=US, O=Acme, CN=alice', ...san(['dn', 'C=US, O=Elsewhere']) };
    expect(await verdict({ permitted: [dir('C=US, O=Acme')], leaf })).toEqual(
      refused('name-constraints', 'DirName:'),
    );
  });

  it('compare as dnIsWithin does', () => {
    const names = ['C=US,O=Acme', 'CN=x,O=ACME,C=us', 'CN=x+OU=y,O=Acme,C=US', 'O=Acme,C=GB', ''];
    for (const name of names) {
      for (const base of names) {
        const ours = withinDirectory(rdnKeys(parseDN(name))!, rdnKeys(parseDN(base))!);
        expect(ours, `${name} within ${base}`).toBe(dnIsWithin(name, base));
      }
    }
  });

  it('do not constrain an empty subject', async () => {
    const leaf = { subject: '', ...san(['dns', 'a.example']) };
    expect(await verdict({ permitted: [dir('C=US, O=Acme')], leaf })).toEqual(OK);
  });
});

describe('constraints on forms that cannot be checked', () => {
  it('reject a certificate with an otherName when otherNames are constrained', async () => {
    const excluded = [otherName('1.3.6.1.4.1.311.20.2.3')];
    expect(await verdict({ excluded, leaf: san(['upn', 'jane@corp.example']) })).toEqual(
      refused('name-constraints', 'cannot be checked'),
    );
  });

  it('let through a certificate without a name of that form', async () => {
    const excluded = [otherName('1.3.6.1.4.1.311.20.2.3')];
    expect(await verdict({ excluded, leaf: san(['dns', 'example.com']) })).toEqual(OK);
  });

  it('reject a registeredID when registeredIDs are constrained', async () => {
    expect(await verdict({ permitted: [rid('1.2.3.4')], leaf: san(['id', '1.2.3.4']) })).toEqual(
      refused(),
    );
  });
});

describe('the subject common name', () => {
  const permitted = [dns('example.com')];

  it('is checked as a DNS name on a leaf without DNS SANs when it reads as a host name', async () => {
    expect(await verdict({ permitted, leaf: { subject: 'CN=bank.example.net' } })).toEqual(
      refused('name-constraints', 'subject CN bank.example.net'),
    );
    expect(await verdict({ permitted, leaf: { subject: 'CN=api.example.com' } })).toEqual(OK);
  });

  it('is not checked on a CA certificate below the constrained one', async () => {
    const leaf = { subject: 'CN=bank.example.net' };
    expect(await verdict({ permitted, leaf, isLeaf: false })).toEqual(OK);
  });

  it('is not checked when it is not a host name', async () => {
    expect(await verdict({ permitted, leaf: { subject: 'CN=Alice Smith' } })).toEqual(OK);
  });

  it('is ignored when the leaf has DNS SANs', async () => {
    const leaf = { subject: 'CN=bank.example.net', ...san(['dns', 'api.example.com']) };
    expect(await verdict({ permitted, leaf })).toEqual(OK);
  });
});

describe('the comparison budget', () => {
  it('is charged one unit per name and subtree of the same form', async () => {
    const budget = { comparisons: 100 };
    const leaf = san(['dns', 'a.example.com'], ['dns', 'b.example.com'], ['ip', '192.0.2.1']);
    const permitted = [dns('example.com'), dns('example.org'), ip('192.0.2.0/24')];
    expect(await verdict({ permitted, leaf, budget })).toEqual(OK);
    expect(budget.comparisons).toBe(100 - 2 * 2 - 1);
  });

  it('ends the check with chain-too-long when it runs out', async () => {
    const budget = { comparisons: 3 };
    const leaf = san(['dns', 'a.example.com'], ['dns', 'b.example.com']);
    expect(await verdict({ permitted: [dns('example.com'), dns('x.test')], leaf, budget })).toEqual(
      refused('chain-too-long'),
    );
    expect(budget.comparisons).toBeLessThan(0);
  });

  it('stops a certificate with thousands of names against thousands of subtrees', async () => {
    const names = Array.from({ length: 2000 }, (_, i) => ({
      type: 'dns' as const,
      value: `n${i}.example.com`,
    }));
    // Every name is permitted by the last subtree, so nothing fails early: 4,000,000
    // comparisons would be needed, and the budget stops the check after 125 names.
    const permitted = Array.from({ length: 1999 }, (_, i) => dns(`p${i}.example.org`));
    permitted.push(dns('example.com'));
    const budget = { comparisons: 250_000 };
    expect(await verdict({ permitted, leaf: { san: names }, budget })).toEqual(
      refused('chain-too-long', 'n125.example.com'),
    );
  });
});

describe('checkNameConstraints on odd input', () => {
  it('fails closed on a subtree with a minimum or maximum set', async () => {
    const subtree = new Uint8Array(
      AsnConvert.serialize(new asn1.GeneralSubtree({ base: dns('example.com'), minimum: 1 })),
    );
    expect(await verdict({ permitted: [subtree], leaf: san(['dns', 'example.com']) })).toEqual(
      refused('name-constraints', 'malformed'),
    );
  });

  it('checks a certificate against its own constraints if asked (the caller decides who is exempt)', async () => {
    const self = await ca('Self', {
      extraExtensions: [nameConstraints([dns('example.com')])],
      san: [{ type: 'dns', value: 'other.test' }],
    });
    const c = parse(self.der);
    expect(checkNameConstraints(c, c, false, { comparisons: 10 })).toEqual(refused());
  });
});

describe('empty constraints', () => {
  it('of rfc822Name and URI form cover every name of their form', async () => {
    expect(await verdict({ excluded: [email('')], leaf: san(['email', 'a@b.example']) })).toEqual(
      refused(),
    );
    expect(
      await verdict({ excluded: [uri('')], leaf: san(['url', 'https://b.example/']) }),
    ).toEqual(refused());
    expect(await verdict({ excluded: [uri('')], leaf: san(['email', 'a@b.example']) })).toEqual(OK);
  });
});

describe('name syntax', () => {
  it('finds the host of a URI only where RFC 3986 puts it', () => {
    expect(uriHost('https://user:pw@Example.COM:443/x?y#z')).toBe('example.com');
    expect(uriHost('HTTPS://a.example?q')).toBe('a.example');
    for (const bad of [
      'https://example.com:https/',
      'urn:example:a',
      'mailto:a@example.com',
      'https://',
      'https://127.1/',
      'https://0x7f000001/',
      'https://%65xample.com/',
      '//example.com/',
    ]) {
      expect(uriHost(bad), bad).toBeUndefined();
    }
  });

  it('reads mailboxes as RFC 5321 spells them', () => {
    expect(parseMailbox('"a\\"b"@Example.com')).toEqual({ local: 'a"b', domain: 'example.com' });
    expect(parseMailbox('first.last+tag@example.com')?.local).toBe('first.last+tag');
    for (const bad of [
      'a..b@x.example',
      '.a@x.example',
      'a@',
      '@x.example',
      'a@[192.0.2.1]',
      'a b@x.example',
    ]) {
      expect(parseMailbox(bad), bad).toBeUndefined();
    }
  });

  it('accepts DNS names with whole labels and a wildcard only as the first label', () => {
    expect(parseDnsName('*.Example.com')).toEqual({ base: 'example.com', wildcard: true });
    expect(parseDnsName(`${'a'.repeat(63)}.example`)).toBeDefined();
    for (const bad of [
      'a.*.com',
      '*',
      'f*o.example.com',
      'example.com.',
      'a..b',
      `${'a'.repeat(64)}.example`,
    ]) {
      expect(parseDnsName(bad), bad).toBeUndefined();
    }
  });
});
