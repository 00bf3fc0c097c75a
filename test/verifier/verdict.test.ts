import { describe, expect, it } from 'vitest';
import { createVerifier, MtlsErrorCode, TrustStore, verdictErrorBody } from '../../src/index.js';
import { ca, DAY, endEntity, NOW } from '../fixtures/pki.js';

describe('verdictErrorBody', () => {
  it('gives code, reason and message only, as the 403 body', async () => {
    const root = await ca('Body Root');
    const expired = await endEntity('late', {
      issuer: root,
      notBefore: new Date(NOW.getTime() - 9 * DAY),
      notAfter: new Date(NOW.getTime() - DAY),
    });
    const trustStore = new TrustStore();
    trustStore.addBundle('main', root.pem);
    const verifier = createVerifier({ trustStore, clients: { acme: { bundles: ['main'] } } });
    const verdict = await verifier.verify({ clientId: 'acme', certificate: expired.der, at: NOW });
    if (verdict.ok) throw new Error('expected a failure');
    const body = verdictErrorBody(verdict);
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'reason']);
    expect(body.error.code).toBe(4018);
    expect(body.error.reason).toBe('expired');
    expect(JSON.parse(JSON.stringify(body))).toEqual(body);
  });

  it('leaves out the reason when there is none', () => {
    const body = verdictErrorBody({
      ok: false,
      code: MtlsErrorCode.CertificateMissing,
      message: 'Client certificate is missing from the request.',
      enforced: true,
      clientId: 'acme',
    });
    expect(body).toEqual({
      error: { code: 4017, message: 'Client certificate is missing from the request.' },
    });
  });

  it('gives frozen verdicts without undefined fields', async () => {
    const trustStore = new TrustStore();
    const verifier = createVerifier({ trustStore, clients: { acme: { bundles: ['x'] } } });
    const verdict = await verifier.verify({ clientId: 'acme' });
    expect(Object.isFrozen(verdict)).toBe(true);
    expect(Object.values(verdict)).not.toContain(undefined);
  });
});
