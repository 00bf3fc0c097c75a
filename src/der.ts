/**
 * A minimal, strict DER reader: tag, length, value offsets and a few primitive decoders.
 *
 * Why by hand: a server reads a new client leaf on every handshake, and the full parsers are
 * the bottleneck there. On Node 20, @peculiar/x509 parses ~2,400 certificates/s and pkijs
 * ~1,100, while one P-256 signature check takes ~78 µs and an RSA-2048 one ~21 µs; reading a
 * certificate as offsets into its own bytes costs a few microseconds. Nothing is copied: every
 * value is a view (subarray) of the input. The structural decoding is checked against
 * @peculiar/x509 on every certificate of the conformance corpus (test/der-agreement.test.ts).
 *
 * Strict means DER, not BER: definite, minimally encoded lengths only, low tag numbers only
 * (X.509 uses no others), and nothing read past the end of the enclosing value.
 */

/** A DER encoding error; callers turn it into a `malformed` MtlsError with context. */
export class DerError extends Error {
  override readonly name = 'DerError';
}

/** One tag-length-value, as offsets into `bytes`. */
export interface Tlv {
  /** The identifier octet: class, constructed bit and tag number (< 31). */
  readonly tag: number;
  /** Offset of the identifier octet. */
  readonly start: number;
  /** Offset of the first value octet. */
  readonly valueStart: number;
  /** Offset just past the value. */
  readonly end: number;
  readonly bytes: Uint8Array;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  TELETEX_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  VISIBLE_STRING: 0x1a,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** The value octets of a TLV, as a view. */
export function contentOf(tlv: Tlv): Uint8Array {
  return tlv.bytes.subarray(tlv.valueStart, tlv.end);
}

/** The whole encoding of a TLV (header and value), as a view. */
export function encodingOf(tlv: Tlv): Uint8Array {
  return tlv.bytes.subarray(tlv.start, tlv.end);
}

/** Reads consecutive TLVs from `bytes[pos, end)`. */
export class DerReader {
  private pos: number;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    private readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  /** A reader over the contents of a constructed TLV. */
  static inside(tlv: Tlv): DerReader {
    if ((tlv.tag & 0x20) === 0) throw new DerError('expected a constructed value');
    return new DerReader(tlv.bytes, tlv.valueStart, tlv.end);
  }

  hasMore(): boolean {
    return this.pos < this.end;
  }

  peekTag(): number | undefined {
    return this.pos < this.end ? this.bytes[this.pos] : undefined;
  }

  read(): Tlv {
    const { bytes, end } = this;
    const start = this.pos;
    if (start + 2 > end) throw new DerError('truncated: no room for a tag and a length');
    const tag = bytes[start]!;
    if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not used in X.509');
    let length = bytes[start + 1]!;
    let valueStart = start + 2;
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count === 0) throw new DerError('indefinite length is BER, not DER');
      if (count > 4) throw new DerError('length too large');
      if (valueStart + count > end) throw new DerError('truncated length');
      if (bytes[valueStart] === 0) throw new DerError('length not minimally encoded');
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + bytes[valueStart + i]!;
      if (length < 0x80) throw new DerError('length not minimally encoded');
      valueStart += count;
    }
    const valueEnd = valueStart + length;
    if (valueEnd > end) throw new DerError('truncated: value runs past its container');
    this.pos = valueEnd;
    return { tag, start, valueStart, end: valueEnd, bytes };
  }

  /** Reads a TLV and checks its tag; `what` names the field in the error. */
  expect(tag: number, what: string): Tlv {
    const tlv = this.read();
    if (tlv.tag !== tag) {
      throw new DerError(`${what}: expected tag 0x${hex2(tag)}, found 0x${hex2(tlv.tag)}`);
    }
    return tlv;
  }

  /** Reads the next TLV only if it has this tag. */
  optional(tag: number): Tlv | undefined {
    return this.peekTag() === tag ? this.read() : undefined;
  }

  /** Fails unless the reader is exhausted: trailing bytes are an error in DER structures. */
  done(what: string): void {
    if (this.pos !== this.end) throw new DerError(`${what}: unexpected trailing data`);
  }
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => hex2(i));

/** Lower-case hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
}

/**
 * Decoded OIDs by their content octets. A certificate holds eight to a dozen OIDs (the
 * signature algorithm, every extension, EKU purposes, name attributes) and they are nearly
 * always the same few dozen, while decoding one into its dotted string (arcs, base 128,
 * joins) was a fifth of a whole leaf parse. Bounded, because the octets come from untrusted
 * input: when full it is emptied and refills with whatever is common.
 */
const OID_MEMO = new Map<string, string>();
const OID_MEMO_MAX = 1024;
/** Longer contents are decoded without the memo (no common OID comes near). */
const OID_MEMO_OCTETS = 32;

/** Decodes an OBJECT IDENTIFIER value into dotted form. */
export function decodeOid(tlv: Tlv): string {
  const { bytes, valueStart, end } = tlv;
  if (tlv.tag !== TAG.OID) throw new DerError('expected an OBJECT IDENTIFIER');
  if (valueStart === end) throw new DerError('empty OBJECT IDENTIFIER');
  if (end - valueStart > OID_MEMO_OCTETS) return decodeOidArcs(bytes, valueStart, end);
  let key = '';
  for (let i = valueStart; i < end; i++) key += String.fromCharCode(bytes[i]!);
  let oid = OID_MEMO.get(key);
  if (oid === undefined) {
    oid = decodeOidArcs(bytes, valueStart, end); // throws before anything is remembered
    if (OID_MEMO.size >= OID_MEMO_MAX) OID_MEMO.clear();
    OID_MEMO.set(key, oid);
  }
  return oid;
}

