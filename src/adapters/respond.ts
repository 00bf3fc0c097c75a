/**
 * The answers every adapter sends when it stops a request, written once so that Express, Koa,
 * Fastify, Nest and plain node:http clients all see the same status and the same JSON body.
 */
import type { ServerResponse } from 'node:http';
import { type InvalidReason, MTLS_HTTP_STATUS, type MtlsErrorCode } from '../errors.js';
import { type VerdictFailure, verdictErrorBody } from '../verifier/verdict.js';

/** The JSON body of a refused request: `{ "error": { "code": 4018, "reason": "expired", "message": "…" } }`. */
export interface MtlsErrorBody {
  readonly error: {
    /** The mTLS error code (4016–4020); absent for answers that are not verdicts (421, 500). */
    readonly code?: MtlsErrorCode;
    /** Why a certificate was invalid (4018 only). */
    readonly reason?: InvalidReason;
    readonly message: string;
  };
}

/** What an adapter must send instead of running the handler. */
export interface Refusal {
  readonly status: number;
  readonly body: MtlsErrorBody;
}

/** The 403 answer to a failed, enforced verdict: code, reason and message, nothing else. */
export function forbidden(verdict: VerdictFailure): Refusal {
  return { status: MTLS_HTTP_STATUS, body: verdictErrorBody(verdict) };
}

/**
 * RFC 9110 §15.5.20: the connection was set up for another host name. Answered when the Host
 * header names a different host than the TLS server name, since the client certificate was
 * requested (and chosen) for the server name, not for the host the request is routed to.
 */
export function misdirected(serverName: string): Refusal {
  return {
    status: 421,
    body: {
      error: {
        message: `This connection was made for ${serverName}; send the request on a connection to the host it names.`,
      },
    },
  };
}

/**
 * A verifier that throws is a bug in the host's setup, not the client's fault, so the answer is
 * a 500 that says nothing about the configuration; the request still never reaches the handler.
 */
export function internalError(): Refusal {
  return {
    status: 500,
    body: { error: { message: 'The client certificate could not be checked.' } },
  };
}

/**
 * Writes a refusal to a node:http response. Does nothing when the headers are already out
 * (another middleware answered first), since writing again would throw inside the host.
 */
export function sendRefusal(response: ServerResponse, refusal: Refusal): void {
  if (response.headersSent || response.writableEnded) return;
  const payload = JSON.stringify(refusal.body);
  response.statusCode = refusal.status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('content-length', Buffer.byteLength(payload));
  response.setHeader('cache-control', 'no-store');
  response.end(payload);
}
