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
import { ownCopy } from './bytes.js';

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

/**
 * Reads consecutive TLVs from `bytes[pos, limit)`.
 *
 * The reader is itself a {@link Tlv}: after `next()` its `tag`, `start`, `valueStart` and `end`
 * describe the element just read, until the next read. Pass it to the decoders below in place
 * of a Tlv, and walk nested values with `enter`/`leave`, and a parse allocates nothing per
 * element: with a Tlv object per read and a reader per structure (`read`, `inside`), those
 * two and `expect` were 13% of a leaf parse's profile, and the garbage collector 7%.
 */
export class DerReader implements Tlv {
  private pos: number;
  private limit: number;
  tag = 0;
  start = 0;
  valueStart = 0;
  end = 0;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    limit = bytes.length,
  ) {
    this.pos = start;
    this.limit = limit;
  }

  /** A reader over the contents of a constructed TLV. */
  static inside(tlv: Tlv): DerReader {
    if ((tlv.tag & 0x20) === 0) throw new DerError('expected a constructed value');
    return new DerReader(tlv.bytes, tlv.valueStart, tlv.end);
  }

  hasMore(): boolean {
    return this.pos < this.limit;
  }

  peekTag(): number | undefined {
    return this.pos < this.limit ? this.bytes[this.pos] : undefined;
  }

  /** Reads the next TLV's header into this reader's Tlv fields and returns its tag. */
  next(): number {
    const { bytes, limit } = this;
    const start = this.pos;
    if (start + 2 > limit) throw new DerError('truncated: no room for a tag and a length');
    const tag = bytes[start]!;
    if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not used in X.509');
    let length = bytes[start + 1]!;
    let valueStart = start + 2;
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count === 0) throw new DerError('indefinite length is BER, not DER');
      if (count > 4) throw new DerError('length too large');
      if (valueStart + count > limit) throw new DerError('truncated length');
      if (bytes[valueStart] === 0) throw new DerError('length not minimally encoded');
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + bytes[valueStart + i]!;
      if (length < 0x80) throw new DerError('length not minimally encoded');
      valueStart += count;
    }
    const valueEnd = valueStart + length;
    if (valueEnd > limit) throw new DerError('truncated: value runs past its container');
    this.pos = valueEnd;
    this.tag = tag;
    this.start = start;
    this.valueStart = valueStart;
    this.end = valueEnd;
    return tag;
  }

  /** `next`, checking the tag; `what` names the field in the error. */
  nextExpect(tag: number, what: string): void {
    if (this.next() !== tag) {
      throw new DerError(`${what}: expected tag 0x${hex2(tag)}, found 0x${hex2(this.tag)}`);
    }
  }

  /** `next` only if the next TLV has this tag. */
  nextIf(tag: number): boolean {
    if (this.peekTag() !== tag) return false;
    this.next();
    return true;
  }

  /**
   * Continues inside the constructed TLV just read, as `inside` would. Returns the outer
   * limit, to be handed back to `leave` once the contents are read.
   */
  enter(): number {
    if ((this.tag & 0x20) === 0) throw new DerError('expected a constructed value');
    const outer = this.limit;
    this.pos = this.valueStart;
    this.limit = this.end;
    return outer;
  }

  /** Checks that the contents entered are exhausted (as `done`) and goes back out. */
  leave(outerLimit: number, what: string): void {
    this.done(what);
    this.limit = outerLimit;
  }

  read(): Tlv {
    this.next();
    return {
      tag: this.tag,
      start: this.start,
      valueStart: this.valueStart,
      end: this.end,
      bytes: this.bytes,
    };
  }

  /** Reads a TLV and checks its tag; `what` names the field in the error. */
  expect(tag: number, what: string): Tlv {
    this.nextExpect(tag, what);
    return {
      tag,
      start: this.start,
      valueStart: this.valueStart,
      end: this.end,
      bytes: this.bytes,
    };
  }

  /** Reads the next TLV only if it has this tag. */
  optional(tag: number): Tlv | undefined {
    return this.peekTag() === tag ? this.read() : undefined;
  }

  /** Fails unless the reader is exhausted: trailing bytes are an error in DER structures. */
  done(what: string): void {
    if (this.pos !== this.limit) throw new DerError(`${what}: unexpected trailing data`);
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
 * joins) was a fifth of a whole leaf parse. Keyed by a hash of the octets and confirmed
 * against a copy of them: a string key built per lookup made decodeOid 9% of a leaf parse's
 * profile, against under 4% this way. A collision only replaces the entry. Bounded, because
 * the octets come from untrusted input: when full it is emptied and refills with whatever is
 * common.
 */
