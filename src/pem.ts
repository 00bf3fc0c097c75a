/**
 * PEM scanning: finds `-----BEGIN …-----` / `-----END …-----` blocks in any text, in one linear
 * pass (no regular expression runs over untrusted input), and decodes their base64 strictly.
 */

import { malformed } from './errors.js';

export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
  /** 0-based index of the block in the text, for messages. */
  readonly index: number;
}

const BEGIN = '-----BEGIN ';
const END = '-----END ';
const DASHES = '-----';

/** Labels whose content is a DER Certificate (RFC 7468 §5.1 and what OpenSSL writes). */
const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);

/** Every PEM block of the text, in order. Text outside blocks is ignored. */
export function scanPem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  let pos = 0;
  for (;;) {
    const begin = text.indexOf(BEGIN, pos);
    if (begin < 0) break;
    const labelStart = begin + BEGIN.length;
    const labelEnd = text.indexOf(DASHES, labelStart);
    const lineEnd = lineEndAt(text, labelStart);
    if (labelEnd < 0 || labelEnd > lineEnd) {
      throw malformed(`PEM block ${blocks.length + 1}: unterminated BEGIN line`);
    }
    const label = text.slice(labelStart, labelEnd);
    const endMarker = `${END}${label}${DASHES}`;
    const end = text.indexOf(endMarker, labelEnd + DASHES.length);
    if (end < 0) {
      throw malformed(`PEM block ${blocks.length + 1} (${label}): no matching END line`);
    }
    const body = text.slice(labelEnd + DASHES.length, end);
    blocks.push({ label, der: decodeBase64(body, blocks.length + 1, label), index: blocks.length });
    pos = end + endMarker.length;
  }
  return blocks;
}

/** The certificates of a PEM text; a block of another kind is an error that names it. */
export function pemCertificates(text: string): PemBlock[] {
  const blocks = scanPem(text);
  for (const block of blocks) {
    if (!CERTIFICATE_LABELS.has(block.label)) {
      throw malformed(`PEM block ${block.index + 1} is a ${block.label}, not a CERTIFICATE`);
    }
  }
  return blocks;
}

function lineEndAt(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

/** Strict base64: the alphabet, whitespace, and `=` padding at the end only. */
function decodeBase64(body: string, n: number, label: string): Uint8Array {
  let significant = 0;
  let padding = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    const isAlphabet =
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x2b ||
      c === 0x2f;
    if (c === 0x3d) {
      padding++;
    } else if (!isAlphabet || padding > 0) {
      // RFC 7468 headers (Proc-Type: …) are not allowed in certificate blocks either.
      throw malformed(`PEM block ${n} (${label}): invalid base64 at offset ${i}`);
    }
    significant++;
  }
  if (significant === 0) throw malformed(`PEM block ${n} (${label}) is empty`);
  if (significant % 4 !== 0 || padding > 2) {
    throw malformed(`PEM block ${n} (${label}): base64 length is not a multiple of 4`);
  }
  // Validated above, so Node's decoder (which skips whitespace) reads exactly the alphabet.
  const buf = Buffer.from(body, 'base64');
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** A certificate's DER as PEM, with 64-character lines. */
export function certificatePem(der: Uint8Array): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
