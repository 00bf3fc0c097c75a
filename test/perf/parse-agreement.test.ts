import { describe, expect, it } from 'vitest';
import { Certificate } from '../../src/certificate.js';
import { DerError, DerReader, decodeOid, decodeTime } from '../../src/der.js';
import { type KeyKind, simpleChain, x509 } from '../fixtures/pki.js';

// The leaf is read by the minimal DER reader (src/der.ts, src/certificate.ts) because the full
// parsers are the bottleneck of a cold validation. These tests hold the fast path to what
// @peculiar/x509's full parse says about the same bytes, and pin the shortcuts taken for
// speed (the OID memo, the day-of-month arithmetic) to the plain computations they replace.

const hex = (b: ArrayBuffer | Uint8Array) => Buffer.from(b as Uint8Array).toString('hex');

describe('fast parse agrees with @peculiar/x509', () => {
  it.each<KeyKind>(['P-256', 'RSA-2048', 'Ed25519', 'RSA-PSS'])('%s chain', async (kind) => {
    const chain = await simpleChain(kind, {
      san: [
        { type: 'dns', value: 'svc.example' },
        { type: 'email', value: 'ops@example.com' },
        { type: 'ip', value: '10.1.2.3' },
      ],
    });
    for (const issued of [chain.leaf, chain.intermediate, chain.root]) {
      const ours = Certificate.fromDER(issued.der);
      const full = new x509.X509Certificate(issued.der as Uint8Array<ArrayBuffer>);
      expect(ours.serialNumber).toBe(full.serialNumber.toLowerCase());
      expect(ours.notBeforeMs).toBe(full.notBefore.getTime());
      expect(ours.notAfterMs).toBe(full.notAfter.getTime());
      expect(hex(ours.spki)).toBe(hex(full.publicKey.rawData));
      expect(hex(ours.signature)).toBe(hex(full.signature));
      expect(ours.extensions.map((e) => [e.oid, e.critical, hex(e.value)])).toEqual(
        full.extensions.map((e) => [e.type, e.critical, hex(e.value)]),
      );
      const ski = full.getExtension(x509.SubjectKeyIdentifierExtension);
      expect(ours.subjectKeyIdentifier && hex(ours.subjectKeyIdentifier)).toBe(ski?.keyId);
      const bc = full.getExtension(x509.BasicConstraintsExtension);
      expect(ours.isCA).toBe(bc?.ca === true);
      const eku = full.getExtension(x509.ExtendedKeyUsageExtension);
      expect(ours.extendedKeyUsage).toEqual(eku ? eku.usages.map(String) : undefined);
      const san = full.getExtension(x509.SubjectAlternativeNameExtension);
      expect(ours.generalNames.length).toBe(san ? san.names.items.length : 0);
    }
  });
});

/** The OID decoder without the memo, written the obvious way, as the reference. */
function referenceOid(content: number[]): string {
  const arcs: number[] = [];
  let v = 0;
  for (const b of content) {
    v = v * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      arcs.push(v);
      v = 0;
    }
  }
  const first = arcs.shift()!;
  const top = first < 40 ? 0 : first < 80 ? 1 : 2;
  return [top, first - top * 40, ...arcs].join('.');
}

const oidTlv = (content: number[]) =>
  new DerReader(Uint8Array.from([0x06, content.length, ...content])).read();

describe('decodeOid memo', () => {
  it('gives the reference decoding, first time and remembered', () => {
    const samples = [
      [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b],
      [0x55, 0x1d, 0x0f],
      [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02],
      [0x88, 0x37, 0x01],
      [0x00],
      [0x81, 0x00],
    ];
    for (const s of samples) {
      expect(decodeOid(oidTlv(s))).toBe(referenceOid(s));
      expect(decodeOid(oidTlv(s))).toBe(referenceOid(s));
    }
  });

  it('refuses malformed content every time (nothing bad is remembered)', () => {
    for (let k = 0; k < 3; k++) {
      expect(() => decodeOid(oidTlv([0x2a, 0x86]))).toThrow(DerError);
      expect(() => decodeOid(oidTlv([0x80, 0x01]))).toThrow(DerError);
    }
  });

  it('stays correct past its bound', () => {
    for (let i = 0; i < 3000; i++) {
      const s = [0x2a, 0x80 | ((i >> 7) & 0x7f), i & 0x7f];
      if (s[1] === 0x80) s.splice(1, 1);
      expect(decodeOid(oidTlv(s))).toBe(referenceOid(s));
    }
  });
});

describe('decodeTime day-of-month arithmetic', () => {
  const gt = (s: string) =>
    new DerReader(Uint8Array.from([0x18, s.length, ...Buffer.from(s)])).read();
  it('agrees with Date on every day of the month across leap rules', () => {
    for (const year of [1900, 1999, 2000, 2024, 2026, 2100, 2400]) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 28; day <= 31; day++) {
          const text = `${year}${String(month).padStart(2, '0')}${day}120000Z`;
          const ms = Date.UTC(year, month - 1, day, 12);
          const valid = new Date(ms).getUTCDate() === day;
          if (valid) expect(decodeTime(gt(text))).toBe(ms);
          else expect(() => decodeTime(gt(text))).toThrow(DerError);
        }
      }
    }
  });
});