const OID_MEMO = new Map<number, { readonly octets: Uint8Array; readonly oid: string }>();
const OID_MEMO_MAX = 1024;
/** Longer contents are decoded without the memo (no common OID comes near). */
const OID_MEMO_OCTETS = 32;

/** Decodes an OBJECT IDENTIFIER value into dotted form. */
export function decodeOid(tlv: Tlv): string {
  const { bytes, valueStart, end } = tlv;
  if (tlv.tag !== TAG.OID) throw new DerError('expected an OBJECT IDENTIFIER');
  if (valueStart === end) throw new DerError('empty OBJECT IDENTIFIER');
  const length = end - valueStart;
  if (length > OID_MEMO_OCTETS) return decodeOidArcs(bytes, valueStart, end);
  let hash = length;
  for (let i = valueStart; i < end; i++) hash = (Math.imul(hash, 31) + bytes[i]!) | 0;
  const known = OID_MEMO.get(hash);
  if (known !== undefined && sameOctets(known.octets, bytes, valueStart, end)) return known.oid;
  const oid = decodeOidArcs(bytes, valueStart, end); // throws before anything is remembered
  if (OID_MEMO.size >= OID_MEMO_MAX) OID_MEMO.clear();
  OID_MEMO.set(hash, { octets: ownCopy(bytes, valueStart, end), oid });
  return oid;
}

/** Whether `a` holds the octets `bytes[start, end)`. */
export function sameOctets(a: Uint8Array, bytes: Uint8Array, start: number, end: number): boolean {
  if (a.length !== end - start) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== bytes[start + i]) return false;
  return true;
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

/** Checks an INTEGER for DER minimality (what `integerBytes` does, without the view). */
export function checkInteger(tlv: Tlv): void {
  if (tlv.tag !== TAG.INTEGER) throw new DerError('expected an INTEGER');
  const { bytes, valueStart: i } = tlv;
  const length = tlv.end - i;
  if (length === 0) throw new DerError('empty INTEGER');
  if (
    length > 1 &&
    ((bytes[i] === 0 && (bytes[i + 1]! & 0x80) === 0) ||
      (bytes[i] === 0xff && bytes[i + 1]! & 0x80))
  ) {
    throw new DerError('INTEGER not minimally encoded');
  }
}

/** Checks an INTEGER for DER minimality and returns its value octets. */
export function integerBytes(tlv: Tlv): Uint8Array {
  checkInteger(tlv);
  return contentOf(tlv);
}

