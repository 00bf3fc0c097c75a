/** Helpers for the chain tests: raw extensions and a backend that counts its work. */
import type { CryptoBackend } from '../../src/crypto/backend.js';
import { createNodeBackend } from '../../src/crypto/node.js';
import { x509 } from '../fixtures/pki.js';

/** A DER TLV (lengths up to 65535). */
export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const body = Buffer.concat(parts);
  const n = body.length;
  const len = n < 0x80 ? [n] : n <= 0xff ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return new Uint8Array([tag, ...len, ...body]);
}

const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'ascii'));

/** nameConstraints with permitted and excluded dNSName subtrees. */
export function dnsNameConstraints(
  permitted: string[],
  excluded: string[] = [],
  critical = true,
): x509.Extension {
  const subtrees = (names: string[]) => names.map((n) => tlv(0x30, tlv(0x82, ascii(n))));
  const parts = [
    ...(permitted.length ? [tlv(0xa0, ...subtrees(permitted))] : []),
    ...(excluded.length ? [tlv(0xa1, ...subtrees(excluded))] : []),
  ];
  return new x509.Extension('2.5.29.30', critical, tlv(0x30, ...parts) as Uint8Array<ArrayBuffer>);
}

/** An extension nobody knows, with a NULL value. */
export function unknownExtension(critical: boolean): x509.Extension {
  return new x509.Extension('1.3.6.1.4.1.55555.1', critical, new Uint8Array([0x05, 0x00]));
}

/** A node backend that counts the signatures it verifies. */
export function countingBackend(
  mode: 'sync' | 'async' = 'sync',
): CryptoBackend & { count: number } {
  const inner = createNodeBackend();
  const backend = {
    name: `counting-${mode}`,
    count: 0,
    verify: (...args: Parameters<CryptoBackend['verify']>) => {
      backend.count++;
      const result = inner.verify(...args);
      // The answer a tick later, as WebCrypto gives it: the search's asynchronous path.
      return mode === 'async' ? Promise.resolve(result) : result;
    },
  };
  return backend;
}
