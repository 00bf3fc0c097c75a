/**
 * `mtls-gate/koa`: mutual TLS per API client as Koa middleware. Only types come from koa,
 * which stays an optional peer.
 *
 * @example
 * ```ts
 * import { mtlsGate } from 'mtls-gate/koa';
 * app.use(mtlsGate({ verifier, clientId: (ctx) => ctx.get('x-api-client') || undefined }));
 * app.use((ctx) => { ctx.body = { client: ctx.state.mtls?.ok ? ctx.state.mtls.clientId : null }; });
 * ```
 */
import type { Context, Next } from 'koa';
import { createHttpGate, type MtlsGateOptions, type MtlsVerdict } from './http-gate.js';

export type { CertificateSource, MtlsGateOptions, MtlsVerdict } from './http-gate.js';
export type { MtlsErrorBody } from './respond.js';

declare module 'koa' {
  interface DefaultState {
    /** The mTLS verdict for this request, set by `mtlsGate` before later middleware runs. */
    mtls?: MtlsVerdict;
  }
}

/** Koa middleware. */
export type MtlsKoaMiddleware = (ctx: Context, next: Next) => Promise<void>;

/**
 * Creates the middleware; `clientId` and `onVerdict` receive the Koa context. Bad options
 * throw now. A failed, enforced verdict is answered 403 with `{ error: { code, reason,
 * message } }` and later middleware does not run; otherwise the verdict is on
 * `ctx.state.mtls`.
 */
export function mtlsGate(options: MtlsGateOptions<Context>): MtlsKoaMiddleware {
  const gate = createHttpGate(options, 'koa');
  return async (ctx, next) => {
    const decision = await gate(ctx.req, ctx);
    if (decision.verdict) ctx.state.mtls = decision.verdict;
    if (decision.refusal) {
      ctx.status = decision.refusal.status;
      ctx.set('cache-control', 'no-store');
      ctx.body = decision.refusal.body;
      return;
    }
    await next();
  };
}
