/**
 * Review check: an RSASSA-PSS public key with parameters (RFC 4055 §3.1) may only verify
 * PSS signatures with the same hash and mask generation hash, and a salt at least as long
 * as its own (RFC 4055 §3.3). node:crypto enforces that through OpenSSL as long as the key is
 * imported from its DER (the JWK fast path must never take such a key: JWK cannot carry the
 * restriction). A guard for that, and a record that WebCrypto refuses these keys outright.
 */
import { constants, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { Certificate } from '../../src/certificate.js';
import { verifyIssued } from '../../src/crypto/backend.js';
import { createNodeBackend } from '../../src/crypto/node.js';
import { createWebCryptoBackend } from '../../src/crypto/webcrypto.js';
import { tlv } from '../chain/helpers.js';

const oid = (dotted: string) => {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [a! * 40 + b!];
  for (const n of rest) {
    const bytes = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) bytes.unshift((v & 0x7f) | 0x80);
    out.push(...bytes);
  }
  return tlv(0x06, new Uint8Array(out));
};
const int = (n: number) => tlv(0x02, new Uint8Array([n]));
const NULL = new Uint8Array([0x05, 0x00]);
const HASH = { 'SHA-256': '2.16.840.1.101.3.4.2.1', 'SHA-512': '2.16.840.1.101.3.4.2.3' };
const NODE_HASH = { 'SHA-256': 'sha256', 'SHA-512': 'sha512' } as const;

/** RSASSA-PSS-params with hash, MGF1 over the same hash, and a salt length. */
function pssParams(hash: keyof typeof HASH, salt: number): Uint8Array {
  const hashAlg = tlv(0x30, oid(HASH[hash]), NULL);
  return tlv(
    0x30,
    tlv(0xa0, hashAlg),
    tlv(0xa1, tlv(0x30, oid('1.2.840.113549.1.1.8'), hashAlg)),
    tlv(0xa2, int(salt)),
  );
}

const PSS = '1.2.840.113549.1.1.10';
const name = (cn: string) =>
  tlv(0x30, tlv(0x31, tlv(0x30, oid('2.5.4.3'), tlv(0x0c, new Uint8Array(Buffer.from(cn))))));
const time = (s: string) => tlv(0x18, new Uint8Array(Buffer.from(s)));
const validity = tlv(0x30, time('20200101000000Z'), time('20400101000000Z'));

function certificate(
  issuer: string,
  subject: string,
  spki: Uint8Array,
  sigAlg: Uint8Array,
  signer: (tbs: Uint8Array) => Uint8Array,
): Certificate {
  const tbs = tlv(
    0x30,
    tlv(0xa0, int(2)),
    int(7),
    sigAlg,
    name(issuer),
    validity,
    name(subject),
    spki,
  );
  const signature = signer(tbs);
  const bits = tlv(0x03, new Uint8Array([0]), signature);
  return Certificate.fromDER(tlv(0x30, tbs, sigAlg, bits));
}

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
// The same key material, published as an RSASSA-PSS key restricted to SHA-256 and salt 32.
const rsaSpki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
const rsaPublicKeyBits = rsaSpki.subarray(rsaSpki.length - 275); // BIT STRING TLV of RSA-2048
const restrictedSpki = tlv(0x30, tlv(0x30, oid(PSS), pssParams('SHA-256', 32)), rsaPublicKeyBits);
const issuer = certificate(
  'Restricted CA',
  'Restricted CA',
  restrictedSpki,
  tlv(0x30, oid(PSS), pssParams('SHA-256', 32)),
  () => new Uint8Array(256),
);

function leafSignedWith(hash: keyof typeof HASH, salt: number): Certificate {
  const subjectSpki = rsaSpki;
  return certificate(
    'Restricted CA',
    'leaf',
    subjectSpki,
    tlv(0x30, oid(PSS), pssParams(hash, salt)),
    (tbs) =>
      new Uint8Array(
        sign(NODE_HASH[hash], tbs, {
          key: privateKey,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: salt,
        }),
      ),
  );
}

describe('an RSASSA-PSS key restricted to SHA-256, salt 32', () => {
  const node = createNodeBackend();
  const web = createWebCryptoBackend();

  test('node:crypto verifies a PSS SHA-256 signature with salt 32', async () => {
    expect(rsaPublicKeyBits[0]).toBe(0x03);
    expect(await verifyIssued(node, leafSignedWith('SHA-256', 32), issuer)).toBe(true);
  });

  test('both backends refuse a PSS SHA-512 signature and a shorter salt', async () => {
    for (const backend of [node, web]) {
      expect(await verifyIssued(backend, leafSignedWith('SHA-512', 64), issuer)).not.toBe(true);
      expect(await verifyIssued(backend, leafSignedWith('SHA-256', 20), issuer)).not.toBe(true);
    }
  });

  test('WebCrypto cannot import an id-RSASSA-PSS key at all: it fails closed', async () => {
    const result = await verifyIssued(web, leafSignedWith('SHA-256', 32), issuer);
    expect(result).not.toBe(true);
  });
});
