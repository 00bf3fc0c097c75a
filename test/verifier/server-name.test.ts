import { describe, expect, it } from 'vitest';
import { createVerifier, hostPatternMatches, TrustStore } from '../../src/index.js';
import { ca, endEntity, NOW } from '../fixtures/pki.js';

describe('hostPatternMatches', () => {
  it('matches names exactly, ignoring case and one trailing dot', () => {
    expect(hostPatternMatches('api.example.com', 'API.Example.COM')).toBe(true);
    expect(hostPatternMatches('api.example.com.', 'api.example.com')).toBe(true);
    expect(hostPatternMatches('api.example.com', 'api.example.org')).toBe(false);
    expect(hostPatternMatches('', '')).toBe(false);
  });

  it('lets a leading wildcard stand for exactly one label', () => {
    expect(hostPatternMatches('*.example.com', 'a.example.com')).toBe(true);
    expect(hostPatternMatches('*.example.com', 'example.com')).toBe(false);
    expect(hostPatternMatches('*.example.com', 'a.b.example.com')).toBe(false);
    expect(hostPatternMatches('*.example.com', '.example.com')).toBe(false);
    expect(hostPatternMatches('a*.example.com', 'ab.example.com')).toBe(false);
  });
});

const root = await ca('Host Root');
const other = await ca('Open Root');
const leaf = await endEntity('host-client', { issuer: root });
const openLeaf = await endEntity('open-client', { issuer: other });

describe('bundles bound to host names', () => {
  const trustStore = new TrustStore();
  trustStore.addBundle('bound', root.pem, { hosts: ['*.partners.example'] });
  trustStore.addBundle('open', other.pem);
  const verifier = createVerifier({
    trustStore,
    clients: { acme: { bundles: ['bound', 'open'] }, only: { bundles: ['bound'] } },
  });

  it('apply when the server name matches one of their hosts', async () => {
    const verdict = await verifier.verify({
      clientId: 'acme',
      certificate: leaf.der,
      serverName: 'eu.partners.example',
      at: NOW,
    });
    expect(verdict.ok && verdict.bundle).toBe('bound');
  });

  it('do not apply under another server name, or without one', async () => {
    for (const serverName of ['partners.example', 'api.other.example', undefined]) {
      const verdict = await verifier.verify({
        clientId: 'acme',
        certificate: leaf.der,
        at: NOW,
        ...(serverName ? { serverName } : {}),
      });
      expect(!verdict.ok && verdict.reason).toBe('untrusted');
    }
  });

  it('leave bundles without hosts applying under every server name', async () => {
    const verdict = await verifier.verify({
      clientId: 'acme',
      certificate: openLeaf.der,
      serverName: 'anything.example',
      at: NOW,
    });
    expect(verdict.ok && verdict.bundle).toBe('open');
  });

  it('say so when none of the client bundles applies', async () => {
    const verdict = await verifier.verify({
      clientId: 'only',
      certificate: leaf.der,
      serverName: 'api.other.example',
      at: NOW,
    });
    expect(!verdict.ok && verdict.message).toContain('api.other.example');
  });
});
