/**
 * `mtls-gate/nest`: mutual TLS per API client as a NestJS guard. Only types come from
 * `@nestjs/common`, which stays an optional peer; no decorators are needed, since the guard is
 * constructed with its options rather than resolved by dependency injection.
 *
 * @example
 * ```ts
 * import { MtlsGuard } from 'mtls-gate/nest';
 * app.useGlobalGuards(new MtlsGuard({ verifier, clientId: (req) => req.headers['x-api-client'] as string }));
 * // or, in a module: imports: [MtlsModule.forRoot(options)]
 * ```
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { CanActivate, DynamicModule, ExecutionContext } from '@nestjs/common';
import {
  createHttpGate,
  type HttpGate,
  type MtlsGateOptions,
  type MtlsVerdict,
} from './http-gate.js';
import { sendRefusal } from './respond.js';

export type { CertificateSource, MtlsGateOptions, MtlsVerdict } from './http-gate.js';
export type { MtlsErrorBody } from './respond.js';

/**
 * The request object Nest hands to guards: Express's request under platform-express (a
 * node:http request), Fastify's request (with `raw`) under platform-fastify. The verdict is
 * put on it as `mtls`.
 */
export type NestHttpRequest = (
  | IncomingMessage
  | { readonly raw: IncomingMessage; readonly headers: IncomingHttpHeaders }
) & {
  mtls?: MtlsVerdict;
};

type NestHttpResponse = ServerResponse | { readonly raw: ServerResponse };

function hasRaw<T>(value: object): value is { readonly raw: T } {
  return 'raw' in value && typeof value.raw === 'object' && value.raw !== null;
}

/**
 * A `CanActivate` guard: `new MtlsGuard(options)`, then `app.useGlobalGuards(guard)` or
 * `@UseGuards(guard)`. A failed, enforced verdict is answered 403 with `{ error: { code,
 * reason, message } }` and the route handler does not run; otherwise the verdict is on the
 * request's `mtls`. Contexts other than HTTP (WebSockets, microservices) carry no client
 * certificate this guard can read, so they are refused.
 */
export class MtlsGuard implements CanActivate {
  readonly #gate: HttpGate<NestHttpRequest>;

  /** Bad options throw here, when the application is put together. */
  constructor(options: MtlsGateOptions<NestHttpRequest>) {
    this.#gate = createHttpGate(options, 'nest');
  }

  /** Decides one request; Nest calls this. */
  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return false;
    const http = context.switchToHttp();
    const request = http.getRequest<NestHttpRequest>();
    const response = http.getResponse<NestHttpResponse>();
    const incoming = hasRaw<IncomingMessage>(request) ? request.raw : request;
    const decision = await this.#gate(incoming, request);
    if (decision.verdict) request.mtls = decision.verdict;
    if (!decision.refusal) return true;
    // Answer here so the body is ours; Nest's exception filter then finds the headers sent
    // and only ends the response it would otherwise have written a generic 403 to.
    sendRefusal(hasRaw<ServerResponse>(response) ? response.raw : response, decision.refusal);
    return false;
  }
}

/**
 * `MtlsModule.forRoot(options)` installs an {@link MtlsGuard} as a global guard (the
 * `APP_GUARD` provider of @nestjs/core, named by its string token so that no runtime import
 * of Nest is needed).
 */
// biome-ignore lint/complexity/noStaticOnlyClass: Nest names a dynamic module by its class.
export class MtlsModule {
  /** A dynamic module registering the guard for every route of the application. */
  static forRoot(options: MtlsGateOptions<NestHttpRequest>): DynamicModule {
    return {
      module: MtlsModule,
      providers: [{ provide: 'APP_GUARD', useValue: new MtlsGuard(options) }],
    };
  }
}
