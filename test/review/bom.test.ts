/**
 * Review finding: the UTF-8 decoders dropped a leading U+FEFF (TextDecoder's default), so a
 * certificate whose CN is U+FEFF + "admin" read as "admin" (commonName, subject, a rule's
 * `CN == "admin"`), and the same for a UPN and for escaped octets in a DN string. The value
 * keeps what was encoded; only RFC 4518 matching (normalizeDN, dnEquals) maps U+FEFF away.
 */
import { describe, expect, it } from 'vitest';
import {
  Certificate,
  compileRule,
  formatGeneralName,
  parseDN,
  ruleContext,
} from '../../src/index.js';
import { endEntity } from '../fixtures/pki.js';

const BOM = '\uFEFF';

describe('a leading U+FEFF in a UTF-8 value', () => {
  it('stays in a certificate subject, its commonName and what a rule reads', async () => {
    const issued = await endEntity('x', { subject: `CN=${BOM}admin` });
    const der = new Uint8Array(issued.der);
    // @peculiar/x509 writes the CN as a UTF8String starting EF BB BF.
    expect(Buffer.from(der).includes(Buffer.from([0x0c, 0x08, 0xef, 0xbb, 0xbf]))).toBe(true);
    const cert = Certificate.fromDER(der);
    expect(cert.commonName).toBe(`${BOM}admin`);
    expect(cert.subjectName[0]![0]!.value).toBe(`${BOM}admin`);
    expect(compileRule('CN == "admin"').evaluate(ruleContext(cert))).toBe(false);
    expect(compileRule('CN.start_with?("admin")').evaluate(ruleContext(cert))).toBe(false);
  });

  it('stays in a UPN otherName', () => {
    const text = [...Buffer.from(`${BOM}admin@corp.example`)];
    const value = new Uint8Array([0x0c, text.length, ...text]);
    expect(formatGeneralName({ kind: 'otherName', typeId: '1.3.6.1.4.1.311.20.2.3', value })).toBe(
      `othername:UPN:${BOM}admin@corp.example`,
    );
  });

  it('stays in a DN string value written as escaped octets', () => {
    expect(parseDN('CN=\\EF\\BB\\BFadmin')[0]![0]!.value).toBe(`${BOM}admin`);
  });
});