/** A small non-negative INTEGER (versions, path lengths). */
export function decodeSmallInteger(tlv: Tlv): number {
  checkInteger(tlv);
  const { bytes, valueStart, end } = tlv;
  if (bytes[valueStart]! & 0x80) throw new DerError('negative INTEGER where a count was expected');
  if (end - valueStart > 6) throw new DerError('INTEGER too large');
  let n = 0;
  for (let i = valueStart; i < end; i++) n = n * 256 + bytes[i]!;
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

/**
 * Checks a BIT STRING's padding and returns its unused-bit count; the bits themselves are
 * `bytes[valueStart + 1, end)`.
 */
export function bitStringUnusedBits(tlv: Tlv): number {
  if (tlv.tag !== TAG.BIT_STRING) throw new DerError('expected a BIT STRING');
  const { bytes, valueStart, end } = tlv;
  if (end === valueStart) throw new DerError('empty BIT STRING');
  const unusedBits = bytes[valueStart]!;
  if (unusedBits > 7 || (end - valueStart === 1 && unusedBits !== 0)) {
    throw new DerError('invalid BIT STRING padding');
  }
  if (unusedBits > 0 && (bytes[end - 1]! & ((1 << unusedBits) - 1)) !== 0) {
    throw new DerError('BIT STRING padding bits must be zero in DER');
  }
  return unusedBits;
}

/** A BIT STRING's unused-bit count and its octets (a view). */
export function decodeBitString(tlv: Tlv): { unusedBits: number; data: Uint8Array } {
  const unusedBits = bitStringUnusedBits(tlv);
  return { unusedBits, data: tlv.bytes.subarray(tlv.valueStart + 1, tlv.end) };
}

/**
 * UTCTime or GeneralizedTime in the forms RFC 5280 §4.1.2.5 allows: `YYMMDDHHMMSSZ` and
 * `YYYYMMDDHHMMSSZ`, seconds present, no fractions, UTC only. Returns milliseconds since the
 * epoch. UTCTime years 50–99 are 19xx, as the RFC says.
 */
export function decodeTime(tlv: Tlv): number {
  const { bytes: v, valueStart, end } = tlv;
  const length = end - valueStart;
  let year: number;
  let i: number;
  if (tlv.tag === TAG.UTC_TIME) {
    if (length !== 13) throw new DerError('UTCTime must be YYMMDDHHMMSSZ');
    const yy = digits(v, valueStart, 2);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
    i = valueStart + 2;
  } else if (tlv.tag === TAG.GENERALIZED_TIME) {
    if (length !== 15) throw new DerError('GeneralizedTime must be YYYYMMDDHHMMSSZ');
    year = digits(v, valueStart, 4);
    i = valueStart + 4;
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
  if (year < 100) {
    // Date.UTC maps years 0–99 to 1900–1999; GeneralizedTime means them literally.
    return new Date(Date.UTC(year, month - 1, day, hour, minute, second)).setUTCFullYear(year);
  }
  // By arithmetic rather than Date.UTC (~15 ns against ~45 ns, twice per certificate); the
  // same value for every year from 100 on (test/perf/parse-fast-paths.test.ts).
  return (
    daysFromCivil(year, month, day) * 86_400_000 +
    hour * 3_600_000 +
    minute * 60_000 +
    second * 1000
  );
}

/**
 * Days from 1970-01-01 to a date of the proleptic Gregorian calendar (month 1–12), after
 * Howard Hinnant's days_from_civil: years counted from March, in 400-year eras.
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
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
  return asciiAt(bytes, 0, bytes.length, what);
}

/** `decodeAscii` of `bytes[start, end)`, without a view. */
export function asciiAt(bytes: Uint8Array, start: number, end: number, what: string): string {
  checkAscii(bytes, start, end, what);
  return charsAt(bytes, start, end);
}

/** Throws what `asciiAt` throws, and builds no text. */
export function checkAscii(bytes: Uint8Array, start: number, end: number, what: string): void {
  for (let i = start; i < end; i++) {
    if (bytes[i]! > 0x7f) throw new DerError(`${what} holds a non-ASCII octet`);
  }
}

/**
 * `bytes[start, end)` as a string of one char code per octet (Latin-1). Built eight and four
 * octets per `String.fromCharCode` call: appending one char at a time allocates a string per
 * octet (short strings are copied, not joined), and for names and SANs of 5–23 octets this
 * takes 35–90 ns against 40–140 ns (TextDecoder: ~105 ns plus the view it needs).
 */
export function charsAt(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  let i = start;
  for (; end - i >= 8; i += 8) {
    s += String.fromCharCode(
      bytes[i]!,
      bytes[i + 1]!,
      bytes[i + 2]!,
      bytes[i + 3]!,
      bytes[i + 4]!,
      bytes[i + 5]!,
      bytes[i + 6]!,
      bytes[i + 7]!,
    );
  }
  if (end - i >= 4) {
    s += String.fromCharCode(bytes[i]!, bytes[i + 1]!, bytes[i + 2]!, bytes[i + 3]!);
    i += 4;
  }
  for (; i < end; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}
