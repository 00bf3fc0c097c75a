/**
 * Map keys for byte strings (subject names, key identifiers, DER). One UTF-16 code unit per
 * octet is injective and costs one pass, where hex would double the length and base64 needs
 * Buffer (not available on every runtime the core targets).
 */

/** A string that is equal for two inputs exactly when their bytes are equal. */
export function bytesKey(bytes: Uint8Array): string {
  // fromCharCode.apply takes its arguments on the stack: chunk to stay far below its limit.
  const CHUNK = 8192;
  if (bytes.length <= CHUNK) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  let out = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return out;
}
