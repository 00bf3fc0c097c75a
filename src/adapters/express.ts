/**
 * `mtls-gate/express`: mutual TLS per API client as Express middleware.
 *
 * Typed against node:http (as helmet is), so it also runs under Connect and plain
 * `http.createServer` chains; only types come from express, which stays an optional peer.
 *
 * @example
 * ```ts
 * import { mtlsGate } from 'mtls-gate/express';
 * app.use(mtlsGate({ verifier, clientId: (req) => req.get('x-api-client') }));
 * app.get('/', (req, res) => res.json({ client: req.mtls?.ok ? req.mtls.clientId : null }));
 * ```
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request } from 'express';
import { ignore } from '../observer.js';
import {
  createHttpGate,
  type GateDecision,
  type MtlsGateOptions,
  type MtlsVerdict,
} from './http-gate.js';
import { sendRefusal } from './respond.js';

export type { CertificateSource, MtlsGateOptions, MtlsVerdict } from './http-gate.js';
export type { MtlsErrorBody } from './respond.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The mTLS verdict for this request, set by `mtlsGate` before any later handler runs. */
    mtls?: MtlsVerdict;
  }
}

/** A node:http request as the middleware leaves it. */
type GatedRequest = IncomingMessage & { mtls?: MtlsVerdict };

/** Connect-style middleware: Express, Connect, or any `(req, res, next)` chain. */
export type MtlsMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Creates the middleware. Bad options throw now, not on the first request. A failed,
 * enforced verdict is answered 403 with `{ error: { code, reason, message } }` and `next` is
 * not called; otherwise the verdict is on `req.mtls` and `next()` runs.
 */
export function mtlsGate(options: MtlsGateOptions<Request>): MtlsMiddleware {
  const gate = createHttpGate(options, 'express');
  return (req, res, next) => {
    const apply = (decision: GateDecision): void => {
      if (decision.verdict) (req as GatedRequest).mtls = decision.verdict;
      if (decision.refusal) sendRefusal(res, decision.refusal);
      else next();
    };
    // Under Express the node:http request is Express's Request: the same object, extended.
    const decision = gate(req, req as Request);
    // The gate's promise never rejects. What `apply` throws is dropped rather than left as an
    // unhandled rejection, which would end the process: Express's next() catches what later
    // middleware throws and routes it to the error handlers; a bare Connect chain does not,
    // and its request then goes unanswered, as with any asynchronous middleware there.
    if (decision instanceof Promise) decision.then(apply).catch(ignore);
    else apply(decision);
  };
}
