import { createServer } from 'node:https';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mtlsGate } from '../../src/adapters/express.js';
import { capturePeerCertificates, tlsServerOptions } from '../../src/adapters/node.js';
import {
  close,
  gateCases,
  gatePki,
  gateVerifier,
  get,
  httpsOptions,
  listen,
  routeOptions,
  summarize,
  type Target,
} from '../fixtures/servers.js';

const target: Target = { origin: '', pki: undefined as never };
let server: ReturnType<typeof createServer>;

beforeAll(async () => {
  target.pki = await gatePki();
  const { verifier } = gateVerifier(target.pki);
  const options = routeOptions<express.Request>(verifier);
  const app = express();
  app.use('/direct', mtlsGate(options.direct));
  app.use('/proxy', mtlsGate(options.proxy));
  app.use('/spoof', mtlsGate(options.spoof));
  app.get('/:family/whoami', (req, res) => {
    res.json({ reached: true, verdict: summarize(req.mtls) });
  });
  server = createServer(httpsOptions(target.pki), app);
  target.origin = await listen(server);
});

afterAll(() => close(server));

describe('mtlsGate for Express over HTTPS', () => {
  gateCases(target);

  it('throws when created with options that cannot work, not on a request', () => {
    expect(() => mtlsGate({} as never)).toThrow(/mtls-gate\/express: `verifier`/);
    const { verifier } = gateVerifier(target.pki);
    expect(() => mtlsGate({ verifier, clientId: 'acme' as never })).toThrow(/`clientId`/);
    expect(() =>
      mtlsGate({ verifier, clientId: () => 'acme', proxy: { trusted: [], header: 'rfc9440' } }),
    ).toThrow(/proxy\.trusted/);
  });

  it('works on a server built the documented way: tlsServerOptions and capturePeerCertificates', async () => {
    const { trustStore, verifier } = gateVerifier(target.pki);
    const app = express();
    app.use(mtlsGate(routeOptions<express.Request>(verifier).direct));
    app.get('/direct/whoami', (req, res) => {
      res.json({ reached: true, verdict: summarize(req.mtls) });
    });
    const options = tlsServerOptions(trustStore, {
      cert: target.pki.server.pem,
      key: target.pki.server.keyPem,
    });
    const documented = capturePeerCertificates(createServer(options, app));
    const origin = await listen(documented);
    try {
      const { pki } = target;
      const send = { client: 'acme', cert: pki.chained, chain: [pki.intermediate] };
      const chained = await get(origin, '/direct/whoami', send, pki);
      expect(chained.body).toMatchObject({ verdict: { ok: true, subject: 'CN=acme-chained' } });
      const expired = await get(
        origin,
        '/direct/whoami',
        { client: 'acme', cert: pki.expired },
        pki,
      );
      expect(expired.body).toMatchObject({ error: { code: 4018, reason: 'expired' } });
    } finally {
      await close(documented);
    }
  });

  it('keeps the handler unreached on a refusal', async () => {
    const reply = await get(target.origin, '/direct/whoami', { client: 'acme' }, target.pki);
    expect(reply.body).not.toHaveProperty('reached');
  });
});
