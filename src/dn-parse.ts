/**
 * A single-pass scanner for the three DN spellings users paste: RFC 4514
 * (`CN=RootCA,O=Org,C=US`), OpenSSL's slash form (`/C=US/O=Org/CN=RootCA`) and Node's
 * newline form (`C=US\nO=Org\nCN=RootCA`, as `X509Certificate.subject` prints).
 *
 * Why by hand and not a regular expression: the input is untrusted and a DN grammar with
 * escapes invites backtracking; this scanner looks at every character once (plus one byte of
 * lookahead), so time is linear in the input, and it reports the position of each error.
 */

import { DerError, DerReader } from './der.js';
import { resolveAttributeType } from './dn-attributes.js';
import { DNSyntaxError } from './dn-error.js';
import { decodeDirectoryString } from './name-der.js';
import type { DNAttribute, RDN } from './rdn.js';

/** The spellings `parseDN` reads. */
export type DNForm = 'rfc4514' | 'slash' | 'newline';

// ignoreBOM: a leading U+FEFF is part of the value. The decoder drops it by default, and a
// name such as U+FEFF + "admin" would then read as "admin".
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Which form a string is in: slash form starts with `/`, newline form has a line break before
 * its last line. Line breaks at the end do not count: a string read from a file keeps one.
 */
export function detectForm(input: string): DNForm {
  if (input.charCodeAt(0) === 0x2f) return 'slash';
  const nl = input.indexOf('\n');
  return nl !== -1 && nl < contentEnd(input) ? 'newline' : 'rfc4514';
}

/** The length of `s` without the line breaks (LF, CR) that end it. */
function contentEnd(s: string): number {
  let end = s.length;
  while (end > 0 && (s.charCodeAt(end - 1) === 0x0a || s.charCodeAt(end - 1) === 0x0d)) end--;
  return end;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function hexValue(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57;
}

function isTypeChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) ||
    ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) ||
    c === 0x2d ||
    c === 0x2e
  );
}

/** Characters RFC 4514 §3 allows after a backslash (besides two hex digits). */
function escapable(c: number): boolean {
  // " + , ; < > \ space # =
  return (
    c === 0x22 ||
    c === 0x2b ||
    c === 0x2c ||
    c === 0x3b ||
    c === 0x3c ||
    c === 0x3e ||
    c === 0x5c ||
    c === 0x20 ||
    c === 0x23 ||
    c === 0x3d
  );
}

/**
 * Parses a DN string into RDNs in encoding order (least specific first, C before CN), the
 * order `decodeName` returns: RFC 4514 strings are reversed, slash and newline forms are
 * already in that order.
 */
export function parseDNString(input: string, form: DNForm = detectForm(input)): RDN[] {
  return new Scanner(input, form).run();
}

class Scanner {
  private pos = 0;
  private readonly end: number;

  constructor(
    private readonly s: string,
    private readonly form: DNForm,
  ) {
    // Node and OpenSSL end their multi-line and slash output with a line break: ignore it.
    // In RFC 4514 a raw line break is a valid value character (Java prints them so); one at
    // the end stays in the value, where comparison (RFC 4518) maps it to an ignored space.
    this.end = form === 'rfc4514' ? s.length : contentEnd(s);
  }

  run(): RDN[] {
    const rdns: RDN[] = [];
    if (this.form === 'slash') this.pos = 1;
    this.skipSpaces();
    if (this.pos >= this.end) return rdns;
    for (;;) {
      const rdn: DNAttribute[] = [this.attribute()];
      for (;;) {
        const c = this.s.charCodeAt(this.pos);
        if (this.pos >= this.end) break;
        if (c === 0x2b) {
          this.pos++;
          rdn.push(this.attribute());
        } else if (this.isSeparator(c)) {
          break;
        } else {
          this.fail('expected "+", an RDN separator or the end');
        }
      }
      rdns.push(rdn);
      if (this.pos >= this.end) break;
      this.skipSeparator();
    }
    if (this.form === 'rfc4514') rdns.reverse();
    return rdns;
  }

