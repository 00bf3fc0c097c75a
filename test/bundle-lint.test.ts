import { describe, expect, it } from 'vitest';
import { daysLeft, lintBundle, parseCertificates, validityStatus } from '../src/index.js';
import { ca, DAY, endEntity, NOW, x509 } from './fixtures/pki.js';

describe('lintBundle', () => {
  it('reports nothing for a bundle of valid CA certificates', async () => {
    const root = await ca('Clean Root');
    const other = await ca('Other Root', { key: 'RSA-2048' });
    expect(lintBundle(root.pem + other.pem, { at: NOW })).toEqual([]);
  });

  it('flags a leaf certificate as not a CA, as an error', async () => {
    const root = await ca('Root');
    const leaf = await endEntity('leaf.example', { issuer: root });
    const findings = lintBundle([root.pem, leaf.pem], { at: NOW });
    expect(findings.map((f) => [f.kind, f.severity, f.index])).toEqual([['not-ca', 'error', 1]]);
    expect(findings[0]!.message).toContain('CN=leaf.example');
  });

  it('flags the second copy of a certificate as a duplicate of the first', async () => {
    const root = await ca('Twice');
    const findings = lintBundle(root.pem + root.pem, { at: NOW });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'duplicate', severity: 'warning', index: 1 });
    expect(findings[0]!.message).toContain('#1');
  });

  it('flags an expired anchor and one that is not yet valid as errors', async () => {
    const old = await ca('Old', {
      notBefore: new Date(NOW.getTime() - 400 * DAY),
      notAfter: new Date(NOW.getTime() - DAY),
    });
    const future = await ca('Future', { notBefore: new Date(NOW.getTime() + DAY) });
    const kinds = lintBundle([old.der, future.der], { at: NOW }).map((f) => f.kind);
    expect(kinds).toEqual(['expired', 'not-yet-valid']);
  });

  it('warns about an anchor expiring within 14 days but not one expiring in 15', async () => {
    const soon = await ca('Soon', { notAfter: new Date(NOW.getTime() + 10 * DAY) });
    const later = await ca('Later', { notAfter: new Date(NOW.getTime() + 15 * DAY + 1000) });
    const findings = lintBundle([soon.pem, later.pem], { at: NOW });
    expect(findings.map((f) => [f.kind, f.index])).toEqual([['expiring', 0]]);
    expect(findings[0]!.message).toContain('expires in 10 days');
  });

  it('uses a custom expiry window when one is given', async () => {
    const soon = await ca('Month', { notAfter: new Date(NOW.getTime() + 20 * DAY) });
    expect(lintBundle(soon.pem, { at: NOW, expiringWithinDays: 30 })[0]?.kind).toBe('expiring');
  });

  it('flags an RSA key under 2048 bits as weak', async () => {
    const keys = (await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        hash: 'SHA-256',
        publicExponent: new Uint8Array([1, 0, 1]),
        modulusLength: 1024,
      },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      name: 'CN=Small RSA',
      keys,
      notBefore: new Date(NOW.getTime() - DAY),
      notAfter: new Date(NOW.getTime() + 100 * DAY),
      signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as Algorithm,
      extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
    });
    const findings = lintBundle(cert.toString('pem'), { at: NOW });
    expect(findings.map((f) => f.kind)).toEqual(['weak-key']);
    expect(findings[0]!.message).toContain('RSA key of 1024 bits');
  });

  it('flags a SHA-1 signature', async () => {
    const keys = (await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        hash: 'SHA-1',
        publicExponent: new Uint8Array([1, 0, 1]),
        modulusLength: 2048,
      },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      name: 'CN=Old Hash',
      keys,
      notBefore: new Date(NOW.getTime() - DAY),
      notAfter: new Date(NOW.getTime() + 100 * DAY),
      signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' } as Algorithm,
      extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
    });
    const findings = lintBundle(cert.toString('pem'), { at: NOW });
    expect(findings.map((f) => [f.kind, f.severity])).toEqual([['weak-signature', 'warning']]);
    expect(findings[0]!.message).toContain('SHA-1');
  });

  it('throws a malformed MtlsError for input that is not a certificate', () => {
    expect(() =>
      lintBundle('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
    ).toThrow(expect.objectContaining({ code: 4018, reason: 'malformed' }));
  });
});

describe('validityStatus and daysLeft', () => {
  it('treat notAfter itself as still valid and count whole days left', async () => {
    const root = await ca('Edge', { notAfter: new Date(NOW.getTime() + 30 * DAY) });
    const [cert] = parseCertificates(root.pem);
    expect(validityStatus(cert!, { at: NOW })).toBe('valid');
    expect(daysLeft(cert!, NOW)).toBe(30);
    expect(validityStatus(cert!, { at: cert!.notAfter })).toBe('expiring');
    expect(validityStatus(cert!, { at: new Date(cert!.notAfterMs + 1000) })).toBe('expired');
    expect(daysLeft(cert!, new Date(cert!.notAfterMs + DAY + 1000))).toBe(-2);
  });
});
