/**
 * Review findings: DER and RFC 5280 rules the parser did not hold. A keyUsage BIT STRING
 * with trailing zero bits (X.690 §11.2.2 ends a named bit list at its last set bit), unique
 * identifiers in a v1 certificate (RFC 5280 §4.1.2.8), and an RSAPublicKey with data after
 * its exponent or a subjectPublicKey BIT STRING with unused bits. Each is now `malformed`.
 */
import { describe, expect, it } from 'vitest';
import { Certificate } from '../../src/certificate.js';
import { DerReader } from '../../src/der.js';
import { readPublicKeyInfo } from '../../src/public-key.js';
import { tlv } from '../fixtures/name-der-arbitrary.js';
import { ca, endEntity, x509 } from '../fixtures/pki.js';

/** The encodings of the elements of the SEQUENCE `der` (or of `der[start, end)`'s contents). */
function children(der: Uint8Array): Uint8Array[] {
  const outer = new DerReader(der);
  outer.next();
  outer.enter();
  const out: Uint8Array[] = [];
  while (outer.hasMore()) {
    outer.next();
    out.push(der.subarray(outer.start, outer.end));
  }
  return out;
}

const seq = (parts: Uint8Array[]) =>
  Uint8Array.from(
    tlv(
      0x30,
      parts.flatMap((p) => [...p]),
    ),
  );

describe('DER and profile rules the parser holds', () => {
  it('refuses a keyUsage with trailing zero bits, and reads the DER form', async () => {
    const root = await ca('KU Root');
    const withBits = async (bits: number[]) =>
      (
        await endEntity('ku', {
          issuer: root,
          extensions: [new x509.Extension('2.5.29.15', true, Uint8Array.from(bits))],
        })
      ).der;
    // digitalSignature alone: DER says 7 unused bits; 0 unused bits leaves 7 trailing zeros.
    const good = Certificate.fromDER(new Uint8Array(await withBits([0x03, 0x02, 0x07, 0x80])));
    expect(good.keyUsage?.digitalSignature).toBe(true);
    const padded = new Uint8Array(await withBits([0x03, 0x02, 0x00, 0x80]));
    expect(() => Certificate.fromDER(padded)).toThrow(/trailing zero bits/);
    const extraOctet = new Uint8Array(await withBits([0x03, 0x03, 0x07, 0x80, 0x00]));
    expect(() => Certificate.fromDER(extraOctet)).toThrow(/malformed|not a valid/);
  });

  it('refuses unique identifiers in a v1 certificate, and takes them in a v3 one', async () => {
    const issued = await ca('Unique');
    const [tbs, algorithm, signature] = children(new Uint8Array(issued.der));
    // tbsCertificate: [0] version, serial, signature, issuer, validity, subject, spki, [3] exts
    const fields = children(tbs!);
    const [, serial, sigAlg, issuer, validity, subject, spki, extensions] = fields;
    const uniqueId = Uint8Array.from([0x81, 0x02, 0x00, 0x2a]);
    const certificate = (tbsFields: Uint8Array[]) => seq([seq(tbsFields), algorithm!, signature!]);
    const v1 = certificate([serial!, sigAlg!, issuer!, validity!, subject!, spki!, uniqueId]);
    expect(() => Certificate.fromDER(v1)).toThrow(/unique identifiers in a v1 certificate/);
    const v1Plain = certificate([serial!, sigAlg!, issuer!, validity!, subject!, spki!]);
    expect(Certificate.fromDER(v1Plain).version).toBe(1);
    const v3 = certificate([
      fields[0]!,
      serial!,
      sigAlg!,
      issuer!,
      validity!,
      subject!,
      spki!,
      uniqueId,
      extensions!,
    ]);
    expect(Certificate.fromDER(v3).version).toBe(3);
  });

  it('refuses an RSAPublicKey with data after its exponent, and a key BIT STRING with unused bits', async () => {
    const issued = await ca('RSA Key', { key: 'RSA-2048' });
    const spki = Certificate.fromDER(new Uint8Array(issued.der)).spki;
    const [algorithm, bits] = children(spki);
    const bitString = new DerReader(bits!);
    bitString.next();
    const key = bits!.subarray(bitString.valueStart + 1, bitString.end);
    expect(readPublicKeyInfo(spki).bits).toBe(2048);
    const rebuilt = (unused: number, keyBytes: Uint8Array) =>
      seq([algorithm!, Uint8Array.from(tlv(0x03, [unused, ...keyBytes]))]);
    expect(readPublicKeyInfo(rebuilt(0, key)).bits).toBe(2048);
    // The RSAPublicKey SEQUENCE with a NULL after its exponent, inside the SEQUENCE.
    const [modulus, exponent] = children(key);
    const trailing = seq([modulus!, exponent!, Uint8Array.from([0x05, 0x00])]);
    expect(() => readPublicKeyInfo(rebuilt(0, trailing))).toThrow(/RSAPublicKey/);
    // Data after the RSAPublicKey SEQUENCE itself.
    const after = Uint8Array.from([...key, 0x05, 0x00]);
    expect(() => readPublicKeyInfo(rebuilt(0, after))).toThrow();
    // One unused bit (zero, as DER pads): still not a key this reads.
    const shifted = Uint8Array.from([...key.subarray(0, -1), key[key.length - 1]! & 0xfe]);
    expect(() => readPublicKeyInfo(rebuilt(1, shifted))).toThrow(/unused bits/);
  });
});
