import { createServer } from 'node:https';
import Koa, { type Context } from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mtlsGate } from '../../src/adapters/koa.js';
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
const seen: string[] = [];

beforeAll(async () => {
  target.pki = await gatePki();
  const { verifier } = gateVerifier(target.pki);
  const options = routeOptions<Context>(verifier);
  const gates = {
    direct: mtlsGate({
      ...options.direct,
      onVerdict: (v, ctx) => seen.push(`${ctx.path} ${v.ok}`),
    }),
    proxy: mtlsGate(options.proxy),
    spoof: mtlsGate(options.spoof),
  };
  const app = new Koa();
  // Koa has no router of its own; pick the gate by the first path segment.
  app.use((ctx, next) => {
    const family = ctx.path.split('/')[1] as keyof typeof gates;
    const gate = gates[family];
    return gate ? gate(ctx, next) : next();
  });
  app.use((ctx) => {
    ctx.body = { reached: true, verdict: summarize(ctx.state.mtls) };
  });
  server = createServer(httpsOptions(target.pki), app.callback());
  target.origin = await listen(server);
});

afterAll(() => close(server));

describe('mtlsGate for Koa over HTTPS', () => {
  gateCases(target);

  it('throws when created with options that cannot work, not on a request', () => {
    expect(() => mtlsGate({ clientId: () => 'acme' } as never)).toThrow(/mtls-gate\/koa/);
  });

  it('hands onVerdict the Koa context and the verdict', async () => {
    seen.length = 0;
    await get(
      target.origin,
      '/direct/whoami',
      { client: 'acme', cert: target.pki.valid },
      target.pki,
    );
    expect(seen).toEqual(['/direct/whoami true']);
  });
});
