import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mtlsGatePlugin } from '../../src/adapters/fastify.js';
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
let app: FastifyInstance;

beforeAll(async () => {
  target.pki = await gatePki();
  const { verifier } = gateVerifier(target.pki);
  const options = routeOptions<FastifyRequest>(verifier);
  app = Fastify({ https: httpsOptions(target.pki) }) as unknown as FastifyInstance;
  for (const family of ['direct', 'proxy', 'spoof'] as const) {
    // The plugin skips encapsulation, so each family gets a context of its own to hold it.
    await app.register(
      async (scope) => {
        await scope.register(mtlsGatePlugin, options[family]);
        scope.get('/whoami', async (request) => ({
          reached: true,
          verdict: summarize(request.mtls),
        }));
      },
      { prefix: `/${family}` },
    );
  }
  app.get('/open', async (request) => ({ gated: request.mtls !== undefined }));
  await app.ready();
  target.origin = await listen(app.server as Server<typeof IncomingMessage, typeof ServerResponse>);
});

afterAll(async () => {
  await close(app.server as Server);
  await app.close();
});

describe('mtlsGatePlugin for Fastify over HTTPS', () => {
  gateCases(target);

  it('gates only the context it was registered in', async () => {
    const reply = await get(target.origin, '/open', { client: 'acme' }, target.pki);
    expect(reply).toEqual({ status: 200, body: { gated: false } });
  });

  it('fails registration when the options cannot work', async () => {
    const broken = Fastify();
    broken.register(mtlsGatePlugin, { verifier: {} } as never);
    await expect(broken.ready()).rejects.toThrow(/mtls-gate\/fastify: `verifier`/);
    await broken.close();
  });

  it('is marked to skip encapsulation, as fastify-plugin would mark it', () => {
    const marks = mtlsGatePlugin as unknown as Record<symbol, unknown>;
    expect(marks[Symbol.for('skip-override')]).toBe(true);
  });
});
