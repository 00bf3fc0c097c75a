import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { Agent, createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpGate, type MtlsGateOptions } from '../../src/adapters/http-gate.js';
import { sendRefusal } from '../../src/adapters/respond.js';
import { createVerifier, TrustStore } from '../../src/index.js';
import { endEntity } from '../fixtures/pki.js';
import {
  close,
  errorOf,
  type GatePki,
  gateCases,
  gatePki,
  gateVerifier,
  get,
  headerClientId,
  httpsOptions,
  listen,
  type Reply,
  routeOptions,
  summarize,
  type Target,
} from '../fixtures/servers.js';
import { unhandledRejections } from '../fixtures/unhandled.js';

type Verifier = ReturnType<typeof gateVerifier>['verifier'];
type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A node:https handler running the gate chosen by the first path segment. */
function gated(gates: Record<string, ReturnType<typeof createHttpGate<IncomingMessage>>>): Handler {
  return (req, res) => {
    const gate = gates[(req.url ?? '').split('/')[1] ?? ''];
    if (!gate) {
      res.statusCode = 404;
      res.end();
      return;
    }
    void Promise.resolve(gate(req, req)).then((decision) => {
      if (decision.refusal) return sendRefusal(res, decision.refusal);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ reached: true, verdict: summarize(decision.verdict) }));
    });
  };
}

/** The verifier with its calls to `verify` counted (verifiers are frozen: wrap, don't patch). */
function counted(verifier: Verifier): { verifier: Verifier; calls: () => number } {
  let calls = 0;
  const wrapped: Verifier = {
    verify: (request) => {
      calls++;
      return verifier.verify(request);
    },
    trustStore: verifier.trustStore,
    clientIds: verifier.clientIds,
  };
  return { verifier: wrapped, calls: () => calls };
}

async function serve(pki: GatePki, handler: Handler) {
  const server = createServer(httpsOptions(pki), handler);
  servers.push(server);
  return listen(server);
}

/** Several GETs on one keep-alive connection. */
async function onOneConnection(
  origin: string,
  pki: GatePki,
  clients: string[],
  between: (index: number) => void | Promise<void> = () => {},
  client: { pem: string; keyPem: string } = pki.valid,
): Promise<Reply[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const sockets = new Set<unknown>();
  const replies: Reply[] = [];
  try {
    for (const [index, name] of clients.entries()) {
      if (index > 0) await between(index);
      replies.push(
        await new Promise<Reply>((resolve, reject) => {
          const req = request(
            `${origin}/direct/whoami`,
            {
              agent,
              ca: pki.serverRoot.pem,
              cert: client.pem,
              key: client.keyPem,
              headers: { 'x-api-client': name },
            },
            (res) => {
              let text = '';
              res.on('data', (chunk: Buffer) => {
                text += chunk.toString('utf8');
              });
              res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
            },
          );
          req.on('socket', (socket) => sockets.add(socket));
          req.on('error', reject);
          req.end();
        }),
      );
    }
  } finally {
    agent.destroy();
  }
  expect(sockets.size).toBe(1);
  return replies;
}

const target: Target = { origin: '', pki: undefined as never };
const servers: ReturnType<typeof createServer>[] = [];

beforeAll(async () => {
  target.pki = await gatePki();
  const options = routeOptions<IncomingMessage>(gateVerifier(target.pki).verifier);
  target.origin = await serve(
    target.pki,
    gated({
      direct: createHttpGate(options.direct, 'node'),
      proxy: createHttpGate(options.proxy, 'node'),
      spoof: createHttpGate(options.spoof, 'node'),
    }),
  );
});

afterAll(async () => {
  for (const server of servers) await close(server);
});

describe('the http gate on node:https', () => {
  gateCases(target);
});

