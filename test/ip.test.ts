import { describe, expect, it } from 'vitest';
import {
  formatIP,
  formatIPRange,
  ipInRange,
  maskPrefixLength,
  parseIP,
  parseIPRange,
} from '../src/ip.js';

const v6 = (text: string) => formatIP(parseIP(text)!);

describe('formatIP (RFC 5952)', () => {
  it.each([
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // §4.2.3: the first of equal runs
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // §4.2.2: one zero group stays
    ['2001:db8::0:1', '2001:db8::1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'],
    ['fe80:0:0:0:200:5eff:fe00:5213', 'fe80::200:5eff:fe00:5213'],
    ['0:0:0:0:0:ffff:c000:0201', '::ffff:192.0.2.1'], // §5 mixed notation
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['::192.0.2.1', '::c000:201'], // IPv4-compatible is deprecated; plain hex
    ['64:ff9b::192.0.2.1', '64:ff9b::c000:201'],
  ])('%s → %s', (input, expected) => {
    expect(v6(input)).toBe(expected);
  });

  it('prints IPv4 as dotted quad and refuses other lengths', () => {
    expect(formatIP(new Uint8Array([192, 0, 2, 255]))).toBe('192.0.2.255');
    expect(formatIP(new Uint8Array(5))).toBeUndefined();
  });
});

describe('parseIP', () => {
  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.0.0.1',
    '01.2.3.4',
    '1.2.3.4 ',
    '1..2.3',
    ':',
    ':::',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    '12345::',
    '1:2:3:4:5:6:7:1.2.3.4',
    'g::1',
    '::1%eth0',
    '1:',
    ':1',
  ])('refuses %j', (input) => {
    expect(parseIP(input)).toBeUndefined();
  });

  it('reads the full and the compressed forms to the same 16 octets', () => {
    expect(parseIP('1:0:0:0:0:0:0:8')).toEqual(parseIP('1::8'));
    expect(Array.from(parseIP('::ffff:1.2.3.4')!.subarray(10))).toEqual([0xff, 0xff, 1, 2, 3, 4]);
  });
});

describe('ranges and masks', () => {
  it('turns CIDR text into address and mask and back', () => {
    expect(Array.from(parseIPRange('10.1.0.0/16')!)).toEqual([10, 1, 0, 0, 255, 255, 0, 0]);
    expect(formatIPRange(parseIPRange('2001:db8::/33')!)).toBe('2001:db8::/33');
    expect(formatIPRange(new Uint8Array([10, 0, 0, 0, 255, 0, 255, 0]))).toBe(
      '10.0.0.0/255.0.255.0',
    );
    expect(parseIPRange('10.0.0.0/33')).toBeUndefined();
    expect(parseIPRange('10.0.0.0/08')).toBeUndefined();
    expect(parseIPRange('10.0.0.0')).toBeUndefined();
  });

  it('measures contiguous masks only', () => {
    expect(maskPrefixLength(new Uint8Array([255, 255, 240, 0]))).toBe(20);
    expect(maskPrefixLength(new Uint8Array([0, 0, 0, 0]))).toBe(0);
    expect(maskPrefixLength(new Uint8Array([255, 0, 1, 0]))).toBeUndefined();
    expect(maskPrefixLength(new Uint8Array([0xf7, 0, 0, 0]))).toBeUndefined();
  });

  it('tests membership with the mask, and never across address families', () => {
    const range = parseIPRange('192.168.0.0/16')!;
    expect(ipInRange(parseIP('192.168.44.1')!, range)).toBe(true);
    expect(ipInRange(parseIP('192.169.0.1')!, range)).toBe(false);
    expect(ipInRange(parseIP('::ffff:192.168.0.1')!, range)).toBe(false);
  });
});
