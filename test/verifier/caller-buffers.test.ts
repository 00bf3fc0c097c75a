import { describe, expect, it } from 'vitest';
import { Certificate } from '../../src/certificate.js';
import type { CryptoBackend } from '../../src/crypto/backend.js';
import { nodeBackend } from '../../src/crypto/node.js';
import { buildChain, createVerifier, TrustStore } from '../../src/index.js';
import { NOW, simpleChain } from '../fixtures/pki.js';

const pki = await simpleChain();

function setup() {
  const trustStore = new TrustStore();
  trustStore.addBundle('main', pki.root.pem);
  return createVerifier({ trustStore, clients: { acme: { bundles: ['main'] } } });
}

const SUBJECTS = ['CN=client.example', 'CN=Test Intermediate', 'CN=Test Root'];

describe('createVerifier: caller-owned buffers', () => {
  it('parses the DER it is given in place, as buildChain does', async () => {
    const verifier = setup();
    const leaf = new Uint8Array(pki.leaf.der);
    const verdict = await verifier.verify({
      clientId: 'acme',
      certificate: leaf,
      intermediates: [pki.intermediate.der],
      at: NOW,
    });
    expect(verdict.ok && verdict.certificate.der.buffer).toBe(leaf.buffer);
    const result = await buildChain(leaf, {
      anchors: [pki.root.der],
      intermediates: [pki.intermediate.der],
      at: NOW,
    });
    expect(result.ok && result.chain[0]!.der.buffer).toBe(leaf.buffer);
  });

  it('keeps the verdicts it remembers on its own copy when the caller reuses pooled Buffers', async () => {
    const verifier = setup();
    // Small Buffers come from Node's shared pool: both views may lie in one ArrayBuffer.
    const leaf = Buffer.from(pki.leaf.der);
    const intermediate = Buffer.from(pki.intermediate.der);
    const request = { clientId: 'acme', certificate: leaf, intermediates: [intermediate], at: NOW };
    expect((await verifier.verify(request)).ok).toBe(true);
    const kept = await verifier.verify(request); // the second sighting is remembered
    if (!kept.ok) throw new Error(kept.message);
    for (const cert of kept.chain) {
      expect(cert.der.buffer === leaf.buffer || cert.der.buffer === intermediate.buffer).toBe(
        false,
      );
    }
    // A socket or pool reuses its memory for the next connection.
    leaf.fill(0);
    intermediate.fill(0);
    expect(kept.certificate.subject).toBe('CN=client.example');
    expect(Buffer.from(kept.certificate.der).equals(Buffer.from(pki.leaf.der))).toBe(true);
    expect(kept.chain.map((c) => c.subject)).toEqual(SUBJECTS);
    const again = await verifier.verify({
      clientId: 'acme',
      certificate: Buffer.from(pki.leaf.der),
      intermediates: [Buffer.from(pki.intermediate.der)],
      at: NOW,
    });
    expect(again).toBe(kept);
  });

  it('does not let a reused buffer change an intermediate it remembers', async () => {
    const verifier = setup();
    const intermediate = new Uint8Array(pki.intermediate.der);
    const first = await verifier.verify({
      clientId: 'acme',
      certificate: pki.leaf.der,
      intermediates: [intermediate],
      at: NOW,
    });
    expect(first.ok && first.chain[1]!.der.buffer).not.toBe(intermediate.buffer);
    intermediate.fill(0);
    expect(first.ok && first.chain.map((c) => c.subject)).toEqual(SUBJECTS);
    // A new leaf under the same intermediate, which now comes from the ChainCache.
    const second = await verifier.verify({
      clientId: 'acme',
      certificate: new Uint8Array(pki.leaf.der),
      intermediates: [new Uint8Array(pki.intermediate.der)],
      at: NOW,
    });
    expect(second.ok && second.chain.map((c) => c.subject)).toEqual(SUBJECTS);
  });
});

describe('createVerifier: caller-owned buffers with an asynchronous backend', () => {
  // The same bytes as DER, as a Certificate parsed over them, and as an X509Certificate-like
  // holder: each is read from a private copy, whatever the caller does to its buffer meanwhile.
  const shapes = {
    DER: (bytes: Buffer) => bytes,
    Certificate: (bytes: Buffer) => Certificate.fromDER(bytes),
    'X509Certificate-like': (bytes: Buffer) => ({ raw: bytes, fingerprint256: '', subject: '' }),
  };
  for (const [shape, wrap] of Object.entries(shapes)) {
    it(`reads a copy of ${shape} input, so a buffer changed while the backend works poisons neither verdict nor cache`, async () => {
      const trustStore = new TrustStore();
      trustStore.addBundle('main', pki.root.pem);
      // Answers later, as WebCrypto does (reading the signed bytes only then), and does not
      // claim to be synchronous.
      const slow: CryptoBackend = {
        name: 'slow',
        verify: async (...args) => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          return nodeBackend.verify(...args);
        },
      };
      const verifier = createVerifier({
        trustStore,
        clients: { acme: { bundles: ['main'] } },
        chain: { backend: slow },
      });
      const leaf = Buffer.from(pki.leaf.der);
      // A new wrapper per request (a Certificate object seen before would bring the links
      // remembered for it, and no signature would be checked again).
      const request = () => ({
        clientId: 'acme',
        certificate: wrap(leaf),
        intermediates: [pki.intermediate.der],
        at: NOW,
      });
      expect((await verifier.verify(request())).ok).toBe(true);
      // The second sighting is kept when it ends. While it waits on the backend, the caller
      // changes a letter of the subject: the tail (inside the signature) stays, and with it
      // the cache's fingerprint.
      const pending = verifier.verify(request());
      const cert = Certificate.fromDER(pki.leaf.der);
      const at = cert.subjectDer.byteOffset - cert.der.byteOffset + cert.subjectDer.length - 1;
      leaf[at] = leaf[at] === 0x61 ? 0x62 : 0x61;
      const kept = await pending;
      expect(kept.ok && kept.certificate.subject).toBe('CN=client.example');
      // The original bytes hit the kept verdict; the changed ones, never verified, do not.
      const original = wrap(Buffer.from(pki.leaf.der));
      const again = await verifier.verify({ ...request(), certificate: original });
      expect(again).toBe(kept);
      const changed = await verifier.verify({ ...request(), certificate: wrap(Buffer.from(leaf)) });
      expect(changed.ok).toBe(false);
    });
  }
});
