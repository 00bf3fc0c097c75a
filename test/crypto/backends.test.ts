import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Certificate } from '../../src/certificate.js';
import { type CryptoBackend, verifyIssued } from '../../src/crypto/backend.js';
import { createNodeBackend } from '../../src/crypto/node.js';
import { createWebCryptoBackend, ecdsaRaw } from '../../src/crypto/webcrypto.js';
import { parseCertificates } from '../../src/input.js';
import { type KeyKind, simpleChain } from '../fixtures/pki.js';

const KINDS: KeyKind[] = ['P-256', 'P-384', 'P-521', 'RSA-2048', 'RSA-PSS', 'Ed25519'];

/** A copy of the certificate with one bit of its signature flipped. */
function tampered(cert: Certificate): Certificate {
  const der = cert.der.slice();
  der[der.length - 1]! ^= 0x01;
  return Certificate.fromDER(der);
}

describe.each(KINDS)('%s signatures', (kind) => {
  test('node:crypto and WebCrypto both verify a genuine signature and refuse a tampered one', async () => {
    const { intermediate, leaf } = await simpleChain(kind);
    const issuer = Certificate.fromDER(intermediate.der);
    const subject = Certificate.fromDER(leaf.der);
    const backends: CryptoBackend[] = [createNodeBackend(), createWebCryptoBackend()];
    const verdicts = await Promise.all(
      backends.flatMap((b) => [
        verifyIssued(b, subject, issuer),
        verifyIssued(b, tampered(subject), issuer),
      ]),
    );
    expect(verdicts[0]).toBe(true);
    expect(verdicts[2]).toBe(true);
    expect((verdicts[1] as { reason: string }).reason).toBe('bad-signature');
    expect((verdicts[3] as { reason: string }).reason).toBe('bad-signature');
  });
});

describe('backends', () => {
  test('the node backend answers synchronously', async () => {
    const { intermediate, leaf } = await simpleChain('P-256');
    const result = verifyIssued(
      createNodeBackend(),
      Certificate.fromDER(leaf.der),
      Certificate.fromDER(intermediate.der),
    );
    expect(result).toBe(true);
  });

  test('the wrong issuer key is bad-signature in both backends', async () => {
    const a = await simpleChain('P-256');
    const b = await simpleChain('P-256');
    const subject = Certificate.fromDER(a.leaf.der);
    const stranger = Certificate.fromDER(b.intermediate.der);
    for (const backend of [createNodeBackend(), createWebCryptoBackend()]) {
      const result = await verifyIssued(backend, subject, stranger);
      expect(result, backend.name).toMatchObject({ reason: 'bad-signature' });
    }
  });

  test('a WebCrypto backend without crypto.subtle refuses instead of throwing', async () => {
    const { intermediate, leaf } = await simpleChain('P-256');
    const backend = createWebCryptoBackend({} as never);
    const result = await verifyIssued(
      backend,
      Certificate.fromDER(leaf.der),
      Certificate.fromDER(intermediate.der),
    );
    expect(result).toMatchObject({ reason: 'bad-signature' });
  });
});

describe('ecdsaRaw', () => {
  const der = (r: number[], s: number[]) =>
    new Uint8Array([0x30, r.length + s.length + 4, 0x02, r.length, ...r, 0x02, s.length, ...s]);

  test('left-pads r and s to the field size', () => {
    expect(ecdsaRaw(der([0x01], [0x00, 0x80]), 2)).toEqual(new Uint8Array([0, 1, 0, 0x80]));
  });

  test('refuses a negative value, a value wider than the field, and trailing bytes', () => {
    expect(ecdsaRaw(der([0x80], [0x01]), 2)).toBeUndefined();
    expect(ecdsaRaw(der([1, 2, 3], [0x01]), 2)).toBeUndefined();
    expect(ecdsaRaw(new Uint8Array([...der([1], [1]), 0]), 2)).toBeUndefined();
    expect(ecdsaRaw(der([0x00, 0x01], [0x01]), 2)).toBeUndefined();
  });
});

const HAVE_OPENSSL = spawnSync('openssl', ['version']).status === 0;

describe('Ed448', () => {
  // @peculiar/x509 cannot sign with Ed448, so the certificate comes from the openssl CLI.
  test('a self-signed Ed448 certificate from openssl verifies in both backends', async () => {
    expect(HAVE_OPENSSL, 'openssl is needed to make an Ed448 certificate').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'mtls-ed448-'));
    try {
      const args = ['req', '-x509', '-newkey', 'ed448', '-nodes', '-subj', '/CN=Ed448 Root'];
      args.push('-days', '2', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'));
      expect(spawnSync('openssl', args).status).toBe(0);
      const cert = parseCertificates(readFileSync(join(dir, 'c.pem'), 'utf8'))[0]!;
      expect(cert.publicKey.algorithm).toBe('Ed448');
      expect(verifyIssued(createNodeBackend(), cert, cert)).toBe(true);
      expect(await verifyIssued(createWebCryptoBackend(), cert, cert)).toBe(true);
      expect(
        (await verifyIssued(createNodeBackend(), tampered(cert), cert)) as unknown,
      ).toMatchObject({
        reason: 'bad-signature',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
