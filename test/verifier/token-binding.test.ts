import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  certificateThumbprint,
  checkCertificateBinding,
  MtlsError,
  parseCertificates,
} from '../../src/index.js';
import { endEntity, simpleChain } from '../fixtures/pki.js';

const { leaf, intermediate } = await simpleChain();
const other = await endEntity('someone-else');

/** The RFC 8705 value computed by the openssl CLI, independently of our code. */
function opensslThumbprint(pem: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'x5t-'));
  const file = join(dir, 'cert.pem');
  writeFileSync(file, pem);
  const der = execFileSync('openssl', ['x509', '-in', file, '-outform', 'DER']);
  const digest = execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: der });
  return digest.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

describe('certificateThumbprint', () => {
  it('equals the base64url SHA-256 of the DER that openssl computes', () => {
    const expected = opensslThumbprint(leaf.pem);
    expect(expected).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(certificateThumbprint(leaf.pem)).toBe(expected);
    expect(certificateThumbprint(leaf.der)).toBe(expected);
    expect(certificateThumbprint(parseCertificates(leaf.pem)[0]!)).toBe(expected);
  });

  it('takes the first certificate of a chain', () => {
    expect(certificateThumbprint(`${leaf.pem}\n${intermediate.pem}`)).toBe(
      opensslThumbprint(leaf.pem),
    );
  });

  it('throws MtlsError for input that is not a certificate', () => {
    expect(() => certificateThumbprint(new Uint8Array([1, 2, 3]))).toThrow(MtlsError);
  });
});

describe('checkCertificateBinding', () => {
  const bound = { cnf: { 'x5t#S256': opensslThumbprint(leaf.pem) } };

  it('accepts a token bound to the presented certificate', () => {
    expect(checkCertificateBinding(bound, leaf.der)).toBe(true);
  });

  it('refuses a token bound to another certificate', () => {
    expect(checkCertificateBinding(bound, other.der)).toBe(false);
  });

  it('refuses tokens without a usable confirmation claim', () => {
    const thumb = bound.cnf['x5t#S256'];
    const claims: unknown[] = [
      {},
      null,
      undefined,
      { cnf: null },
      { cnf: {} },
      { cnf: { 'x5t#S256': 42 } },
      { cnf: { 'x5t#S256': `${thumb}=` } },
      { cnf: { 'x5t#S256': thumb.slice(1) } },
      { cnf: { 'x5t#S256': Buffer.from(thumb, 'base64url').toString('base64') } },
      { cnf: { x5t: thumb } },
    ];
    for (const claim of claims) {
      expect(checkCertificateBinding(claim as { cnf?: { 'x5t#S256'?: string } }, leaf.der)).toBe(
        false,
      );
    }
  });
});
