/**
 * Differential test against Node's own reading of certificates: `X509Certificate.subject` and
 * `.issuer` (one RDN a line, encoding order) and `.subjectAltName` (one line, JSON-quoted
 * values where needed) must read back to exactly what mtls-gate decodes.
 */
import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { Certificate, dnEquals, parseDN, parseSANList } from '../../src/index.js';
import { type OracleCert, oracleCertificates, shape } from './names-certs.js';

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
});
