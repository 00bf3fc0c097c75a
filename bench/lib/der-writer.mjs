// A tiny DER writer for the benchmark's fixtures. Why not @peculiar/x509: the store needs
// 10,000 CAs and the cold figures hundreds of leaves per algorithm; building them through an
// ASN.1 object model and async WebCrypto takes tens of seconds, while writing the bytes here
// and signing with node:crypto takes well under one. Only the shapes X.509 needs.

import { Buffer } from 'node:buffer';

/** Length octets (definite, minimal). */
function length(n) {
  if (n < 0x80) return Buffer.from([n]);
  const bytes = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One TLV from a tag and the concatenated value parts. */
export function tlv(tag, ...parts) {
  const value = Buffer.concat(parts.map((p) => Buffer.from(p)));
  return Buffer.concat([Buffer.from([tag]), length(value.length), value]);
}

export const seq = (...parts) => tlv(0x30, ...parts);
export const set = (...parts) => tlv(0x31, ...parts);
export const explicit = (n, ...parts) => tlv(0xa0 | n, ...parts);
export const octets = (bytes) => tlv(0x04, bytes);
export const nul = () => Buffer.from([0x05, 0x00]);
export const bool = (v) => tlv(0x01, Buffer.from([v ? 0xff : 0x00]));
export const utf8 = (s) => tlv(0x0c, Buffer.from(s, 'utf8'));
export const printable = (s) => tlv(0x13, Buffer.from(s, 'latin1'));
export const ia5 = (s) => tlv(0x16, Buffer.from(s, 'latin1'));

/** BIT STRING with no unused bits. */
export const bits = (bytes) => tlv(0x03, Buffer.from([0]), bytes);

/** A non-negative INTEGER from big-endian magnitude octets (a zero octet added when needed). */
export function uint(bytes) {
  let b = Buffer.from(bytes);
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  b = b.subarray(i);
  if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

export function oid(dotted) {
  const arcs = dotted.split('.').map(Number);
  const out = [arcs[0] * 40 + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const chunk = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128))
      chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime for years 1950–2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5). */
export function time(date) {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const year = date.getUTCFullYear();
  const body = `${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  if (year >= 1950 && year < 2050) return tlv(0x17, Buffer.from(`${iso.slice(2, 4)}${body}`));
  return tlv(0x18, Buffer.from(`${iso.slice(0, 4)}${body}`));
}
