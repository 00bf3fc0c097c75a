/**
 * Verdicts: what the verifier decides about one request, and the JSON body a server answers a
 * failed, enforced verdict with. A verdict is plain data (frozen), safe to log and to keep.
 */

import type { Certificate } from '../certificate.js';
import { printable } from '../chain/messages.js';
import type { InvalidReason, MtlsErrorCode } from '../errors.js';

/** The certificate was accepted for the client. */
export interface VerdictSuccess {
  readonly ok: true;
  /** The API client the request named. */
  readonly clientId: string;
  /** The client's leaf certificate. */
  readonly certificate: Certificate;
  /** Leaf first, anchor last. */
  readonly chain: readonly Certificate[];
  /** Name of the trust bundle holding the anchor the chain ends at. */
  readonly bundle: string;
  /** The trust anchor the chain ends at. */
  readonly anchor: Certificate;
}

/** The request was refused (or, with `enforced: false`, would have been). */
export interface VerdictFailure {
  readonly ok: false;
  /** 4016–4020. */
  readonly code: MtlsErrorCode;
  /** For 4018: why the certificate is invalid. */
  readonly reason?: InvalidReason;
  /** One sentence for logs and the error body. */
  readonly message: string;
  /**
   * The client's `enforce` setting: `false` means the host lets the request through and only
   * records the verdict. Always `true` for 4020, since an unknown client has no setting.
   */
  readonly enforced: boolean;
  /** The API client the request named; absent when the request named none (4020). */
  readonly clientId?: string;
  /** The leaf certificate, when it could be parsed. */
  readonly certificate?: Certificate;
  /** For 4016: the bundle that is missing from the trust store. */
  readonly bundle?: string;
  /** For 4019: the clause of the rule that decided, as written, with its value. */
  readonly clause?: string;
}

/** What `Verifier.verify` resolves to; narrow on `ok`. */
export type Verdict = VerdictSuccess | VerdictFailure;

/** The JSON body of a 403 answer: `{ "error": { "code", "reason"?, "message" } }`. */
export interface ErrorBody {
  readonly error: {
    readonly code: MtlsErrorCode;
    readonly reason?: InvalidReason;
    readonly message: string;
  };
}

/**
 * The body adapters send for a failed verdict. Only code, reason and message: the certificate,
 * the clause and bundle names stay in logs, since the body goes to the (possibly hostile)
 * client.
 */
export function verdictErrorBody(verdict: VerdictFailure): ErrorBody {
  return {
    error: {
      code: verdict.code,
      ...(verdict.reason !== undefined ? { reason: verdict.reason } : {}),
      message: verdict.message,
    },
  };
}

/**
 * A frozen failure verdict without undefined-valued keys (they would show in logs and JSON),
 * its message with control characters escaped (it quotes client ids and certificate text).
 */
export function failure(fields: VerdictFailure): VerdictFailure {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
  out.message = printable(fields.message);
  return Object.freeze(out) as unknown as VerdictFailure;
}
