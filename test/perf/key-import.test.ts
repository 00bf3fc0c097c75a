import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jwkOf } from '../../src/crypto/node.js';
import { readPublicKeyInfo } from '../../src/public-key.js';

// The node backend imports issuer keys through JWK when JWK says the same thing, because the
// DER decoder of OpenSSL 3 is 10-40x slower (src/crypto/node.ts). The two paths must give the
// same key, and every key JWK cannot express must be left to the DER path.

const spkiOf = (key: KeyObject) =>
  new Uint8Array(key.export({ type: 'spki', format: 'der' }) as Buffer);
const fromDer = (spki: Uint8Array) =>
  createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });

const KEYS: [string, () => KeyObject][] = [
  ['RSA-2048', () => generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey],
  [
    'RSA-3072 e=3',
    () => generateKeyPairSync('rsa', { modulusLength: 3072, publicExponent: 3 }).publicKey,
  ],
  ['P-256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey],
  ['P-384', () => generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey],
  ['P-521', () => generateKeyPairSync('ec', { namedCurve: 'P-521' }).publicKey],
  ['Ed25519', () => generateKeyPairSync('ed25519').publicKey],
  ['Ed448', () => generateKeyPairSync('ed448').publicKey],
];

describe('issuer key import through JWK', () => {
  it.each(KEYS)('%s: the JWK-built key equals the DER-built key', (_name, make) => {
    for (let i = 0; i < 2; i++) {
      const spki = spkiOf(make());
      const jwk = jwkOf(readPublicKeyInfo(spki));
      expect(jwk).toBeDefined();
      const viaJwk = createPublicKey({ key: jwk!, format: 'jwk' });
      expect(viaJwk.equals(fromDer(spki))).toBe(true);
    }
  });

  it('leaves RSASSA-PSS keys, other curves and compressed points to the DER path', () => {
    const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey;
    expect(jwkOf(readPublicKeyInfo(spkiOf(pss)))).toBeUndefined();
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey;
    expect(jwkOf(readPublicKeyInfo(spkiOf(k1)))).toBeUndefined();
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const compressed = p256.export({ format: 'jwk' });
    expect(compressed.kty).toBe('EC');
    // A compressed point: 0x02/0x03 and x only.
    const info = readPublicKeyInfo(spkiOf(p256));
    const point = new Uint8Array(33);
    point[0] = 0x02 | (info.key[64]! & 1);
    point.set(info.key.subarray(1, 33), 1);
    expect(jwkOf({ ...info, key: point })).toBeUndefined();
  });

  it('refuses a point off the curve on both paths', () => {
    const spki = spkiOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);
    spki[spki.length - 1] = spki[spki.length - 1]! ^ 1;
    const jwk = jwkOf(readPublicKeyInfo(spki));
    expect(() => createPublicKey({ key: jwk!, format: 'jwk' })).toThrow();
    expect(() => fromDer(spki)).toThrow();
  });
});
