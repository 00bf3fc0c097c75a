import 'reflect-metadata';
import type { Server } from 'node:https';
import {
  Controller,
  Get,
  Module,
  type NestApplicationOptions,
  Req,
  UseGuards,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MtlsGuard, MtlsModule, type NestHttpRequest } from '../../src/adapters/nest.js';
import {
  gateCases,
  gatePki,
  gateVerifier,
  get,
  httpsOptions,
  routeOptions,
  summarize,
  type Target,
} from '../fixtures/servers.js';

const target: Target = { origin: '', pki: undefined as never };
const apps: NestExpressApplication[] = [];

async function start(module: object, pki: Target['pki']): Promise<string> {
  const app = await NestFactory.create<NestExpressApplication>(module, {
    // Node's own ServerOptions type is stricter about SNICallback than Nest's copy of it.
    httpsOptions: httpsOptions(pki) as NestApplicationOptions['httpsOptions'],
    logger: false,
  });
  apps.push(app);
  await app.listen(0, '127.0.0.1');
  const address = (app.getHttpServer() as Server).address();
  return `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

const answer = (request: NestHttpRequest) => ({ reached: true, verdict: summarize(request.mtls) });

/**
 * A controller answering GET `/<prefix>/<route>` with {@link answer}. The decorators are
 * applied by hand because Biome does not parse parameter decorators (`@Req()`).
 */
function controller(prefix: string, route: string, guard?: MtlsGuard): new () => object {
  class Whoami {
    handle(request: NestHttpRequest) {
      return answer(request);
    }
  }
  Object.defineProperty(Whoami, 'name', { value: `Whoami_${prefix || 'root'}` });
  Req()(Whoami.prototype, 'handle', 0);
  const handle = Object.getOwnPropertyDescriptor(Whoami.prototype, 'handle');
  if (handle) Get(route)(Whoami.prototype, 'handle', handle);
  if (guard) UseGuards(guard)(Whoami);
  Controller(prefix)(Whoami);
  return Whoami;
}

beforeAll(async () => {
  target.pki = await gatePki();
  const { verifier } = gateVerifier(target.pki);
  const options = routeOptions<NestHttpRequest>(verifier);

  @Module({
    controllers: [
      controller('direct', 'whoami', new MtlsGuard(options.direct)),
      controller('proxy', 'whoami', new MtlsGuard(options.proxy)),
      controller('spoof', 'whoami', new MtlsGuard(options.spoof)),
    ],
  })
  class AppModule {}

  target.origin = await start(AppModule, target.pki);
});

afterAll(async () => {
  for (const app of apps) await app.close();
});

describe('MtlsGuard for NestJS (platform-express) over HTTPS', () => {
  gateCases(target);

  it('throws when constructed with options that cannot work', () => {
    expect(() => new MtlsGuard({ verifier: gateVerifier(target.pki).verifier } as never)).toThrow(
      /mtls-gate\/nest: `clientId`/,
    );
  });

  it('guards every route of an application through MtlsModule.forRoot', async () => {
    const { verifier } = gateVerifier(target.pki);
    @Module({
      imports: [MtlsModule.forRoot(routeOptions<NestHttpRequest>(verifier).direct)],
      controllers: [controller('', 'anything')],
    })
    class GlobalModule {}
    const origin = await start(GlobalModule, target.pki);
    const refused = await get(origin, '/anything', { client: 'acme' }, target.pki);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 4017 } });
    const allowed = await get(
      origin,
      '/anything',
      { client: 'acme', cert: target.pki.valid },
      target.pki,
    );
    expect(allowed.status).toBe(200);
    expect(allowed.body).toMatchObject({ verdict: { ok: true, clientId: 'acme' } });
  });
});