  private fail(message: string, at = this.pos): never {
    throw new DNSyntaxError(message, at);
  }

  /** Is `c`, found at `at` (default: the current position), an RDN separator? */
  private isSeparator(c: number, at = this.pos): boolean {
    switch (this.form) {
      case 'rfc4514':
        // RFC 2253 §4: readers must also accept ";" between RDNs.
        return c === 0x2c || c === 0x3b;
      case 'slash':
        return c === 0x2f;
      default:
        return c === 0x0a || (c === 0x0d && this.s.charCodeAt(at + 1) === 0x0a);
    }
  }

  private skipSeparator(): void {
    if (this.s.charCodeAt(this.pos) === 0x0d) this.pos++;
    this.pos++;
  }

  private skipSpaces(): void {
    while (this.pos < this.end && this.s.charCodeAt(this.pos) === 0x20) this.pos++;
  }

  private attribute(): DNAttribute {
    this.skipSpaces();
    const typeStart = this.pos;
    while (this.pos < this.end && isTypeChar(this.s.charCodeAt(this.pos))) this.pos++;
    if (this.pos === typeStart) this.fail('expected an attribute type');
    const typeText = this.s.slice(typeStart, this.pos);
    const type = resolveAttributeType(typeText);
    if (type === undefined) this.fail(`unknown attribute type "${typeText}"`, typeStart);
    this.skipSpaces();
    if (this.s.charCodeAt(this.pos) !== 0x3d || this.pos >= this.end) this.fail('expected "="');
    this.pos++;
    this.skipSpaces();
    const c = this.s.charCodeAt(this.pos);
    if (this.pos < this.end && c === 0x23) return this.hexValue(type);
    if (this.pos < this.end && c === 0x22 && this.form === 'rfc4514') {
      return { type, value: this.quotedValue() };
    }
    return { type, value: this.stringValue() };
  }

  /** `#` followed by the hex of one BER element (RFC 4514 §2.4, §3 `hexstring`). */
  private hexValue(type: string): DNAttribute {
    const start = this.pos;
    this.pos++;
    const digits = this.pos;
    while (this.pos < this.end && isHex(this.s.charCodeAt(this.pos))) this.pos++;
    const n = this.pos - digits;
    if (n === 0) {
      // Not a hexstring at all. OpenSSL (so Node too) leaves the "#" of a one-character value
      // unescaped (`CN=#`); read such a value as text, as nothing else can be meant.
      this.pos = start;
      return { type, value: this.stringValue() };
    }
    if (n % 2 !== 0) this.fail('expected an even number of hex digits after "#"', start);
    const ber = new Uint8Array(n / 2);
    for (let i = 0; i < ber.length; i++) {
      const hi = hexValue(this.s.charCodeAt(digits + 2 * i));
      ber[i] = (hi << 4) | hexValue(this.s.charCodeAt(digits + 2 * i + 1));
    }
    this.skipSpaces();
    let text: string | undefined;
    try {
      // DER is what certificates carry; a BER-only encoding (indefinite length) is refused.
      const r = new DerReader(ber);
      const tlv = r.read();
      r.done('attribute value');
      text = decodeDirectoryString(tlv);
    } catch (e) {
      if (!(e instanceof DerError)) throw e;
      this.fail(`"#" value is not one DER element: ${e.message}`, start);
    }
    return { type, value: text ?? '', ber };
  }

  /** RFC 2253 §4 / RFC 1779 quoted value: `"…"`, backslash escapes inside. */
  private quotedValue(): string {
    const open = this.pos;
    this.pos++;
    const out = new ValueBuilder();
    for (;;) {
      if (this.pos >= this.end) this.fail('unterminated quoted value', open);
      const c = this.s.charCodeAt(this.pos);
      if (c === 0x22) break;
      if (c === 0x5c) this.escape(out);
      else {
        out.text(this.s[this.pos]!, false, this.pos);
        this.pos++;
      }
    }
    this.pos++;
    this.skipSpaces();
    return out.finish(this.pos);
  }