describe('the http gate on keep-alive connections', () => {
  it('verifies once per connection and client id, not once per request', async () => {
    const { verifier, calls } = counted(gateVerifier(target.pki).verifier);
    const origin = await serve(
      target.pki,
      gated({ direct: createHttpGate({ verifier, clientId: headerClientId }, 'node') }),
    );
    const replies = await onOneConnection(origin, target.pki, ['acme', 'acme', 'acme', 'strict']);
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 403]);
    expect(calls()).toBe(2);
  });

  it('applies a change to the trust store to the next request on an open connection', async () => {
    const { verifier, trustStore } = gateVerifier(target.pki);
    const options = { verifier, clientId: headerClientId };
    const origin = await serve(target.pki, gated({ direct: createHttpGate(options, 'node') }));
    const replies = await onOneConnection(origin, target.pki, ['acme', 'acme', 'acme'], (i) => {
      if (i === 1) trustStore.removeBundle('acme');
      if (i === 2) trustStore.addBundle('acme', target.pki.root.pem);
    });
    expect(replies.map((r) => r.status)).toEqual([200, 403, 200]);
    expect(errorOf(replies[1]!).code).toBe(4016);
  });

  it('remembers at most 16 client ids per connection, forgetting the oldest', async () => {
    const { verifier, calls } = counted(gateVerifier(target.pki).verifier);
    const options = { verifier, clientId: headerClientId };
    const origin = await serve(target.pki, gated({ direct: createHttpGate(options, 'node') }));
    const ids = Array.from({ length: 17 }, (_, i) => `client-${i}`);
    const replies = await onOneConnection(origin, target.pki, [...ids, 'client-16', 'client-0']);
    expect(replies.every((r) => errorOf(r).code === 4020)).toBe(true);
    // 17 first verifications; client-16 is still remembered, client-0 was forgotten.
    expect(calls()).toBe(18);
  });

  it('verifies again once a certificate of the accepted chain has expired, on an open connection', async () => {
    // notAfter is written to the second: at least a second from now, at most two.
    const notAfter = new Date(Math.floor(Date.now() / 1000) * 1000 + 2000);
    const shortLived = await endEntity('acme-short', { issuer: target.pki.root, notAfter });
    const { verifier } = gateVerifier(target.pki);
    const options = { verifier, clientId: headerClientId }; // connectionCacheMs: 60 s
    const origin = await serve(target.pki, gated({ direct: createHttpGate(options, 'node') }));
    const wait = async () => {
      await new Promise((resolve) => setTimeout(resolve, notAfter.getTime() + 1100 - Date.now()));
    };
    const replies = await onOneConnection(origin, target.pki, ['acme', 'acme'], wait, shortLived);
    expect(replies.map((r) => r.status)).toEqual([200, 403]);
    expect(errorOf(replies[1]!)).toMatchObject({ code: 4018, reason: 'expired' });
  });

  it('accepts a client on resumed TLS sessions, which bring its leaf without the intermediate', async () => {
    const { verifier } = gateVerifier(target.pki);
    const origin = await serve(
      target.pki,
      gated({ direct: createHttpGate({ verifier, clientId: headerClientId }, 'node') }),
    );
    // No keep-alive: each request is a new connection; the agent caches the TLS session.
    const agent = new Agent({ keepAlive: false });
    const once = () =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const req = request(
          `${origin}/direct/whoami`,
          {
            agent,
            ca: target.pki.serverRoot.pem,
            cert: `${target.pki.chained.pem}\n${target.pki.intermediate.pem}`,
            key: target.pki.chained.keyPem,
            headers: { 'x-api-client': 'acme' },
          },
          (res) => {
            const reused = (res.socket as TLSSocket).isSessionReused();
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, reused }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    try {
      const replies = [await once(), await once(), await once()];
      expect(replies.map((r) => r.reused)).toEqual([false, true, true]);
      expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    } finally {
      agent.destroy();
    }
  });

  it('verifies every request when connectionCacheMs is 0', async () => {
    const { verifier, calls } = counted(gateVerifier(target.pki).verifier);
    const options = { verifier, clientId: headerClientId, connectionCacheMs: 0 };
    const origin = await serve(target.pki, gated({ direct: createHttpGate(options, 'node') }));
    await onOneConnection(origin, target.pki, ['acme', 'acme', 'acme']);
    expect(calls()).toBe(3);
  });
});

