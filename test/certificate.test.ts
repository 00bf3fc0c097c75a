import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Certificate, MtlsError, parseCertificates, TrustStore } from '../src/index.js';
import { NOW, simpleChain } from './fixtures/pki.js';

describe('parseCertificates', () => {
  it('reads every PEM block of a bundle and ignores the text around them', async () => {
    const { root, intermediate, leaf } = await simpleChain();
    const text = `subject=whatever\n${leaf.pem}\nsome note\n${intermediate.pem}${root.pem}trailer`;
    const certs = parseCertificates(text);
    expect(certs.map((c) => c.subject)).toEqual([
      'CN=client.example',
      'CN=Test Intermediate',
      'CN=Test Root',
    ]);
  });

  it('agrees with Node on the fields it exposes', async () => {
    const { leaf } = await simpleChain();
    const [cert] = parseCertificates(leaf.der);
    const node = new X509Certificate(leaf.pem);
    expect(cert!.fingerprint256).toBe(node.fingerprint256.replaceAll(':', '').toLowerCase());
    expect(cert!.serialNumber).toBe(node.serialNumber.toLowerCase());
    expect(cert!.notAfter.getTime()).toBe(new Date(node.validTo).getTime());
    expect(cert!.notBefore.getTime()).toBeLessThan(NOW.getTime());
    expect(cert!.isCA).toBe(false);
    expect(cert!.pem.replace(/\s/g, '')).toBe(leaf.pem.replace(/\s/g, ''));
  });

  it('accepts a Node X509Certificate, a parsed Certificate and nested arrays', async () => {
    const { root, leaf } = await simpleChain();
    const parsed = Certificate.fromDER(root.der);
    const certs = parseCertificates([new X509Certificate(leaf.pem), [parsed]]);
    expect(certs.map((c) => c.subject)).toEqual(['CN=client.example', 'CN=Test Root']);
    expect(certs[1]).toBe(parsed);
  });

  it.each([
    ['garbage text', 'hello world', /no PEM certificate/],
    [
      'a private key block',
      '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----',
      /PRIVATE KEY, not a CERTIFICATE/,
    ],
    [
      'bad base64',
      '-----BEGIN CERTIFICATE-----\nA*AA\n-----END CERTIFICATE-----',
      /invalid base64/,
    ],
    ['an unterminated block', '-----BEGIN CERTIFICATE-----\nAAAA\n', /no matching END/],
    ['random DER', new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]), /not a valid X.509/],
    ['empty bytes', new Uint8Array(), /truncated/],
  ])('rejects %s as malformed with a message', (_name, input, message) => {
    try {
      parseCertificates(input);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MtlsError);
      expect((error as MtlsError).code).toBe(4018);
      expect((error as MtlsError).reason).toBe('malformed');
      expect((error as MtlsError).message).toMatch(message);
    }
  });

  it('rejects every truncation of a real certificate as malformed', async () => {
    const { leaf } = await simpleChain();
    for (let n = 0; n < leaf.der.length; n += 7) {
      expect(() => parseCertificates(leaf.der.subarray(0, n))).toThrow(MtlsError);
    }
  });

  it('rejects a certificate whose subject name is not valid UTF-8 at parse time', async () => {
    const { leaf } = await simpleChain('P-256', { subject: 'CN=zzzz' });
    const der = leaf.der.slice();
    const at = Buffer.from(der).indexOf('zzzz', 0, 'latin1');
    // The last occurrence is the subject (the issuer comes first and is not zzzz).
    expect(at).toBeGreaterThan(0);
    der[at - 2] = 0x0c; // UTF8String
    der.set([0xff, 0xfe, 0xfd, 0xfc], at);
    expect(() => parseCertificates(der)).toThrow(/UTF-8/);
  });

  it('reads an OpenSSL TRUSTED CERTIFICATE with an alias, and refuses one with trust settings', async () => {
    const { root } = await simpleChain();
    const dir = mkdtempSync(join(tmpdir(), 'mtls-gate-trusted-'));
    try {
      writeFileSync(join(dir, 'root.pem'), root.pem);
      const openssl = (...args: string[]) =>
        execFileSync('openssl', ['x509', '-in', join(dir, 'root.pem'), '-trustout', ...args], {
          encoding: 'utf8',
        });
      const aliased = openssl('-setalias', 'partners');
      expect(aliased).toContain('BEGIN TRUSTED CERTIFICATE');
      expect(parseCertificates(aliased)[0]!.fingerprint256).toBe(
        parseCertificates(root.pem)[0]!.fingerprint256,
      );
      const trusted = openssl('-addtrust', 'serverAuth');
      expect(() => parseCertificates(trusted)).toThrow(/trust or reject settings/);
      const rejected = openssl('-addreject', 'clientAuth');
      expect(() => parseCertificates(rejected)).toThrow(/trust or reject settings/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Certificate.fromDER on PEM text given as bytes', () => {
  it('says the bytes are PEM and how to pass them, wherever bytes are taken', async () => {
    const { root } = await simpleChain();
    const bytes = new TextEncoder().encode(`\n${root.pem}`);
    expect(() => Certificate.fromDER(bytes)).toThrow(/PEM text, not DER/);
    expect(() => parseCertificates(bytes)).toThrow(/PEM text, not DER/);
    expect(() => new TrustStore().addBundle('b', bytes)).toThrow(/PEM text, not DER/);
    // Other garbage keeps the DER reader's own message.
    expect(() => Certificate.fromDER(Uint8Array.from([0x2d, 0x2d, 0x41]))).toThrow(
      /not a valid X.509 certificate: (?!these bytes are PEM)/,
    );
  });
});

describe('Certificate.fromDER on what is not bytes', () => {
  it('throws 4018 malformed, not a TypeError, for undefined and null from JavaScript callers', () => {
    for (const value of [undefined, null, 'text', 42]) {
      expect(() => Certificate.fromDER(value as unknown as Uint8Array)).toThrow(MtlsError);
    }
  });
});
