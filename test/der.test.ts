import { describe, expect, it } from 'vitest';
import {
  DerError,
  DerReader,
  decodeBitString,
  decodeBoolean,
  decodeOid,
  decodeSmallInteger,
  decodeTime,
  integerBytes,
  type Tlv,
  toHex,
} from '../src/der.js';

function tlv(...bytes: number[]): Tlv {
  return new DerReader(new Uint8Array(bytes)).read();
}

function time(tag: number, text: string): number {
  return decodeTime(tlv(tag, text.length, ...Buffer.from(text, 'latin1')));
}

describe('DerReader', () => {
  it('reads short and long definite lengths', () => {
    const long = new Uint8Array([0x04, 0x81, 0x80, ...new Array(0x80).fill(7)]);
    const t = new DerReader(long).read();
    expect(t.end - t.valueStart).toBe(0x80);
    expect(tlv(0x05, 0x00).end).toBe(2);
  });

  it.each([
    ['an indefinite length', [0x30, 0x80, 0x00, 0x00], /indefinite/],
    ['a long form for a short length', [0x04, 0x81, 0x05, 1, 2, 3, 4, 5], /minimally/],
    ['a length with a leading zero octet', [0x04, 0x82, 0x00, 0x81], /minimally/],
    ['a value running past its container', [0x04, 0x05, 1, 2], /truncated/],
    ['a high tag number', [0x1f, 0x81, 0x00, 0x00], /high tag/],
    ['a lone identifier octet', [0x30], /truncated/],
  ])('rejects %s', (_name, bytes, message) => {
    expect(() => new DerReader(new Uint8Array(bytes)).read()).toThrow(message);
  });

  it('refuses trailing data where a structure must end', () => {
    const r = new DerReader(new Uint8Array([0x05, 0x00, 0x05, 0x00]));
    r.read();
    expect(() => r.done('test')).toThrow(/trailing/);
  });
});

describe('primitive decoders', () => {
  it('decodes object identifiers, including large arcs and the 2.x top arc', () => {
    expect(decodeOid(tlv(0x06, 0x03, 0x55, 0x04, 0x03))).toBe('2.5.4.3');
    expect(decodeOid(tlv(0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07))).toBe(
      '1.2.840.10045.3.1.7',
    );
    expect(decodeOid(tlv(0x06, 0x02, 0x88, 0x37))).toBe('2.999');
  });

  it('rejects non-minimal and truncated OID arcs', () => {
    expect(() => decodeOid(tlv(0x06, 0x02, 0x80, 0x01))).toThrow(DerError);
    expect(() => decodeOid(tlv(0x06, 0x02, 0x55, 0x84))).toThrow(/truncated/);
  });

  it('holds INTEGERs to DER minimality', () => {
    expect(toHex(integerBytes(tlv(0x02, 0x02, 0x00, 0x80)))).toBe('0080');
    expect(() => integerBytes(tlv(0x02, 0x02, 0x00, 0x7f))).toThrow(/minimally/);
    expect(() => integerBytes(tlv(0x02, 0x02, 0xff, 0x80))).toThrow(/minimally/);
    expect(decodeSmallInteger(tlv(0x02, 0x01, 0x05))).toBe(5);
    expect(() => decodeSmallInteger(tlv(0x02, 0x01, 0xff))).toThrow(/negative/);
  });

  it('accepts only 0x00 and 0xff as BOOLEAN', () => {
    expect(decodeBoolean(tlv(0x01, 0x01, 0xff))).toBe(true);
    expect(decodeBoolean(tlv(0x01, 0x01, 0x00))).toBe(false);
    expect(() => decodeBoolean(tlv(0x01, 0x01, 0x01))).toThrow(/0x00 or 0xff/);
  });

  it('checks BIT STRING padding', () => {
    expect(decodeBitString(tlv(0x03, 0x02, 0x07, 0x80)).unusedBits).toBe(7);
    expect(() => decodeBitString(tlv(0x03, 0x02, 0x07, 0x81))).toThrow(/padding/);
    expect(() => decodeBitString(tlv(0x03, 0x01, 0x01))).toThrow(/padding/);
  });
});

describe('decodeTime', () => {
  it('reads UTCTime with the RFC 5280 century rule', () => {
    expect(new Date(time(0x17, '491231235959Z')).toISOString()).toBe('2049-12-31T23:59:59.000Z');
    expect(new Date(time(0x17, '500101000000Z')).toISOString()).toBe('1950-01-01T00:00:00.000Z');
  });

  it('reads GeneralizedTime, including years below 100 literally', () => {
    expect(new Date(time(0x18, '20500101000000Z')).toISOString()).toBe('2050-01-01T00:00:00.000Z');
    expect(new Date(time(0x18, '00010101000000Z')).getUTCFullYear()).toBe(1);
  });

  it.each([
    ['a missing Z', 0x17, '4912312359590'],
    ['missing seconds', 0x17, '4912312359Z'],
    ['fractional seconds', 0x18, '20500101000000.5Z'],
    ['an offset', 0x18, '20500101000000+0100'],
    ['February 30', 0x18, '20250230000000Z'],
    ['hour 24', 0x17, '491231240000Z'],
  ])('rejects %s', (_name, tag, text) => {
    expect(() => time(tag, text)).toThrow(DerError);
  });
});
