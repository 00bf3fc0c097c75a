/**
 * checkNameContents (the parse-time check of a subject decoded on first use) against
 * decodeNameContents: the same inputs pass, and the same inputs fail with the same error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Certificate } from '../../src/certificate.js';
import { checkNameContents, decodeNameContents } from '../../src/name-der.js';
import { nameContents, tlv } from '../fixtures/name-der-arbitrary.js';
import { simpleChain } from '../fixtures/pki.js';

function outcome(f: () => unknown): unknown {
  try {
    f();
    return 'ok';
  } catch (error) {
    return { threw: (error as Error).constructor.name, message: (error as Error).message };
  }
}

const agree = (bytes: Uint8Array) => {
  const decoded = outcome(() => decodeNameContents(bytes, 0, bytes.length));
  expect(outcome(() => checkNameContents(bytes, 0, bytes.length))).toEqual(decoded);
  return decoded;
};

const CN = [0x06, 0x03, 0x55, 0x04, 0x03];

describe('checkNameContents', () => {
  it('passes and fails on the same names as the decode, with the same error', () => {
    fc.assert(
      fc.property(nameContents, (bytes) => void agree(bytes)),
      { numRuns: 3000 },
    );
  });

  it('agrees on names with one octet changed or cut short', () => {
    fc.assert(
      fc.property(nameContents, fc.nat(), fc.nat(255), fc.boolean(), (bytes, at, octet, cut) => {
        if (bytes.length === 0) return;
        const copy = Uint8Array.from(bytes);
        copy[at % copy.length] = octet;
        agree(cut ? copy.subarray(0, at % copy.length) : copy);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees on arbitrary octets', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 48 }), (bytes) => void agree(bytes)),
      {
        numRuns: 3000,
      },
    );
  });

  it('covers each kind of failure the decode reports', () => {
    const failures = [
      [0x31, 0x00], // empty RDN
      tlv(0x31, tlv(0x30, [...CN, ...tlv(0x13, [0x80])])), // PrintableString, non-ASCII
      tlv(0x31, tlv(0x30, [...CN, ...tlv(0x0c, [0xc3])])), // UTF8String, cut sequence
      tlv(0x31, tlv(0x30, [...CN, ...tlv(0x1e, [0x00])])), // BMPString of odd length
      tlv(0x31, tlv(0x30, [...CN, ...tlv(0x1c, [0x00, 0x11, 0x00, 0x00])])), // beyond U+10FFFF
      tlv(0x31, tlv(0x30, [0x06, 0x01, 0x80, ...tlv(0x0c, [0x41])])), // OID not minimal
      tlv(0x31, tlv(0x30, [...CN, ...tlv(0x0c, [0x41]), 0x05, 0x00])), // trailing data
    ];
    for (const bytes of failures) {
      expect(agree(Uint8Array.from(bytes))).toMatchObject({ threw: 'DerError' });
    }
  });
});

describe('Certificate subject on first use', () => {
  it('decodes the subject the parse checked, once', async () => {
    const { leaf } = await simpleChain();
    const cert = Certificate.fromDER(leaf.der);
    const at = cert.subjectDer.byteOffset - cert.der.byteOffset;
    const contentsStart = at + (cert.subjectDer[1]! & 0x80 ? 2 + (cert.subjectDer[1]! & 0x7f) : 2);
    expect(cert.subjectName).toEqual(
      decodeNameContents(cert.der, contentsStart, at + cert.subjectDer.length),
    );
    expect(cert.subjectName).toBe(cert.subjectName);
    expect(cert.subject).toBe('CN=client.example');
  });

  it('refuses a certificate whose subject does not decode, at parse time', async () => {
    const { leaf } = await simpleChain();
    const der = Uint8Array.from(leaf.der);
    const cert = Certificate.fromDER(der);
    const at = cert.subjectDer.byteOffset - cert.der.byteOffset;
    // The subject's CN is a UTF8String or PrintableString ending the Name: make its last
    // octet non-ASCII and invalid as UTF-8 on its own.
    der[at + cert.subjectDer.length - 1] = 0xff;
    expect(() => Certificate.fromDER(der)).toThrow(/not a valid X.509 certificate/);
  });
});
