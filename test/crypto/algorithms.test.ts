import { generateKeyPairSync, type KeyObject, webcrypto } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { Certificate } from '../../src/certificate.js';
import {
  checkKey,
  checkKeyStrength,
  isSchemeError,
  signatureScheme,
} from '../../src/crypto/algorithms.js';
import { OID } from '../../src/oids.js';
import { readPublicKeyInfo } from '../../src/public-key.js';
import { simpleChain } from '../fixtures/pki.js';

/** A DER TLV with a short or long length. */
function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  const len =
    body.length < 0x80
      ? [body.length]
      : [0x81 + (body.length > 0xff ? 1 : 0), ...bytesOf(body.length)];
  return new Uint8Array([tag, ...len, ...body]);
}
function bytesOf(n: number): number[] {
  return n > 0xff ? [n >> 8, n & 0xff] : [n];
}
const hex = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s/g, ''), 'hex'));
const NULL = hex('0500');
const OID_SHA256 = tlv(0x06, hex('608648016503040201'));
const OID_SHA384 = tlv(0x06, hex('608648016503040202'));
const OID_SHA1 = tlv(0x06, hex('2b0e03021a'));
const OID_MGF1 = tlv(0x06, hex('2a864886f70d010108'));

function pssParams(hash: Uint8Array, mgfHash: Uint8Array, salt?: number, trailer?: number) {
  return tlv(
    0x30,
    tlv(0xa0, tlv(0x30, hash, NULL)),
    tlv(0xa1, tlv(0x30, OID_MGF1, tlv(0x30, mgfHash, NULL))),
    ...(salt === undefined ? [] : [tlv(0xa2, tlv(0x02, new Uint8Array([salt])))]),
    ...(trailer === undefined ? [] : [tlv(0xa3, tlv(0x02, new Uint8Array([trailer])))]),
  );
}

describe('signatureScheme', () => {
  test.each([
    [OID.sha256WithRSAEncryption, NULL, { kind: 'rsa-pkcs1', hash: 'SHA-256' }],
    [OID.sha384WithRSAEncryption, undefined, { kind: 'rsa-pkcs1', hash: 'SHA-384' }],
    [OID.sha512WithRSAEncryption, NULL, { kind: 'rsa-pkcs1', hash: 'SHA-512' }],
    [OID.ecdsaWithSHA256, undefined, { kind: 'ecdsa', hash: 'SHA-256' }],
    [OID.ecdsaWithSHA384, undefined, { kind: 'ecdsa', hash: 'SHA-384' }],
    [OID.ecdsaWithSHA512, undefined, { kind: 'ecdsa', hash: 'SHA-512' }],
    [OID.ed25519, undefined, { kind: 'ed25519' }],
    [OID.ed448, undefined, { kind: 'ed448' }],
  ])('%s maps to its scheme', (oid, parameters, expected) => {
    expect(signatureScheme({ oid, parameters })).toEqual(expected);
  });

  test('SHA-1 with RSA and ECDSA are accepted only with allowSha1', () => {
    const options = { allowSha1: true };
    expect(signatureScheme({ oid: OID.sha1WithRSAEncryption, parameters: NULL }, options)).toEqual({
      kind: 'rsa-pkcs1',
      hash: 'SHA-1',
    });
    expect(signatureScheme({ oid: OID.ecdsaWithSHA1, parameters: undefined }, options)).toEqual({
      kind: 'ecdsa',
      hash: 'SHA-1',
    });
    const pss = { oid: OID.rsassaPss, parameters: pssParams(OID_SHA1, OID_SHA1) };
    expect(isSchemeError(signatureScheme(pss, options))).toBe(true);
  });

  test('RSASSA-PSS parameters are read: hash, MGF1 hash, salt length', () => {
    expect(
      signatureScheme({ oid: OID.rsassaPss, parameters: pssParams(OID_SHA256, OID_SHA256, 32) }),
    ).toEqual({ kind: 'rsa-pss', hash: 'SHA-256', saltLength: 32 });
    expect(
      signatureScheme({ oid: OID.rsassaPss, parameters: pssParams(OID_SHA384, OID_SHA384) }),
    ).toEqual({ kind: 'rsa-pss', hash: 'SHA-384', saltLength: 20 });
  });

  test.each([
    ['SHA-1 with RSA', { oid: OID.sha1WithRSAEncryption, parameters: NULL }, /SHA-1/],
    ['ECDSA with SHA-1', { oid: OID.ecdsaWithSHA1, parameters: undefined }, /SHA-1/],
    ['an unknown OID', { oid: '1.2.3.4', parameters: undefined }, /1\.2\.3\.4/],
    [
      'RSA with non-NULL parameters',
      { oid: OID.sha256WithRSAEncryption, parameters: OID_SHA1 },
      /NULL/,
    ],
    ['ECDSA with parameters', { oid: OID.ecdsaWithSHA256, parameters: NULL }, /parameters/],
    ['Ed25519 with parameters', { oid: OID.ed25519, parameters: NULL }, /parameters/],
    ['PSS without parameters', { oid: OID.rsassaPss, parameters: undefined }, /without/],
    ['PSS with the SHA-1 defaults', { oid: OID.rsassaPss, parameters: hex('3000') }, /SHA-1/],
    [
      'PSS with different hashes',
      { oid: OID.rsassaPss, parameters: pssParams(OID_SHA256, OID_SHA384) },
      /different/,
    ],
    ['PSS with SHA-1', { oid: OID.rsassaPss, parameters: pssParams(OID_SHA1, OID_SHA1) }, /SHA-2/],
    [
      'PSS with trailer field 2',
      { oid: OID.rsassaPss, parameters: pssParams(OID_SHA256, OID_SHA256, 32, 2) },
      /trailer/,
    ],
    ['PSS with garbage parameters', { oid: OID.rsassaPss, parameters: hex('3003020101ff') }, /PSS/],
  ])('%s is unsupported-algorithm', (_name, alg, message) => {
    const result = signatureScheme(alg);
    expect(isSchemeError(result)).toBe(true);
    if (isSchemeError(result)) {
      expect(result.reason).toBe('unsupported-algorithm');
      expect(result.message).toMatch(message);
    }
  });

  test('the schemes of generated certificates are what their keys sign with', async () => {
    const kinds = { 'P-384': 'ecdsa', 'RSA-PSS': 'rsa-pss', Ed25519: 'ed25519' } as const;
    for (const [kind, scheme] of Object.entries(kinds)) {
      const { leaf } = await simpleChain(kind as keyof typeof kinds);
      const cert = Certificate.fromDER(leaf.der);
      expect((signatureScheme(cert.signatureAlgorithm) as { kind: string }).kind).toBe(scheme);
    }
  });
});