function decodeOidArcs(bytes: Uint8Array, valueStart: number, end: number): string {
  let out = '';
  let value = 0;
  let first = true;
  for (let i = valueStart; i < end; i++) {
    const b = bytes[i]!;
    if (value === 0 && b === 0x80) throw new DerError('OID arc not minimally encoded');
    value = value * 128 + (b & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw new DerError('OID arc too large');
    if ((b & 0x80) === 0) {
      if (first) {
        const top = value < 40 ? 0 : value < 80 ? 1 : 2;
        out = `${top}.${value - top * 40}`;
        first = false;
      } else {
        out += `.${value}`;
      }
      value = 0;
    }
  }
  if ((bytes[end - 1]! & 0x80) !== 0) throw new DerError('truncated OID arc');
  return out;
}

/** Checks an INTEGER for DER minimality and returns its value octets. */
export function integerBytes(tlv: Tlv): Uint8Array {
  if (tlv.tag !== TAG.INTEGER) throw new DerError('expected an INTEGER');
  const v = contentOf(tlv);
  if (v.length === 0) throw new DerError('empty INTEGER');
  if (v.length > 1 && ((v[0] === 0 && (v[1]! & 0x80) === 0) || (v[0] === 0xff && v[1]! & 0x80))) {
    throw new DerError('INTEGER not minimally encoded');
  }
  return v;
}

/** A small non-negative INTEGER (versions, path lengths). */
export function decodeSmallInteger(tlv: Tlv): number {
  const v = integerBytes(tlv);
  if (v[0]! & 0x80) throw new DerError('negative INTEGER where a count was expected');
  if (v.length > 6) throw new DerError('INTEGER too large');
  let n = 0;
  for (const b of v) n = n * 256 + b;
  return n;
}

/** DER BOOLEAN: 0x00 or 0xff only. */
export function decodeBoolean(tlv: Tlv): boolean {
  if (tlv.tag !== TAG.BOOLEAN || tlv.end - tlv.valueStart !== 1) {
    throw new DerError('expected a one-octet BOOLEAN');
  }
  const b = tlv.bytes[tlv.valueStart];
  if (b === 0xff) return true;
  if (b === 0x00) return false;
  throw new DerError('BOOLEAN must be 0x00 or 0xff in DER');
}

/** A BIT STRING's unused-bit count and its octets (a view). */
export function decodeBitString(tlv: Tlv): { unusedBits: number; data: Uint8Array } {
  if (tlv.tag !== TAG.BIT_STRING) throw new DerError('expected a BIT STRING');
  const v = contentOf(tlv);
  if (v.length === 0) throw new DerError('empty BIT STRING');
  const unusedBits = v[0]!;
  if (unusedBits > 7 || (v.length === 1 && unusedBits !== 0)) {
    throw new DerError('invalid BIT STRING padding');
  }
  const data = v.subarray(1);
  if (unusedBits > 0 && (data[data.length - 1]! & ((1 << unusedBits) - 1)) !== 0) {
    throw new DerError('BIT STRING padding bits must be zero in DER');
  }
  return { unusedBits, data };
}

/**
 * UTCTime or GeneralizedTime in the forms RFC 5280 §4.1.2.5 allows: `YYMMDDHHMMSSZ` and
 * `YYYYMMDDHHMMSSZ`, seconds present, no fractions, UTC only. Returns milliseconds since the
 * epoch. UTCTime years 50–99 are 19xx, as the RFC says.
 */
export function decodeTime(tlv: Tlv): number {
  const v = contentOf(tlv);
  let year: number;
  let i: number;
  if (tlv.tag === TAG.UTC_TIME) {
    if (v.length !== 13) throw new DerError('UTCTime must be YYMMDDHHMMSSZ');
    const yy = digits(v, 0, 2);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
    i = 2;
  } else if (tlv.tag === TAG.GENERALIZED_TIME) {
    if (v.length !== 15) throw new DerError('GeneralizedTime must be YYYYMMDDHHMMSSZ');
    year = digits(v, 0, 4);
    i = 4;
  } else {
    throw new DerError('expected UTCTime or GeneralizedTime');
  }
  const month = digits(v, i, 2);
  const day = digits(v, i + 2, 2);
  const hour = digits(v, i + 4, 2);
  const minute = digits(v, i + 6, 2);
  const second = digits(v, i + 8, 2);
  if (v[i + 10] !== 0x5a) throw new DerError('time must end in Z (UTC)');
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
    throw new DerError('time field out of range');
  }
  // Days in the month by arithmetic (proleptic Gregorian, as Date): a Date per check was a
  // noticeable share of a leaf parse, which reads two times.
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (day > (month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month - 1]!)) {
    throw new DerError('day out of range for the month');
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC maps years 0–99 to 1900–1999; GeneralizedTime means them literally.
  return year < 100 ? new Date(ms).setUTCFullYear(year) : ms;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits(v: Uint8Array, at: number, count: number): number {
  let n = 0;
  for (let k = at; k < at + count; k++) {
    const c = v[k]! - 0x30;
    if (c < 0 || c > 9) throw new DerError('non-digit in time');
    n = n * 10 + c;
  }
  return n;
}

/** The text of an ASCII-only string type (IA5String, PrintableString, …); `what` names it. */
export function decodeAscii(bytes: Uint8Array, what: string): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c > 0x7f) throw new DerError(`${what} holds a non-ASCII octet`);
    s += String.fromCharCode(c);
  }
  return s;
}
