/**
 * IP addresses as SAN entries and name constraints hold them: 4 or 16 octets (RFC 5280
 * §4.2.1.6), and address plus mask, 8 or 32 octets, in name constraints (§4.2.1.10).
 *
 * Why by hand: `node:net` is I/O territory in this codebase's layering and has no RFC 5952
 * formatter; the parsing below is a strict, linear scan with no regular expression.
 */

/** Parses dotted-quad IPv4 (`192.0.2.1`) or IPv6 text into 4 or 16 octets, else `undefined`. */
export function parseIP(text: string): Uint8Array | undefined {
  return text.includes(':') ? parseIPv6(text) : parseIPv4(text);
}

/**
 * Strict dotted-quad IPv4: four decimal numbers 0–255, no leading zeros (a leading zero means
 * octal to some C libraries and decimal to others, so such text names no address reliably).
 */
export function parseIPv4(text: string): Uint8Array | undefined {
  const out = new Uint8Array(4);
  let part = 0;
  let i = 0;
  while (part < 4) {
    const start = i;
    let n = 0;
    while (i < text.length && i - start < 4) {
      const c = text.charCodeAt(i);
      if (c < 0x30 || c > 0x39) break;
      n = n * 10 + (c - 0x30);
      i++;
    }
    const digits = i - start;
    if (digits === 0 || digits > 3 || n > 255) return undefined;
    if (digits > 1 && text.charCodeAt(start) === 0x30) return undefined;
    out[part++] = n;
    if (part < 4) {
      if (text.charCodeAt(i) !== 0x2e) return undefined;
      i++;
    }
  }
  return i === text.length ? out : undefined;
}

/** IPv6 text (RFC 4291 §2.2: `::` once, 1–4 hex digits a group, optional dotted-quad tail). */
export function parseIPv6(text: string): Uint8Array | undefined {
  if (text.length > 45) return undefined;
  const groups: number[] = [];
  let gap = -1;
  let i = 0;
  if (text.startsWith('::')) {
    gap = 0;
    i = 2;
  } else if (text.charCodeAt(0) === 0x3a) return undefined;
  while (i < text.length) {
    // A dotted-quad tail takes the last 32 bits.
    const dot = text.indexOf('.', i);
    const colon = text.indexOf(':', i);
    if (dot !== -1 && (colon === -1 || dot < colon)) {
      const v4 = parseIPv4(text.slice(i));
      if (!v4) return undefined;
      groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      i = text.length;
      break;
    }
    const start = i;
    let n = 0;
    while (i < text.length && i - start < 5) {
      const h = hexDigit(text.charCodeAt(i));
      if (h < 0) break;
      n = (n << 4) | h;
      i++;
    }
    if (i === start || i - start > 4) return undefined;
    groups.push(n);
    if (i === text.length) break;
    if (text.charCodeAt(i) !== 0x3a) return undefined;
    i++;
    if (text.charCodeAt(i) === 0x3a) {
      if (gap !== -1) return undefined;
      gap = groups.length;
      i++;
      if (i === text.length) break;
    } else if (i === text.length) return undefined;
  }
  if (gap === -1 ? groups.length !== 8 : groups.length > 7) return undefined;
  const full = new Array<number>(8).fill(0);
  const tail = groups.length - (gap === -1 ? groups.length : gap);
  for (let g = 0; g < groups.length - tail; g++) full[g] = groups[g]!;
  for (let g = 0; g < tail; g++) full[8 - tail + g] = groups[groups.length - tail + g]!;
  const out = new Uint8Array(16);
  for (let g = 0; g < 8; g++) {
    out[2 * g] = full[g]! >> 8;
    out[2 * g + 1] = full[g]! & 0xff;
  }
  return out;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x57 : -1;
}

/**
 * Formats 4 octets as dotted-quad and 16 as RFC 5952 text: lower-case hex, no leading zeros,
 * the longest run of two or more zero groups (the first on a tie) as `::`. IPv4-mapped
 * addresses (`::ffff:0:0/96`) print in the mixed notation RFC 5952 §5 recommends,
 * `::ffff:192.0.2.1`; they stay IPv6 (16 octets in the certificate) and are not folded to
 * IPv4, because name constraints and peers treat the two as different addresses.
 *
 * @returns the text, or `undefined` for any other length.
 */
export function formatIP(bytes: Uint8Array): string | undefined {
  if (bytes.length === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  if (bytes.length !== 16) return undefined;
  if (isV4Mapped(bytes)) return `::ffff:${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((bytes[i]! << 8) | bytes[i + 1]!);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number) =>
    g
      .slice(from, to)
      .map((n) => n.toString(16))
      .join(':');
  if (bestStart === -1) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`;
}

function isV4Mapped(b: Uint8Array): boolean {
  if (b.length !== 16) return false;
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (RFC 4291 §2.5.5.2), if it is one. */
export function mappedIPv4(bytes: Uint8Array): Uint8Array | undefined {
  return isV4Mapped(bytes) ? bytes.subarray(12) : undefined;
}

/**
 * The prefix length of a contiguous network mask (`255.255.0.0` → 16), or `undefined` when
 * the mask has a one bit after a zero bit.
 */
export function maskPrefixLength(mask: Uint8Array): number | undefined {
  let bits = 0;
  let i = 0;
  while (i < mask.length && mask[i] === 0xff) {
    bits += 8;
    i++;
  }
  if (i < mask.length) {
    const m = mask[i]!;
    let lead = 0;
    while (lead < 8 && m & (0x80 >> lead)) lead++;
    if (((m << lead) & 0xff) !== 0) return undefined;
    bits += lead;
    i++;
  }
  for (; i < mask.length; i++) if (mask[i] !== 0) return undefined;
  return bits;
}

/**
 * Formats a name-constraint iPAddress (address then mask, 8 or 32 octets) as CIDR text,
 * `10.0.0.0/8` or `2001:db8::/32`; a non-contiguous mask prints as `address/mask`.
 */
export function formatIPRange(bytes: Uint8Array): string | undefined {
  if (bytes.length !== 8 && bytes.length !== 32) return undefined;
  const half = bytes.length / 2;
  const address = formatIP(bytes.subarray(0, half))!;
  const mask = bytes.subarray(half);
  const prefix = maskPrefixLength(mask);
  return `${address}/${prefix ?? formatIP(mask)}`;
}

/**
 * Parses CIDR text (`10.0.0.0/8`, `2001:db8::/32`) into address-then-mask octets (8 or 32),
 * the encoding of an iPAddress name constraint.
 */
export function parseIPRange(text: string): Uint8Array | undefined {
  const slash = text.indexOf('/');
  if (slash === -1) return undefined;
  const address = parseIP(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!address || !/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > address.length * 8) return undefined;
  const out = new Uint8Array(address.length * 2);
  out.set(address);
  for (let bit = 0; bit < prefix; bit++) out[address.length + (bit >> 3)]! |= 0x80 >> (bit & 7);
  return out;
}

/** True when `address` (4 or 16 octets) lies in `range` (address and mask, 8 or 32 octets). */
export function ipInRange(address: Uint8Array, range: Uint8Array): boolean {
  if (range.length !== address.length * 2) return false;
  const n = address.length;
  for (let i = 0; i < n; i++) {
    if ((address[i]! & range[n + i]!) !== (range[i]! & range[n + i]!)) return false;
  }
  return true;
}
