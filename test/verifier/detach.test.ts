import { describe, expect, it } from 'vitest';
import { createVerifier, TrustStore } from '../../src/index.js';
import { NOW, simpleChain } from '../fixtures/pki.js';

const pki = await simpleChain();

describe('createVerifier: caller-owned buffers', () => {
  it('keeps a cached verdict intact when the caller reuses the Node Buffer it passed', async () => {
    const trustStore = new TrustStore();
    trustStore.addBundle('main', pki.root.pem);
    const verifier = createVerifier({ trustStore, clients: { acme: { bundles: ['main'] } } });
    const leaf = Buffer.from(pki.leaf.der);
    const intermediate = Buffer.from(pki.intermediate.der);
    const first = await verifier.verify({
      clientId: 'acme',
      certificate: leaf,
      intermediates: [intermediate],
      at: NOW,
    });
    expect(first.ok).toBe(true);
    // A socket or pool reuses its memory for the next connection.
    leaf.fill(0);
    intermediate.fill(0);
    expect(first.ok && first.certificate.subject).toBe('CN=client.example');
    expect(first.ok && Buffer.from(first.certificate.der).equals(Buffer.from(pki.leaf.der))).toBe(
      true,
    );
    const again = await verifier.verify({
      clientId: 'acme',
      certificate: Buffer.from(pki.leaf.der),
      intermediates: [Buffer.from(pki.intermediate.der)],
      at: NOW,
    });
    expect(again.ok && again.chain.map((c) => c.subject)).toEqual([
      'CN=client.example',
      'CN=Test Intermediate',
      'CN=Test Root',
    ]);
  });
});
