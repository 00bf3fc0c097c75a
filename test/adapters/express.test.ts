import { createServer } from 'node:https';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mtlsGate } from '../../src/adapters/express.js';
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

  it('keeps the handler unreached on a refusal', async () => {
    const reply = await get(target.origin, '/direct/whoami', { client: 'acme' }, target.pki);
    expect(reply.body).not.toHaveProperty('reached');
  });
});
