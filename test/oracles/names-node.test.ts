/**
 * Differential test against Node's own reading of certificates: `X509Certificate.subject` and
 * `.issuer` (one RDN a line, encoding order) and `.subjectAltName` (one line, JSON-quoted
 * values where needed) must read back to exactly what mtls-gate decodes.
 */
import { X509Certificate } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Certificate, dnEquals, parseDN, parseSANList } from '../../src/index.js';
import {
  encodeName,
  type OracleCert,
  oracleCertificates,
  type RawAttr,
  selfSigned,
  shape,
} from './names-certs.js';

describe('names agree with Node', () => {
  let certs: OracleCert[] = [];
  beforeAll(async () => {
    // Node reads certificates with OpenSSL, which refuses non-string attribute values.
    certs = (await oracleCertificates()).filter((c) => c.openssl);
  });

  it('reads X509Certificate.subject and .issuer to the RDNs mtls-gate decodes', () => {
    expect(certs.length).toBeGreaterThanOrEqual(5);
    for (const c of certs) {
      const node = new X509Certificate(c.pem);
      const cert = Certificate.fromDER(c.der);
      expect({ id: c.id, rdns: shape(parseDN(node.subject, 'newline')) }).toEqual({
        id: c.id,
        rdns: shape(cert.subjectName),
      });
      // Node lists a multi-valued RDN in encoding order, as we do: compare unsorted too.
      expect(parseDN(node.issuer, 'newline').map((r) => r.map((a) => a.value))).toEqual(
        cert.issuerName.map((r) => r.map((a) => a.value)),
      );
      expect(dnEquals(node.subject, cert.subject)).toBe(true);
    }
  });

  it('reads X509Certificate.subjectAltName to the canonical entries', () => {
    for (const c of certs) {
      const node = new X509Certificate(c.pem);
      const cert = Certificate.fromDER(c.der);
      expect({ id: c.id, san: parseSANList(node.subjectAltName ?? '') }).toEqual({
        id: c.id,
        san: cert.subjectAltNames,
      });
    }
  });

  it('decodes the JSON quoting Node applies to a DirName with commas', () => {
    const c = certs.find((x) => x.id === 'plain')!;
    const node = new X509Certificate(c.pem);
    expect(node.subjectAltName).toContain('DirName:"');
    expect(parseSANList(node.subjectAltName!)).toContain('DirName:O=o,CN=dir\\, x');
  });

  it('reads generated names as Node does: any string type, specials, controls, non-ASCII', async () => {
    const oids = [
      [0x55, 0x04, 0x03],
      [0x55, 0x04, 0x0a],
      [0x55, 0x04, 0x0b],
      [0x2a, 0x03, 0x04],
    ];
    const specials = fc.constantFrom(...',+"\\<>;#= \n\t\u0000\u007f/'.split(''));
    const text = (unit: fc.Arbitrary<string>) =>
      fc.array(fc.oneof(unit, specials), { maxLength: 10 }).map((cs) => cs.join(''));
    const latin1 = fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c));
    const bmp = fc.integer({ min: 0x20, max: 0xd7ff }).map((c) => String.fromCharCode(c));
    const attribute: fc.Arbitrary<RawAttr> = fc.oneof(
      fc.tuple(
        fc.constantFrom(...oids),
        fc.constant(0x0c),
        text(fc.string({ unit: 'binary', maxLength: 1 })).map((v) => new TextEncoder().encode(v)),
      ),
      fc.tuple(
        fc.constantFrom(...oids),
        fc.constant(0x14),
        text(latin1).map((v) => Uint8Array.from(v, (c) => c.charCodeAt(0))),
      ),
      fc.tuple(
        fc.constantFrom(...oids),
        fc.constant(0x1e),
        text(bmp).map((v) =>
          Uint8Array.from([...v].flatMap((c) => [c.charCodeAt(0) >> 8, c.charCodeAt(0) & 0xff])),
        ),
      ),
    );
    const name = fc.array(fc.array(attribute, { minLength: 1, maxLength: 3 }), {
      minLength: 1,
      maxLength: 4,
    });
    await fc.assert(
      fc.asyncProperty(name, async (rdns) => {
        const { pem, der } = await selfSigned(encodeName(rdns));
        const node = new X509Certificate(pem);
        const cert = Certificate.fromDER(der);
        expect(shape(parseDN(node.subject, 'newline'))).toEqual(shape(cert.subjectName));
        expect(parseDN(cert.subject)).toEqual(cert.subjectName);
      }),
      { numRuns: 150 },
    );
  });
});