describe('the http gate with bundles bound to host names', () => {
  let bound: string;
  let unbound: string;

  beforeAll(async () => {
    const trustStore = new TrustStore();
    trustStore.addBundle('acme', target.pki.root.pem, { hosts: ['localhost'] });
    const verifier = createVerifier({ trustStore, clients: { acme: { bundles: ['acme'] } } });
    bound = await serve(
      target.pki,
      gated({ direct: createHttpGate({ verifier, clientId: headerClientId }, 'node') }),
    );
    const plain = gateVerifier(target.pki).verifier;
    unbound = await serve(
      target.pki,
      gated({ direct: createHttpGate({ verifier: plain, clientId: headerClientId }, 'node') }),
    );
  });

  const send = (host: string) => ({
    client: 'acme',
    cert: target.pki.valid,
    servername: 'localhost',
    headers: { host },
  });

  it('answers 421 when the Host header names another host than the TLS server name', async () => {
    const reply = await get(bound, '/direct/whoami', send('intranet.example'), target.pki);
    expect(reply.status).toBe(421);
    expect(typeof errorOf(reply).message).toBe('string');
  });

  it('lets the request through when Host and server name agree', async () => {
    const port = new URL(bound).port;
    const reply = await get(bound, '/direct/whoami', send(`localhost:${port}`), target.pki);
    expect(reply.status).toBe(200);
  });

  it('does not compare Host and server name when no bundle is bound to a host', async () => {
    const reply = await get(unbound, '/direct/whoami', send('intranet.example'), target.pki);
    expect(reply.status).toBe(200);
  });
});

describe('the http gate when host code throws', () => {
  it('refuses with 4020 when the clientId resolver throws, reports it, and keeps serving', async () => {
    const errors: unknown[] = [];
    const { verifier } = gateVerifier(target.pki);
    const options: MtlsGateOptions = {
      verifier,
      clientId: (req) => {
        if (req.headers['x-api-client'] === 'boom') throw new Error('resolver broke');
        return headerClientId(req);
      },
      onError: (error) => errors.push(error),
    };
    const origin = await serve(target.pki, gated({ direct: createHttpGate(options, 'node') }));
    const broken = await get(
      origin,
      '/direct/whoami',
      { client: 'boom', cert: target.pki.valid },
      target.pki,
    );
    expect(broken.status).toBe(403);
    expect(errorOf(broken).code).toBe(4020);
    expect(errors).toEqual([new Error('resolver broke')]);
    const next = await get(
      origin,
      '/direct/whoami',
      { client: 'acme', cert: target.pki.valid },
      target.pki,
    );
    expect(next.status).toBe(200);
  });

  it('keeps the decision when onVerdict throws', async () => {
    const errors: unknown[] = [];
    const options: MtlsGateOptions = {
      verifier: gateVerifier(target.pki).verifier,
      clientId: async (req) => headerClientId(req),
      onVerdict: () => {
        throw new Error('logger broke');
      },
      onError: (error) => errors.push(error),
    };
    const origin = await serve(target.pki, gated({ direct: createHttpGate(options, 'node') }));
    const allowed = await get(
      origin,
      '/direct/whoami',
      { client: 'acme', cert: target.pki.valid },
      target.pki,
    );
    expect(allowed.status).toBe(200);
    const refused = await get(origin, '/direct/whoami', { client: 'acme' }, target.pki);
    expect(errorOf(refused).code).toBe(4017);
    expect(errors).toHaveLength(2);
  });

  it('hands the rejections of async onVerdict and onError to onError, never to the process', async () => {
    const errors: unknown[] = [];
    const options: MtlsGateOptions = {
      verifier: gateVerifier(target.pki).verifier,
      clientId: headerClientId,
      onVerdict: async () => {
        throw new Error('logger broke');
      },
      onError: async (error) => {
        errors.push(error);
        throw new Error('reporter broke too');
      },
    };
    const origin = await serve(target.pki, gated({ direct: createHttpGate(options, 'node') }));
    const unhandled = await unhandledRejections(async () => {
      const send = { client: 'acme', cert: target.pki.valid };
      expect((await get(origin, '/direct/whoami', send, target.pki)).status).toBe(200);
    });
    expect(errors).toEqual([new Error('logger broke')]);
    expect(unhandled).toEqual([]);
  });

  it("takes an accepted verdict without a chain from a verifier of the host's own making", async () => {
    const { verifier } = gateVerifier(target.pki);
    const custom: Verifier = {
      // The real verdict, without the chain a wrapper or a mock may not carry.
      verify: async (request) =>
        ({ ...(await verifier.verify(request)), chain: undefined }) as unknown as Awaited<
          ReturnType<Verifier['verify']>
        >,
      trustStore: verifier.trustStore,
      clientIds: verifier.clientIds,
    };
    const gate = createHttpGate({ verifier: custom, clientId: headerClientId }, 'node');
    const origin = await serve(target.pki, gated({ direct: gate }));
    const unhandled = await unhandledRejections(async () => {
      const replies = await onOneConnection(origin, target.pki, ['acme', 'acme']);
      expect(replies.map((r) => r.status)).toEqual([200, 200]);
    });
    expect(unhandled).toEqual([]);
  });

  it('answers 500 without reaching the handler when the verifier throws', async () => {
    const { verifier } = gateVerifier(target.pki);
    let fail = true;
    const flaky: Verifier = {
      verify: (request) =>
        fail ? Promise.reject(new Error('store offline')) : verifier.verify(request),
      trustStore: verifier.trustStore,
      clientIds: verifier.clientIds,
    };
    const gate = createHttpGate({ verifier: flaky, clientId: headerClientId }, 'node');
    const origin = await serve(target.pki, gated({ direct: gate }));
    const reply = await get(
      origin,
      '/direct/whoami',
      { client: 'acme', cert: target.pki.valid },
      target.pki,
    );
    expect(reply.status).toBe(500);
    expect(reply.body).not.toHaveProperty('reached');
    fail = false;
    const again = await get(
      origin,
      '/direct/whoami',
      { client: 'acme', cert: target.pki.valid },
      target.pki,
    );
    expect(again.status).toBe(200);
  });

  it('answers 500 when the verifier throws instead of rejecting, with an async clientId too', async () => {
    const errors: unknown[] = [];
    const throwing = {
      verify: () => {
        throw new Error('not a promise');
      },
    } as unknown as Verifier;
    const sync = createHttpGate<IncomingMessage>(
      { verifier: throwing, clientId: headerClientId, onError: (e) => errors.push(e) },
      'node',
    );
    const async = createHttpGate(
      {
        verifier: throwing,
        clientId: async (req: IncomingMessage) => headerClientId(req),
        onError: (e) => errors.push(e),
      },
      'node',
    );
    const origin = await serve(target.pki, gated({ sync, async }));
    for (const path of ['/sync/whoami', '/async/whoami']) {
      const reply = await get(origin, path, { client: 'acme', cert: target.pki.valid }, target.pki);
      expect(reply.status).toBe(500);
    }
    expect(errors).toHaveLength(2);
  });
});

