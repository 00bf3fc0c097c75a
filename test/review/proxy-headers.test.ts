/** Review finding: a repeated client-certificate header must not be read as leaf + chain. */
import { describe, expect, it } from 'vitest';
import { certificateFromProxy } from '../../src/adapters/proxy-headers.js';
import { ca, endEntity } from '../fixtures/pki.js';

const root = await ca('Review Root');
const client = await endEntity('real-client', { issuer: root });
const other = await endEntity('other-client', { issuer: root });
const PROXY = '10.0.0.7';

describe('repeated single-certificate headers', () => {
  // node:http joins repeated unknown headers with ", ": the first instance may be the
  // client's own, sent through a proxy that appends rather than replaces.
  for (const [format, name, encode] of [
    ['nginx', 'x-ssl-client-cert', (pem: string) => encodeURIComponent(pem)],
    ['aws-alb', 'x-amzn-mtls-clientcert', (pem: string) => encodeURIComponent(pem)],
  ] as const) {
    it(`${format}: two instances are refused, not read as leaf + chain`, () => {
      const value = `${encode(other.pem)}, ${encode(client.pem)}`;
      const found = certificateFromProxy({ [name]: value }, PROXY, {
        trusted: [PROXY],
        header: format,
      });
      expect(found.status).toBe('used');
      if (found.status !== 'used') return;
      // Handed on as raw text, which the verifier answers as malformed.
      expect(Buffer.from(found.certificate).toString('utf8')).toBe(value);
      expect(found.intermediates).toEqual([]);
    });
  }

  it('nginx: an array of instances is refused too', () => {
    const found = certificateFromProxy(
      { 'x-ssl-client-cert': [encodeURIComponent(other.pem), encodeURIComponent(client.pem)] },
      PROXY,
      { trusted: [PROXY], header: 'nginx' },
    );
    expect(found.status).toBe('used');
    if (found.status !== 'used') return;
    expect(found.intermediates).toEqual([]);
    expect(() => Buffer.from(found.certificate).toString('utf8')).not.toThrow();
    expect(Buffer.from(found.certificate).toString('utf8')).toContain(', ');
  });
});
