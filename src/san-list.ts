/**
 * Splits the one-line subjectAltName text OpenSSL (`openssl x509 -ext subjectAltName`) and
 * Node (`X509Certificate.subjectAltName`) print into canonical entries.
 *
 * The separator is ", ", but a value may itself hold commas (OpenSSL prints a DirName as
 * `/CN=a, b/O=o` unquoted), so a comma ends an entry only when a known prefix and ":"
 * follow it. Node JSON-quotes values with special characters (`DirName:"O=o\u002cCN=a"`);
 * those are decoded. One pass with bounded lookahead at each comma: linear time.
 */

import { canonicalValue, SANSyntaxError, sanPrefixKind } from './san.js';

/** The longest prefix spelling we recognise ("uniformresourceidentifier"), plus slack. */
const MAX_PREFIX = 40;

/**
 * Parses a comma-separated subjectAltName list into canonical entries, in order, duplicates
 * kept: `parseSANList("DNS:a, IP Address:1.2.3.4")` → `["DNS:a", "IP:1.2.3.4"]`.
 *
 * @throws {SANSyntaxError} for an entry with an unknown prefix or a bad value.
 */
export function parseSANList(text: string): string[] {
  if (typeof text !== 'string') throw new SANSyntaxError('a SAN list must be a string');
  const out: string[] = [];
  let i = skipSpaces(text, 0);
  while (i < text.length) {
    const colon = text.indexOf(':', i);
    const kind =
      colon === -1 || colon - i > MAX_PREFIX
        ? undefined
        : sanPrefixKind(text.slice(i, colon).trim());
    if (kind === undefined) {
      throw new SANSyntaxError(`expected a SAN "type:" prefix at ${i}: "${text.slice(i, i + 40)}"`);
    }
    let j = skipSpaces(text, colon + 1);
    let value: string;
    if (text.charCodeAt(j) === 0x22) {
      const end = closingQuote(text, j);
      try {
        value = JSON.parse(text.slice(j, end + 1)) as string;
      } catch {
        throw new SANSyntaxError(`bad quoted SAN value at ${j}`);
      }
      j = skipSpaces(text, end + 1);
      if (j < text.length && text.charCodeAt(j) !== 0x2c) {
        throw new SANSyntaxError(`expected "," after a quoted SAN value at ${j}`);
      }
    } else {
      const start = j;
      while (j < text.length && !(text.charCodeAt(j) === 0x2c && startsEntry(text, j + 1))) j++;
      value = text.slice(start, j).trim();
    }
    out.push(canonicalValue(kind, value));
    i = j < text.length ? skipSpaces(text, j + 1) : j;
  }
  return out;
}

function skipSpaces(text: string, i: number): number {
  while (i < text.length && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x0a)) i++;
  return i;
}

/** Does a known `prefix:` start at `i` (after spaces)? Looks at most MAX_PREFIX characters. */
function startsEntry(text: string, i: number): boolean {
  const from = skipSpaces(text, i);
  const limit = Math.min(text.length, from + MAX_PREFIX);
  for (let k = from; k < limit; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x3a) return sanPrefixKind(text.slice(from, k).trim()) !== undefined;
    if (c === 0x2c) return false;
  }
  return false;
}

/** The index of the quote closing the JSON string that opens at `open`. */
function closingQuote(text: string, open: number): number {
  for (let k = open + 1; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x5c) k++;
    else if (c === 0x22) return k;
  }
  throw new SANSyntaxError(`unterminated quoted SAN value at ${open}`);
}
