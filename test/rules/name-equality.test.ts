import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Certificate,
  compileRule,
  dnEquals,
  parseCertificates,
  ruleContext,
} from '../../src/index.js';
import { isSharedName } from '../../src/name-der.js';
import { ca, endEntity, type Issued } from '../fixtures/pki.js';

// Subjects as @peculiar/x509 takes them (least specific first), and their RFC 4514 spelling.
const SUBJECTS = [
  'C=US,O=Org,CN=RootCA',
  'C=US,O=Org,OU=Eng,CN=svc-api',
  'O=Org,CN=svc-api',
  'C=US,O=Org,OU=Eng+OU=Ops,CN=svc-api',
  'C=DE,O=Bücher GmbH,CN=Dienst Müller',
];
let certificates: Certificate[];

beforeAll(async () => {
  certificates = [];
  for (const subject of SUBJECTS) {
    const issued = await endEntity('x', { subject });
    certificates.push(parseCertificates(issued.der)[0]!);
  }
});

/** Spelling variations of an RFC 4514 DN: case, spaces, slash form, other attributes. */
function variant(dn: string): fc.Arbitrary<string> {
  const parts = dn.split(',');
  return fc
    .record({
      caseFlip: fc.boolean(),
      spaces: fc.boolean(),
      slash: fc.boolean(),
      drop: fc.boolean(),
      change: fc.option(fc.nat(parts.length - 1), { nil: undefined }),
    })
    .map(({ caseFlip, spaces, slash, drop, change }) => {
      let rdns = parts.map((p, i) => (i === change ? `${p}x` : p));
      if (drop && rdns.length > 1) rdns = rdns.slice(1);
      if (caseFlip) rdns = rdns.map((p) => p.toLowerCase());
      if (slash) return `/${[...rdns].reverse().join('/')}`;
      return rdns.join(spaces ? ' , ' : ',');
    });
}

describe('DN == literal', () => {
  it('gives the answer of dnEquals for every spelling, on certificates', () => {
    for (const certificate of certificates) {
      fc.assert(
        fc.property(variant(certificate.subject), (literal) => {
          const rule = compileRule(`DN == ${JSON.stringify(literal)}`);
          const context = ruleContext(certificate);
          expect(rule.evaluate(context)).toBe(dnEquals(certificate.subject, literal));
          expect(compileRule(`DN != ${JSON.stringify(literal)}`).evaluate(context)).toBe(
            !dnEquals(certificate.subject, literal),
          );
        }),
        { numRuns: 60 },
      );
    }
  });

  it('is true for the exact RFC 4514 string and false for another name of the same shape', () => {
    const [, svc] = certificates;
    expect(svc!.subject).toBe('CN=svc-api,OU=Eng,O=Org,C=US');
    expect(compileRule('DN == "CN=svc-api,OU=Eng,O=Org,C=US"').evaluate(ruleContext(svc!))).toBe(
      true,
    );
    expect(compileRule('DN == "CN=svc-web,OU=Eng,O=Org,C=US"').evaluate(ruleContext(svc!))).toBe(
      false,
    );
    expect(compileRule('DN == "CN=SVC-API,OU=eng,O=org,C=us"').evaluate(ruleContext(svc!))).toBe(
      true,
    );
    expect(compileRule('DN == "CN=svc-api,O=Org,C=US"').evaluate(ruleContext(svc!))).toBe(false);
    expect(compileRule('DN == "UID=svc-api,OU=Eng,O=Org,C=US"').evaluate(ruleContext(svc!))).toBe(
      false,
    );
  });

  it('compares multi-valued RDNs in any order', () => {
    const multi = certificates[3]!;
    expect(
      compileRule('DN == "CN=svc-api,OU=Ops+OU=Eng,O=Org,C=US"').evaluate(ruleContext(multi)),
    ).toBe(true);
  });
});

describe('ISSUER == literal on leaves of several CAs', () => {
  // One compiled rule keeps the answer for the last shared issuer name it saw: leaves of two
  // CAs in turn, and a leaf whose issuer name is not shared, must each get their own answer.
  let leaves: { certificate: Certificate; expected: boolean }[];

  beforeAll(async () => {
    const issuing = await ca('Issuing CA', { subject: 'O=Org,CN=Issuing CA' });
    const other = await ca('Other CA', { subject: 'O=Org,CN=Other CA' });
    // A directoryString attribute with a non-string value (an OCTET STRING) is never shared.
    const odd = await ca('Odd CA', { subject: 'O=Org,CN=Issuing CA,1.2.3.4=#04024869' });
    const leafOf = async (issuer: Issued, expected: boolean) => ({
      certificate: parseCertificates((await endEntity('leaf', { issuer })).der)[0]!,
      expected,
    });
    leaves = [
      await leafOf(issuing, true),
      await leafOf(issuing, true),
      await leafOf(other, false),
      await leafOf(other, false),
      await leafOf(issuing, true),
      await leafOf(odd, false),
      await leafOf(issuing, true),
    ];
  });

  it('answers each leaf by its own issuer, in any order', () => {
    const rule = compileRule('ISSUER == "cn=issuing ca, o=org"');
    const negated = compileRule('ISSUER != "CN=Issuing CA,O=Org"');
    const order = [0, 1, 2, 3, 4, 5, 6, 2, 0, 5, 5, 3, 1, 6];
    for (const i of order) {
      const { certificate, expected } = leaves[i]!;
      expect(rule.evaluate(ruleContext(certificate))).toBe(expected);
      expect(negated.evaluate(ruleContext(certificate))).toBe(!expected);
      expect(rule.evaluate(ruleContext(certificate))).toBe(
        dnEquals(certificate.issuer, 'CN=Issuing CA,O=Org'),
      );
    }
  });

  it('shares the decoded issuer between leaves of one CA, and not an unshareable one', () => {
    expect(leaves[0]!.certificate.issuerName).toBe(leaves[1]!.certificate.issuerName);
    expect(leaves[0]!.certificate.issuerName).not.toBe(leaves[2]!.certificate.issuerName);
    expect(isSharedName(leaves[0]!.certificate.issuerName)).toBe(true);
    expect(isSharedName(leaves[5]!.certificate.issuerName)).toBe(false);
    // Frozen by its caller is not shared.
    expect(isSharedName(Object.freeze([...leaves[5]!.certificate.issuerName]))).toBe(false);
  });
});
