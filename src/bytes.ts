/**
 * Byte strings as the indexes and caches of the validation path need them: a string key
 * (`bytesKey`), a hash for buckets compared byte for byte (`bytesHash`), and equality
 * (`sameBytes`). Each runs several times per validation, so each is the fastest correct form
 * measured on Node 20, with a portable path for runtimes without Buffer.
 *
 * `bytesKey`: one UTF-16 code unit per octet (latin1) is injective and costs one pass, where
 * hex would double the length. `String.fromCharCode.apply` over a typed array costs ~2 µs for
 * 900 octets (a fifth of an RSA-2048 verify); Buffer's native latin1 decoding ~0.1 µs.
 */

interface Latin1Buffer {
  from(
    buffer: ArrayBufferLike,
    byteOffset: number,
    length: number,
  ): { toString(e: 'latin1'): string };
}

const NodeBuffer = (globalThis as { Buffer?: Latin1Buffer }).Buffer;

/** Below this many octets a plain loop beats creating a Buffer view. */
const SHORT = 24;

/** A string that is equal for two inputs exactly when their bytes are equal. */
export function bytesKey(bytes: Uint8Array): string {
  const n = bytes.length;
  if (n <= SHORT) {
    let out = '';
    for (let i = 0; i < n; i++) out += String.fromCharCode(bytes[i]!);
    return out;
  }
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, n).toString('latin1');
  // fromCharCode.apply takes its arguments on the stack: chunk to stay far below its limit.
  const CHUNK = 8192;
  if (n <= CHUNK) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  let out = '';
  for (let i = 0; i < n; i += CHUNK) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return out;
}

/** The portable path alone, for tests that check both paths give the same keys. */
export function bytesKeyPortable(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i]!);
  return out;
}

/**
 * A 32-bit FNV-1a hash of the bytes, for indexes whose buckets are then compared byte for
 * byte. Names are looked up three times per validation (the pinned-leaf check and one issuer
 * lookup per link); hashing ~70 octets in place costs ~0.1 µs, where `bytesKey` made a Buffer
 * view and a string (~0.3-0.4 µs, measured). Collisions only put more certificates in a bucket.
 */
export function bytesHash(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash >>> 0;
}

interface NativeCompare {
  compare(a: Uint8Array, b: Uint8Array): number;
}

const NativeBuffer = (globalThis as { Buffer?: NativeCompare }).Buffer;

/** Below this many octets a plain loop beats crossing into native code. */
const SHORT_COMPARE = 48;

/**
 * Whether two byte strings are equal. Whole DER certificates are compared on every
 * validation (a presented intermediate against the one remembered, a verdict's chain against
 * the request's bytes); for ~900 octets a JavaScript loop costs 0.5-1.7 µs on Node 20 and
 * Buffer.compare (memcmp) ~0.1 µs, measured. Short values (names, key identifiers) stay in the
 * loop, and runtimes without Buffer take it for everything.
 */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  const n = a.length;
  if (n !== b.length) return false;
  if (n > SHORT_COMPARE && NativeBuffer) return NativeBuffer.compare(a, b) === 0;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A private copy of `bytes[start, end)` as a plain Uint8Array: `bytes.slice()` is a copy on a
 * plain Uint8Array but a view on a Node Buffer (which is what sockets hand out), so anything
 * kept past the call that read it goes through here.
 */
export function ownCopy(bytes: Uint8Array, start = 0, end = bytes.length): Uint8Array {
  const from = bytes.byteOffset + start;
  return new Uint8Array(bytes.buffer.slice(from, from + Math.max(0, end - start)));
}
