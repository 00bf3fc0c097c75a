/**
 * Our DER reader (der.ts, certificate.ts) against @peculiar/x509 on every certificate of the
 * x509-limbo corpus that both parse: names as DER, serial, validity, extensions, SPKI and
 * signature must be the same. Where only one side parses, the count is printed (we are
 * stricter on DER by design; @peculiar/x509 gives up on some keys), and a certificate we
 * refuse must be refused as malformed, never with another error.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { expect, test } from 'vitest';
import type { Certificate } from '../src/certificate.js';
import { toHex } from '../src/der.js';
import { MtlsError } from '../src/errors.js';
import { parseCertificates } from '../src/input.js';
import { loadCorpus } from './conformance/limbo-harness.js';

const hex = (b: ArrayBuffer | Uint8Array) => toHex(b instanceof Uint8Array ? b : new Uint8Array(b));

interface TheirFields {
  subject: string;
  subjectDer: string;
  issuerDer: string;
  serial: string;
  notBefore: number;
  notAfter: number;
  spki: string;
  signature: string;
  extensions: string[];
}

/** Reads every compared field at once: @peculiar/x509 parses some of them lazily. */
function fieldsOf(c: x509.X509Certificate): TheirFields {
  return {
    subject: c.subject,
    subjectDer: hex(c.subjectName.toArrayBuffer()),
    issuerDer: hex(c.issuerName.toArrayBuffer()),
    serial: c.serialNumber.toLowerCase().replace(/^0+/, ''),
    notBefore: c.notBefore.getTime(),
    notAfter: c.notAfter.getTime(),
    spki: hex(c.publicKey.rawData),
    signature: hex(c.signature),
    extensions: c.extensions.map((e) => `${e.type}/${e.critical}/${hex(e.value)}`),
  };
}

function corpusPems(): string[] {
  const pems = new Set<string>();
  for (const t of loadCorpus('limbo.json')) {
    for (const p of [
      t.peer_certificate,
      ...t.trusted_certs,
      ...(t.untrusted_intermediates ?? []),
    ]) {
      pems.add(p);
    }
  }
  return [...pems];
}

test('our Certificate fields agree with @peculiar/x509 on every corpus certificate both parse', () => {
  let both = 0;
  let onlyTheirs = 0;
  let onlyOurs = 0;
  for (const pem of corpusPems()) {
    let ours: Certificate | undefined;
    let theirs: TheirFields | undefined;
    try {
      ours = parseCertificates(pem)[0];
    } catch (error) {
      expect(error).toBeInstanceOf(MtlsError);
      expect((error as MtlsError).reason).toBe('malformed');
    }
    try {
      theirs = fieldsOf(new x509.X509Certificate(pem));
    } catch {
      theirs = undefined;
    }
    if (!ours || !theirs) {
      if (ours) onlyOurs++;
      if (theirs) onlyTheirs++;
      continue;
    }
    both++;
    const where = theirs.subject;
    expect(hex(ours.subjectDer), where).toBe(theirs.subjectDer);
    expect(hex(ours.issuerDer), where).toBe(theirs.issuerDer);
    expect(ours.serialNumber.replace(/^0+/, ''), where).toBe(theirs.serial);
    expect(ours.notBeforeMs, where).toBe(theirs.notBefore);
    expect(ours.notAfterMs, where).toBe(theirs.notAfter);
    expect(hex(ours.spki), where).toBe(theirs.spki);
    expect(hex(ours.signature), where).toBe(theirs.signature);
    expect(
      ours.extensions.map((e) => `${e.oid}/${e.critical}/${hex(e.value)}`),
      where,
    ).toEqual(theirs.extensions);
  }
  console.log(
    `der agreement: ${both} certificates parsed by both, ${onlyTheirs} only by @peculiar/x509, ${onlyOurs} only by us`,
  );
  expect(both).toBeGreaterThan(300);
});
