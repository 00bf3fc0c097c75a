/**
 * `mtls-gate/fastify`: mutual TLS per API client as a Fastify plugin with an `onRequest`
 * hook. Only types come from fastify, which stays an optional peer; the plugin is marked with
 * `Symbol.for('skip-override')` (what fastify-plugin does) so that registering it at the root
 * gates every route, without depending on fastify-plugin.
 *
 * @example
 * ```ts
 * import { mtlsGatePlugin } from 'mtls-gate/fastify';
 * await app.register(mtlsGatePlugin, { verifier, clientId: (req) => req.headers['x-api-client'] as string });
 * app.get('/', (req) => ({ client: req.mtls?.ok ? req.mtls.clientId : null }));
 * ```
 */
import type { FastifyInstance, FastifyPluginCallback, FastifyRequest } from 'fastify';
import { ignore } from '../observer.js';
import {
  createHttpGate,
  type GateDecision,
  type MtlsGateOptions,
  type MtlsVerdict,
} from './http-gate.js';

export type { CertificateSource, MtlsGateOptions, MtlsVerdict } from './http-gate.js';
export type { MtlsErrorBody } from './respond.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The mTLS verdict for this request, set in `onRequest` before any handler runs. */
    mtls?: MtlsVerdict;
  }
}

function register(
  instance: FastifyInstance,
  options: MtlsGateOptions<FastifyRequest>,
  done: (error?: Error) => void,
): void {
  let gate: ReturnType<typeof createHttpGate<FastifyRequest>>;
  try {
    gate = createHttpGate(options, 'fastify');
  } catch (error) {
    // Fastify reports this from `register`/`ready`, at startup.
    done(error instanceof Error ? error : new Error(String(error)));
    return;
  }
  // Declared up front so that every request object has the same shape (V8 hidden classes).
  if (!instance.hasRequestDecorator('mtls')) instance.decorateRequest('mtls', undefined);
  // A callback hook rather than an async one: most requests on a keep-alive connection are
  // decided synchronously, and this way they cost no promise at all.
  instance.addHook('onRequest', (request, reply, next) => {
    const apply = (decision: GateDecision): void => {
      if (decision.verdict) request.mtls = decision.verdict;
      if (!decision.refusal) {
        next();
        return;
      }
      reply
        .code(decision.refusal.status)
        .header('cache-control', 'no-store')
        .send(decision.refusal.body);
    };
    const decision = gate(request.raw, request);
    // The gate's promise never rejects; the catch is there so that nothing thrown on the way
    // back into Fastify can become an unhandled rejection, which would end the process.
    if (decision instanceof Promise) decision.then(apply).catch(ignore);
    else apply(decision);
  });
  done();
}

/**
 * The plugin: `app.register(mtlsGatePlugin, options)`, with the options of `MtlsGateOptions`
 * (`clientId` and `onVerdict` receive the FastifyRequest). Bad options fail registration.
 * A failed, enforced verdict is answered 403 with `{ error: { code, reason, message } }`;
 * otherwise the verdict is on `request.mtls`.
 */
export const mtlsGatePlugin: FastifyPluginCallback<MtlsGateOptions<FastifyRequest>> = Object.assign(
  register,
  {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: 'mtls-gate',
  },
);
