/**
 * Review finding: failure messages quote what the client put in its certificate (SAN entries
 * in name-constraint failures) and the client id it sent; a newline, a terminal escape or a
 * bidirectional override there reached verdict messages, and so the host's log lines, as is.
 */
import { describe, expect, it } from 'vitest';
import { buildChain } from '../../src/chain/build-chain.js';
import { createVerifier, TrustStore } from '../../src/index.js';
import { dnsNameConstraints } from '../chain/helpers.js';
import { ca, endEntity, NOW } from '../fixtures/pki.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: what must not appear.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const root = await ca('NC Root', { extraExtensions: [dnsNameConstraints(['good.example'])] });
const leaf = await endEntity('client', {
  issuer: root,
  san: [{ type: 'dns', value: 'x\nFORGED LOG LINE \u001b[31m.evil.example' }],
});

describe('messages carry no control characters from the certificate or the request', () => {
  it('buildChain escapes them in a name-constraints failure', async () => {
    const result = await buildChain(leaf.pem, { anchors: root.pem, at: NOW });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe('name-constraints');
    expect(result.message).not.toMatch(CONTROL);
    expect(result.message).toContain('x\\x0Aforged log line \\x1B[31m.evil.example');
  });

  it('verdict messages escape them, including a client id with a bidi override', async () => {
    const store = new TrustStore();
    store.addBundle('nc', root.pem);
    const verifier = createVerifier({ trustStore: store, clients: { acme: { bundles: ['nc'] } } });
    const invalid = await verifier.verify({ clientId: 'acme', certificate: leaf.pem, at: NOW });
    expect(invalid.ok).toBe(false);
    if (!invalid.ok) expect(invalid.message).not.toMatch(CONTROL);
    const unknown = await verifier.verify({
      clientId: 'evil\u202e\u2028id',
      certificate: leaf.pem,
      at: NOW,
    });
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) {
      expect(unknown.code).toBe(4020);
      expect(unknown.message).not.toMatch(CONTROL);
      expect(unknown.message).toContain('evil\\u202E\\u2028id');
    }
  });
});