describe('the http gate without TLS', () => {
  it('finds no certificate on a plain HTTP connection and answers 4017', async () => {
    const gate = createHttpGate(
      { verifier: gateVerifier(target.pki).verifier, clientId: headerClientId },
      'node',
    );
    const server = createHttpServer(gated({ direct: gate }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/direct/whoami`, {
      headers: { 'x-api-client': 'acme' },
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 4017 } });
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('the http gate options', () => {
  const verifier = () => gateVerifier(target.pki).verifier;
  const cases: [string, () => unknown, RegExp][] = [
    ['no options', () => undefined, /options must be an object/],
    ['no verifier', () => ({ clientId: headerClientId }), /`verifier`/],
    ['a verifier without verify', () => ({ verifier: {}, clientId: headerClientId }), /`verifier`/],
    [
      'a clientId that is not a function',
      () => ({ verifier: verifier(), clientId: 'x' }),
      /`clientId`/,
    ],
    [
      'an onVerdict that is not a function',
      () => ({ verifier: verifier(), clientId: headerClientId, onVerdict: 1 }),
      /`onVerdict`/,
    ],
    [
      'a negative cache time',
      () => ({ verifier: verifier(), clientId: headerClientId, connectionCacheMs: -1 }),
      /connectionCacheMs/,
    ],
    [
      'a proxy without trusted addresses',
      () => ({ verifier: verifier(), clientId: headerClientId, proxy: { header: 'xfcc' } }),
      /proxy\.trusted/,
    ],
    [
      'an unknown proxy header',
      () => ({
        verifier: verifier(),
        clientId: headerClientId,
        proxy: { trusted: ['10.0.0.1'], header: 'x-cert' },
      }),
      /proxy\.header/,
    ],
  ];
  for (const [name, make, message] of cases) {
    it(`throws a TypeError at creation for ${name}`, () => {
      expect(() => createHttpGate(make() as MtlsGateOptions, 'node')).toThrow(TypeError);
      expect(() => createHttpGate(make() as MtlsGateOptions, 'node')).toThrow(message);
    });
  }
});
