/**
 * RFC 4518 string preparation of attribute values for comparison (LDAP stringprep, which
 * RFC 5280 §7.1 requires for name comparison):
 *
 *   1. Transcode: values are already Unicode strings.
 *   2. Map (§2.2): soft hyphen, zero-width and other "mapped to nothing" code points are
 *      dropped; tab, line breaks, NEL and every space separator (Zs) become U+0020; for
 *      caseIgnore types, case is folded.
 *   3. Normalize (§2.3): Unicode NFKC.
 *   4. Prohibit (§2.4): not enforced; unassigned and private-use code points compare as
 *      themselves (a name containing them is still one name, and refusing it would make the
 *      certificate unmatchable rather than safer).
 *   5. Bidi: nothing to do (§2.5).
 *   6. Insignificant space handling (§2.6.1): leading and trailing spaces are removed and
 *      every inner run of spaces becomes one space. RFC 4518 writes runs as two spaces and
 *      wraps the string in spaces; both spellings give the same equality, ours prints better.
 *
 * Case folding: JavaScript has no Unicode case folding, so we use upper-then-lower case
 * mapping, as Java's X500Principal CANONICAL form does. It agrees with the RFC 3454 B.2 table
 * on everything a certificate is likely to hold (ASCII, Latin, Greek final sigma, ß → ss);
 * it is more permissive for dotless ı, which it equates with i.
 *
 * Steps 2–6 are repeated until the value stops changing (at most a few rounds), because NFKC
 * can produce upper-case letters (U+2121 → "TEL") and spaces (U+00A8 → space + diaeresis);
 * that makes preparation idempotent, which `normalizeDN` promises.
 */

import type { MatchRule } from './dn-attributes.js';

/** Prepares one value for comparison under its matching rule. */
export function prepareValue(value: string, rule: MatchRule): string {
  if (isPlainAscii(value))
    return squeezeSpaces(rule === 'caseIgnore' ? value.toLowerCase() : value);
  let current = value;
  for (let round = 0; round < 4; round++) {
    const next = prepareOnce(current, rule);
    if (next === current) break;
    current = next;
  }
  return current;
}

/** Printable ASCII only: no mapping, no normalization and no folding beyond ASCII apply. */
function isPlainAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

function prepareOnce(value: string, rule: MatchRule): string {
  let mapped = '';
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if (mapsToNothing(cp)) continue;
    mapped += mapsToSpace(cp) ? ' ' : ch;
  }
  if (rule === 'caseIgnore') mapped = caseFold(mapped);
  return squeezeSpaces(mapped.normalize('NFKC'));
}

/**
 * Case folding close to RFC 3454 table B.2 (which RFC 4518 §2.3 uses): upper then lower
 * folds ß to ss, ſ to s and final sigma to sigma as B.2 does. The one letter it gets wrong is
 * the dotless ı (U+0131), which B.2 leaves alone but upper-casing turns into I: kept as it is,
 * so that `CN=admın` is not the name `CN=admin`.
 */
function caseFold(value: string): string {
  if (!value.includes('\u0131')) return value.toUpperCase().toLowerCase();
  return value
    .split('\u0131')
    .map((part) => part.toUpperCase().toLowerCase())
    .join('\u0131');
}

/** RFC 4518 §2.6.1 (see the module comment for the spelling). */
function squeezeSpaces(s: string): string {
  const n = s.length;
  if (n === 0) return s;
  // Most values need nothing: check first, build only when something changes.
  let clean = s.charCodeAt(0) !== 0x20 && s.charCodeAt(n - 1) !== 0x20;
  for (let i = 1; clean && i < n; i++) {
    if (s.charCodeAt(i) === 0x20 && s.charCodeAt(i - 1) === 0x20) clean = false;
  }
  if (clean) return s;
  let start = 0;
  let end = n;
  while (start < end && s.charCodeAt(start) === 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) === 0x20) end--;
  let out = '';
  let from = start;
  for (let i = start; i < end; i++) {
    if (s.charCodeAt(i) === 0x20 && s.charCodeAt(i + 1) === 0x20) {
      out += s.slice(from, i + 1);
      while (s.charCodeAt(i + 1) === 0x20) i++;
      from = i + 1;
    }
  }
  return out + s.slice(from, end);
}

/** RFC 4518 §2.2: code points mapped to nothing. */
function mapsToNothing(cp: number): boolean {
  if (cp < 0x80) return cp <= 0x08 || (cp >= 0x0e && cp <= 0x1f) || cp === 0x7f;
  return (
    (cp >= 0x80 && cp <= 0x84) ||
    (cp >= 0x86 && cp <= 0x9f) ||
    cp === 0xad ||
    cp === 0x034f ||
    cp === 0x06dd ||
    cp === 0x070f ||
    cp === 0x1806 ||
    (cp >= 0x180b && cp <= 0x180e) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x2063) ||
    (cp >= 0x206a && cp <= 0x206f) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    cp === 0xfeff ||
    (cp >= 0xfff9 && cp <= 0xfffc) ||
    (cp >= 0x1d173 && cp <= 0x1d17a) ||
    cp === 0xe0001 ||
    (cp >= 0xe0020 && cp <= 0xe007f)
  );
}

/** RFC 4518 §2.2: tab, line breaks, NEL and the space separators (Zs) map to SPACE. */
function mapsToSpace(cp: number): boolean {
  return (
    (cp >= 0x09 && cp <= 0x0d) ||
    cp === 0x20 ||
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}
