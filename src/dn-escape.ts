/**
 * RFC 4514 §2.4 value escaping for output, and upper-case hex for `#` values.
 *
 * One canonical escaping: only what §2.4 requires (`" + , ; < > \`, a leading `#` or space,
 * a trailing space, NUL) plus the other C0 controls, DEL, the C1 controls and U+2028/U+2029
 * as `\XX` escapes of their UTF-8 octets, so that printed names never carry line breaks or
 * terminal escapes into logs. Everything else, non-ASCII included, is printed as is (RFC 4514
 * allows UTF-8 in values unescaped).
 */

const HEX_UPPER: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).toUpperCase().padStart(2, '0'),
);

/** Upper-case hex of bytes, as RFC 4514 examples and OpenSSL print `#` values. */
export function hexUpper(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX_UPPER[bytes[i]!];
  return out;
}

/** True for the characters §2.4 requires escaping anywhere in a value. */
function special(c: number): boolean {
  // " + , ; < > \
  return (
    c === 0x22 || c === 0x2b || c === 0x2c || c === 0x3b || c === 0x3c || c === 0x3e || c === 0x5c
  );
}

function control(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029;
}

/** `\XX` escapes of the UTF-8 octets of a control character (all are below U+0800 or 2028/9). */
function escapeControl(c: number): string {
  if (c < 0x80) return `\\${HEX_UPPER[c]}`;
  if (c < 0x800) return `\\${HEX_UPPER[0xc0 | (c >> 6)]}\\${HEX_UPPER[0x80 | (c & 0x3f)]}`;
  return `\\E2\\80\\${HEX_UPPER[0x80 | (c & 0x3f)]}`;
}

/** Escapes an attribute value for an RFC 4514 string. */
export function escapeValue(value: string): string {
  const n = value.length;
  if (n === 0) return value;
  // Fast path: most values need nothing; scan once and return the input itself.
  let clean = value.charCodeAt(0) !== 0x23 && value.charCodeAt(0) !== 0x20;
  clean &&= value.charCodeAt(n - 1) !== 0x20;
  for (let i = 0; clean && i < n; i++) {
    const c = value.charCodeAt(i);
    if (special(c) || control(c)) clean = false;
  }
  if (clean) return value;
  let out = '';
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (control(c)) out += escapeControl(c);
    else if (special(c)) out += `\\${value[i]}`;
    else if ((c === 0x20 || c === 0x23) && i === 0) out += `\\${value[i]}`;
    else if (c === 0x20 && i === n - 1) out += '\\ ';
    else out += value[i];
  }
  return out;
}
