/**
 * Certificate parsing on hostile bytes: whatever arrives (random bytes, mutated or truncated
 * real certificates, random PEM text), the only error that leaves parseCertificates is an
 * MtlsError 4018 `malformed`, and every certificate that does parse has readable fields.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { MtlsError, parseCertificates } from '../../src/index.js';
import { simpleChain } from '../fixtures/pki.js';

let real: Uint8Array[] = [];

beforeAll(async () => {
  const p256 = await simpleChain('P-256');
  const rsa = await simpleChain('RSA-2048');
  real = [p256.root.der, p256.intermediate.der, p256.leaf.der, rsa.leaf.der];
});

/** Parses, and when that succeeds reads every derived field; returns what was thrown. */
function attempt(input: Uint8Array | string): unknown {
  try {
    for (const cert of parseCertificates(input)) {
      void cert.subject;
      void cert.issuer;
      void cert.subjectAltNames;
      void cert.serialNumber;
      void cert.fingerprint256;
      void cert.publicKey;
      void cert.notAfter.toISOString();
    }
    return undefined;
  } catch (error) {
    return error;
  }
}

function expectMalformedOrNothing(error: unknown): void {
  if (error === undefined) return;
  expect(error).toBeInstanceOf(MtlsError);
  expect((error as MtlsError).code).toBe(4018);
  expect((error as MtlsError).reason).toBe('malformed');
}

describe('parseCertificates on hostile input', () => {
  it('throws nothing but malformed on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        expectMalformedOrNothing(attempt(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('throws nothing but malformed on real certificates with bytes changed', () => {
    fc.assert(
      fc.property(
        fc.nat(3),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 6,
        }),
        (which, edits) => {
          const der = real[which]!.slice();
          for (const [at, value] of edits) der[at % der.length] = value;
          expectMalformedOrNothing(attempt(der));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('throws nothing but malformed on real certificates cut short or extended', () => {
    fc.assert(
      fc.property(fc.nat(3), fc.nat(), fc.uint8Array({ maxLength: 8 }), (which, cut, tail) => {
        const der = real[which]!;
        const cutDer = der.subarray(0, cut % der.length);
        expectMalformedOrNothing(attempt(cutDer));
        const longer = new Uint8Array(der.length + tail.length);
        longer.set(der);
        longer.set(tail, der.length);
        // Trailing bytes after the Certificate are never accepted.
        expect(attempt(tail.length > 0 ? longer : der)).toSatisfy((e: unknown) =>
          tail.length > 0 ? e instanceof MtlsError : e === undefined,
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('throws nothing but malformed on PEM-like text', () => {
    const pemish = fc.array(
      fc.oneof(
        fc.constant('-----BEGIN CERTIFICATE-----'),
        fc.constant('-----END CERTIFICATE-----'),
        fc.constant('-----BEGIN '),
        fc.constant('\n'),
        fc.base64String({ maxLength: 80 }),
        fc.string({ maxLength: 20 }),
      ),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(pemish, (parts) => {
        expectMalformedOrNothing(attempt(parts.join('')));
      }),
      { numRuns: 2000 },
    );
  });
});
