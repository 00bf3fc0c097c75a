/**
 * Differential test against the `openssl` CLI: what OpenSSL prints for a certificate's
 * subject (`-nameopt RFC2253`) and subjectAltName (`-ext subjectAltName`) must read back to
 * exactly what mtls-gate decodes. Intended differences are listed in docs/names.md.
 */
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { Certificate, formatDN, normalizeDN, parseDN, parseSANList } from '../../src/index.js';
import { hasTool, type OracleCert, oracleCertificates, shape } from './names-certs.js';

const HAVE_OPENSSL = hasTool('openssl', ['version']);

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8' });
}

// Plain conditionals rather than skipIf: a missing tool shows as one explicit notice test.
if (HAVE_OPENSSL) {
  describe('names agree with OpenSSL', () => {
    let certs: OracleCert[] = [];
    beforeAll(async () => {
      certs = (await oracleCertificates()).filter((c) => c.openssl);
    });

    it('reads every RFC 2253 subject OpenSSL prints to the RDNs mtls-gate decodes', () => {
      expect(certs.length).toBeGreaterThanOrEqual(12);
      for (const c of certs) {
        const text = openssl(['x509', '-in', c.path, '-noout', '-subject', '-nameopt', 'RFC2253'])
          .replace(/^subject=/, '')
          .replace(/\n$/, '');
        const cert = Certificate.fromDER(c.der);
        expect({ id: c.id, rdns: shape(parseDN(text, 'rfc4514')) }).toEqual({
          id: c.id,
          rdns: shape(cert.subjectName),
        });
        expect(normalizeDN(text)).toBe(normalizeDN(cert.subjectDer));
      }
    });

    it('prints exactly what OpenSSL prints where no intended difference applies', () => {
      const same: string[] = [];
      for (const c of certs) {
        const text = openssl(['x509', '-in', c.path, '-noout', '-subject', '-nameopt', 'RFC2253'])
          .replace(/^subject=/, '')
          .replace(/\n$/, '');
        if (formatDN(Certificate.fromDER(c.der).subjectName) === text) same.push(c.id);
      }
      // Differences (docs/names.md): OpenSSL escapes non-ASCII as \XX, prints `street`, reverses
      // the attributes inside a multi-valued RDN and prints unknown types' values as #hex.
      expect(same).toEqual([
        'plain',
        'specials',
        'email-dc-uid',
        'spaces-inside',
        'plain-respelled',
        'controls',
        'empty-and-hash',
      ]);
    });

    it('reads the slash form OpenSSL prints (\\xHH escapes included) to the same name', () => {
      for (const c of certs.filter((x) =>
        ['plain', 'email-dc-uid', 'many-types', 'utf8'].includes(x.id),
      )) {
        const text = openssl(['x509', '-in', c.path, '-noout', '-subject', '-nameopt', 'compat'])
          .replace(/^subject=/, '')
          .replace(/\n$/, '');
        expect(text.startsWith('/')).toBe(true);
        expect(parseDN(text)).toEqual(Certificate.fromDER(c.der).subjectName);
      }
    });

    it('reads the subjectAltName line OpenSSL prints to the canonical entries', () => {
      const withSan = certs.filter((c) => Certificate.fromDER(c.der).subjectAltNames.length > 0);
      expect(withSan.length).toBeGreaterThan(0);
      for (const c of withSan) {
        const lines = openssl(['x509', '-in', c.path, '-noout', '-ext', 'subjectAltName']).split(
          '\n',
        );
        const list = lines.slice(1).join(' ').trim();
        expect(parseSANList(list)).toEqual(Certificate.fromDER(c.der).subjectAltNames);
      }
      expect(Certificate.fromDER(withSan[0]!.der).subjectAltNames).toEqual([
        'DNS:api.example.com',
        'DNS:*.wild.example',
        'DNS:trailing.example',
        'IP:10.0.0.1',
        'IP:2001:db8::1:0:0:1',
        'IP:::ffff:192.0.2.1',
        'IP:::1',
        'IP:fe80::200:5eff:fe00:5213',
        'Email:Jane.Doe@example.com',
        'URI:https://x.example/a?b=c&d=e',
        'URI:spiffe://example.org/ns/prod/sa/api',
        'othername:UPN:jane@corp.example',
        'RID:1.2.3.4',
        'DirName:O=o,CN=dir\\, x',
        'DNS:api.example.com',
      ]);
    });
  });
} else {
  describe('names against OpenSSL', () => {
    it('cannot run here because the openssl CLI is not installed', () => {
      expect(HAVE_OPENSSL).toBe(false);
    });
  });
}
