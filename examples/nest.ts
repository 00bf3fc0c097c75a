/**
 * NestJS (platform-express) behind mutual TLS: one global guard checks every route; the
 * verdict is on the request's `mtls`.
 *
 *   npx tsx examples/nest.ts           then call it with the curl line it prints
 *
 * In your project write `from 'mtls-gate'` and `from 'mtls-gate/nest'`.
 */
import 'reflect-metadata';
import { Controller, Get, Module, type NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MtlsGuard } from '../src/adapters/nest.js';
import { tlsServerOptions } from '../src/adapters/node.js';
import { createVerifier, TrustStore } from '../src/index.js';
import { curlLine, examplePki } from './support/pki.js';

const pki = await examplePki();

const trustStore = new TrustStore();
trustStore.addBundle('partners', pki.ca);
const verifier = createVerifier({
  trustStore,
  clients: {
    'billing-api': { bundles: ['partners'], rule: 'SAN.include?("DNS:billing.demo.internal")' },
  },
});

@Controller()
class HelloController {
  // Only requests the guard let through get here; the verdict is on the request's `mtls`
  // (read it with @Req() where your build enables parameter decorators).
  @Get()
  hello() {
    return { hello: 'a verified billing-api client' };
  }
}

@Module({ controllers: [HelloController] })
class AppModule {}

const app = await NestFactory.create(AppModule, {
  // Nest types SNICallback's callback more narrowly than Node does; the options are Node's.
  httpsOptions: tlsServerOptions(trustStore, {
    cert: pki.serverCert,
    key: pki.serverKey,
  }) as NestApplicationOptions['httpsOptions'],
  logger: ['error', 'warn'],
});
app.useGlobalGuards(
  new MtlsGuard({
    verifier,
    clientId: (request) => {
      const id = ('raw' in request ? request.headers : request.headers)['x-api-client'];
      return typeof id === 'string' ? id : undefined;
    },
  }),
);
await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
const url = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/`;
console.log(`listening on ${url}`);
console.log(`certificates in ${pki.dir}`);
console.log(curlLine(pki, url));
