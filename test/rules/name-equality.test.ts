import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Certificate,
  compileRule,
  dnEquals,
  parseCertificates,
  ruleContext,
} from '../../src/index.js';
import { endEntity } from '../fixtures/pki.js';

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