function spkiOf(type: 'ec' | 'dsa' | 'rsa', options: Record<string, unknown>) {
  const { publicKey } = (
    generateKeyPairSync as unknown as (t: string, o: unknown) => { publicKey: KeyObject }
  )(type, options);
  return readPublicKeyInfo(new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })));
}

describe('key strength', () => {
  test('RSA of 2048 bits, P-256, P-384, P-521 and Ed25519 keys are accepted', async () => {
    for (const kind of ['RSA-2048', 'P-256', 'P-384', 'P-521', 'Ed25519'] as const) {
      const { leaf } = await simpleChain(kind);
      expect(checkKeyStrength(Certificate.fromDER(leaf.der).publicKey), kind).toBeUndefined();
    }
  });

  test('an RSA key under 2048 bits is weak-key', () => {
    const key = spkiOf('rsa', { modulusLength: 1024 });
    expect(checkKeyStrength(key)).toEqual({ reason: 'weak-key', message: 'RSA key of 1024 bits' });
  });

  test('an RSA modulus that is not a whole number of octets is weak-key', () => {
    const key = spkiOf('rsa', { modulusLength: 2052 });
    expect(checkKeyStrength(key)?.reason).toBe('weak-key');
  });

  test('EC keys on P-192 and secp256k1 are weak-key', () => {
    for (const namedCurve of ['prime192v1', 'secp256k1']) {
      expect(checkKeyStrength(spkiOf('ec', { namedCurve }))?.reason, namedCurve).toBe('weak-key');
    }
  });

  test('DSA keys are weak-key', () => {
    const key = spkiOf('dsa', { modulusLength: 2048, divisorLength: 256 });
    expect(checkKeyStrength(key)).toEqual({
      reason: 'weak-key',
      message: 'DSA keys are not accepted',
    });
  });

  test('a key that cannot have made the signature is bad-signature', async () => {
    const pair = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ]);
    const spki = new Uint8Array(await webcrypto.subtle.exportKey('spki', pair.publicKey));
    const ec = readPublicKeyInfo(spki);
    expect(checkKey(ec, { kind: 'rsa-pkcs1', hash: 'SHA-256' })?.reason).toBe('bad-signature');
    expect(checkKey(ec, { kind: 'ed25519' })?.reason).toBe('bad-signature');
    expect(checkKey(ec, { kind: 'ecdsa', hash: 'SHA-384' })).toBeUndefined();
  });
});