  private stringValue(): string {
    const strict = this.form === 'rfc4514';
    // Fast path for the common value with no escapes: one scan, one slice. Anything else
    // rescans from the start with the builder, so each character is read at most twice.
    const start = this.pos;
    let i = start;
    while (i < this.end) {
      const c = this.s.charCodeAt(i);
      if (c === 0x2b || this.isSeparator(c, i)) break;
      if (c === 0x5c || (strict && (c === 0x22 || c === 0x3c || c === 0x3e))) {
        i = -1;
        break;
      }
      i++;
    }
    if (i !== -1) {
      this.pos = i;
      while (i > start && this.s.charCodeAt(i - 1) === 0x20) i--;
      return this.s.slice(start, i);
    }
    const out = new ValueBuilder();
    while (this.pos < this.end) {
      const c = this.s.charCodeAt(this.pos);
      if (c === 0x2b || this.isSeparator(c)) break;
      if (c === 0x5c) {
        this.escape(out);
        continue;
      }
      // RFC 4514 §3: these must be escaped. Slash and newline forms are lenient, as
      // OpenSSL's -subj reader is.
      if (strict && (c === 0x22 || c === 0x3c || c === 0x3e)) {
        this.fail(`unescaped "${this.s[this.pos]}" in a value`);
      }
      out.text(this.s[this.pos]!, c === 0x20, this.pos);
      this.pos++;
    }
    return out.finish(this.pos);
  }

  /** A backslash: two hex digits are one octet (UTF-8 sequences span escapes), else a char. */
  private escape(out: ValueBuilder): void {
    const at = this.pos;
    this.pos++;
    if (this.pos >= this.end) this.fail('a value ends with a lone "\\"', at);
    const c = this.s.charCodeAt(this.pos);
    const d = this.s.charCodeAt(this.pos + 1);
    if (isHex(c) && this.pos + 1 < this.end && isHex(d)) {
      out.byte((hexValue(c) << 4) | hexValue(d), at);
      this.pos += 2;
      return;
    }
    // X509_NAME_oneline (`openssl x509 -nameopt compat`) writes non-ASCII octets as \xHH.
    const e = this.s.charCodeAt(this.pos + 2);
    if (this.form === 'slash' && c === 0x78 && isHex(d) && this.pos + 2 < this.end && isHex(e)) {
      out.byte((hexValue(d) << 4) | hexValue(e), at);
      this.pos += 3;
      return;
    }
    // OpenSSL's slash form lets a backslash quote any character (it has to for "/").
    if (this.form !== 'slash' && !escapable(c)) {
      this.fail(`"\\${this.s[this.pos]}" is not an RFC 4514 escape`, at);
    }
    // A code point beyond the BMP is two UTF-16 units; keep the pair together.
    const cp = this.s.codePointAt(this.pos)!;
    const ch = String.fromCodePoint(cp);
    out.text(ch, false, at);
    this.pos += ch.length;
  }
}

/**
 * Accumulates a value: literal text, escaped octets (decoded as UTF-8 in runs), and
 * unescaped trailing spaces, which RFC 4514 readers drop as optional space before a separator.
 */
class ValueBuilder {
  private out = '';
  private spaces = '';
  private bytes: number[] = [];
  private bytesAt = 0;

  text(ch: string, unescapedSpace: boolean, at: number): void {
    this.flushBytes(at);
    if (unescapedSpace) {
      this.spaces += ch;
      return;
    }
    this.out += this.spaces + ch;
    this.spaces = '';
  }

  byte(b: number, at: number): void {
    if (this.bytes.length === 0) this.bytesAt = at;
    this.out += this.spaces;
    this.spaces = '';
    this.bytes.push(b);
  }

  finish(at: number): string {
    this.flushBytes(at);
    return this.out;
  }

  private flushBytes(at: number): void {
    if (this.bytes.length === 0) return;
    try {
      this.out += utf8.decode(new Uint8Array(this.bytes));
    } catch {
      throw new DNSyntaxError('escaped octets are not valid UTF-8', this.bytesAt || at);
    }
    this.bytes = [];
  }
}
