/**
 * The path search of `buildChain`: from the leaf, every candidate issuer (candidates.ts) is
 * tried depth-first with backtracking, so that cross-signed and multi-path PKIs validate when
 * any path is valid. Each certificate is checked in its role as it joins the path (checks.ts),
 * name constraints of a CA are applied to every certificate below it as the CA joins, and the
 * search is bounded by `maxDepth` and a work budget (budget.ts).
 *
 * When no path is valid, the failure reported is the most specific one met (errors.ts
 * reasonRank), the deepest among equals, naming the certificate and its position.
 *
 * The search is plain synchronous code. With node:crypto, which answers synchronously, it
 * runs to its end in one call: a new leaf under a known intermediate costs no promise and no
 * generator frame (an async function per level cost several microseconds per handshake, a
 * sixth of an RSA-2048 verify; generator frames ~1.6 KB of garbage per call, measured). With
 * an asynchronous backend (WebCrypto) a signature check that is not answered yet stops the
 * search (Pending); once it is answered, the search runs again from the leaf with that answer
 * known. The search is deterministic, so each run retraces the last one up to the new answer;
 * runs are bounded by the signature budget, and answers are kept by (subject, issuer), so a
 * run never takes one pair's answer for another. One search serves both backends.
 */

import type { Certificate } from '../certificate.js';
import { type VerifyResult, verifyIssued } from '../crypto/backend.js';
import { type InvalidReason, reasonRank } from '../errors.js';
import { OID } from '../oids.js';
import type { TrustBundle } from '../trust/trust-bundle.js';
import { Budget, BudgetExhausted } from './budget.js';
import {
  bundleHolding,
  type Candidate,
  candidatesFor,
  type Presented,
  sameCa,
} from './candidates.js';
import { checkIssuer, checkLeaf } from './checks.js';
import { describe, printable, type Role, safeIssuer } from './messages.js';
import { checkNameConstraints } from './name-constraints.js';
import type { ResolvedOptions } from './options.js';

/** The outcome of `buildChain`. */
export type ChainResult =
  | {
      readonly ok: true;
      /** Leaf first, anchor last. */
      readonly chain: Certificate[];
      /** The trust anchor the path ends at. */
      readonly anchor: Certificate;
      /** The bundle holding the anchor, when the anchors were given as bundles. */
      readonly bundle: TrustBundle | undefined;
    }
  | {
      readonly ok: false;
      readonly reason: InvalidReason;
      readonly message: string;
      /** The certificate the reason is about, when there is one. */
      readonly certificate?: Certificate;
      /** Its position in the best path found: 0 is the leaf. */
      readonly position?: number;
    };

export type Failure = Extract<ChainResult, { ok: false }>;

/** A failure without a certificate to name, its message made safe to log. */
export function failure(reason: InvalidReason, message: string): Failure {
  return { ok: false, reason, message: printable(message) };
}

/** Answers of an asynchronous backend from earlier runs of one search, by subject and issuer. */
type Settled = Map<Certificate, Map<Certificate, VerifyResult>>;

/** Thrown through a run when a signature check is not answered yet. */
class Pending {
  constructor(
    readonly subject: Certificate,
    readonly issuer: Certificate,
    readonly answer: Promise<VerifyResult>,
  ) {}
}

/**
 * Searches a path from `leaf` to an anchor of `opts.bundles` through `presented`. Returns the
 * result itself when no signature check had to wait, a promise of it otherwise.
 */
export function searchPath(
  leaf: Certificate,
  presented: Presented,
  opts: ResolvedOptions,
  leafIsNew: boolean,
): ChainResult | Promise<ChainResult> {
  const first = attempt(leaf, presented, opts, leafIsNew, undefined);
  return first instanceof Pending ? runAgain(leaf, presented, opts, leafIsNew, first) : first;
}

/** One run of the search: its result, or the signature check it stopped at. */
function attempt(
  leaf: Certificate,
  presented: Presented,
  opts: ResolvedOptions,
  leafIsNew: boolean,
  settled: Settled | undefined,
): ChainResult | Pending {
  try {
    return new Search(opts, presented, leafIsNew, settled).run(leaf);
  } catch (error) {
    if (error instanceof Pending) return error;
    throw error;
  }
}

/**
 * Awaits each pending answer and runs the search again with it, until a run ends. Every run
 * waits on a pair no earlier run asked, so there are at most as many runs as the signature
 * budget allows checks; past that the search is out of budget. Each run replays the ones
 * before it and is held to the whole step and comparison budget, so an asynchronous search
 * costs at most `signatures` times the work of a synchronous one (a valid path: one run per
 * link, a handful), and reaches the same verdict.
 */
async function runAgain(
  leaf: Certificate,
  presented: Presented,
  opts: ResolvedOptions,
  leafIsNew: boolean,
  first: Pending,
): Promise<ChainResult> {
  const settled: Settled = new Map();
  const limit = new Budget(opts.limits).signatures;
  let pending = first;
  for (let answered = 1; ; answered++) {
    if (answered > limit) {
      return failure('chain-too-long', 'path building exceeded its budget of signature checks');
    }
    const answer = await pending.answer;
    let byIssuer = settled.get(pending.subject);
    if (!byIssuer) {
      byIssuer = new Map();
      settled.set(pending.subject, byIssuer);
    }
    byIssuer.set(pending.issuer, answer);
    const next = attempt(leaf, presented, opts, leafIsNew, settled);
    if (!(next instanceof Pending)) return next;
    pending = next;
  }
}

class Search {
  readonly #opts: ResolvedOptions;
  readonly #budget: Budget;
  readonly #presented: Presented;
  readonly #path: Certificate[] = [];
  /**
   * The leaf was parsed by this call from bytes: no other call holds this object, so its link
   * is not remembered (a WeakMap entry per handshake, nearly never read). A caller that
   * passes the returned Certificate back later has that call record the link.
   */
  readonly #leafIsNew: boolean;
  #best: (Failure & { rank: number; depth: number }) | undefined;

  /** Answers of an asynchronous backend from earlier runs (see searchPath). */
  readonly #settled: Settled | undefined;

  constructor(
    opts: ResolvedOptions,
    presented: Presented,
    leafIsNew: boolean,
    settled: Settled | undefined,
  ) {
    this.#opts = opts;
    this.#budget = new Budget(opts.limits);
    this.#presented = presented;
    this.#leafIsNew = leafIsNew;
    this.#settled = settled;
  }

  /** Throws Pending when an asynchronous backend has not answered a signature check yet. */
  run(leaf: Certificate): ChainResult {
    const leafFailure = checkLeaf(leaf, this.#opts);
    if (leafFailure) {
      return {
        ok: false,
        reason: leafFailure.reason,
        message: printable(`${describe(leaf, 0, 'leaf')}: ${leafFailure.detail}`),
        certificate: leaf,
        position: 0,
      };
    }
    const pinned = bundleHolding(leaf, this.#opts.bundles);
    if (pinned) return this.#success([leaf], leaf, pinned);
    this.#path.push(leaf);
    try {
      const found = this.#extend();
      if (found) return found;
    } catch (error) {
      if (!(error instanceof BudgetExhausted)) throw error;
      const best = this.#best ? ` (best failure so far: ${this.#best.message})` : '';
      return failure('chain-too-long', `${error.message}${best}`);
    }
    const best = this.#best;
    if (!best) return failure('untrusted', 'no path to a trust anchor');
    const { rank: _rank, depth: _depth, ...result } = best;
    return { ...result, message: printable(result.message) };
  }

  #success(chain: Certificate[], anchor: Certificate, bundle: TrustBundle): ChainResult {
    return { ok: true, chain, anchor, bundle: this.#opts.bundlesGiven ? bundle : undefined };
  }

  #record(
    reason: InvalidReason,
    cert: Certificate,
    position: number,
    detail: string,
    role: Role = position === 0 ? 'leaf' : 'intermediate',
  ): void {
    const rank = reasonRank(reason);
    const best = this.#best;
    if (best && (best.rank > rank || (best.rank === rank && best.depth >= position))) return;
    this.#best = {
      ok: false,
      reason,
      message: `${describe(cert, position, role)}: ${detail}`,
      certificate: cert,
      position,
      rank,
      depth: position,
    };
  }

  /** Extends the path from its last certificate; returns a result on success. */
  #extend(): ChainResult | undefined {
    const path = this.#path;
    const subject = path[path.length - 1]!;
    const position = path.length;
    const candidates = candidatesFor(subject, this.#opts.bundles, this.#presented);
    if (candidates.length === 0) {
      this.#record(
        'untrusted',
        subject,
        position - 1,
        `its issuer "${safeIssuer(subject)}" is neither a trust anchor nor a presented intermediate`,
      );
      return undefined;
    }
    for (const candidate of candidates) {
      if (--this.#budget.steps < 0) {
        throw new BudgetExhausted('path building exceeded its budget of candidate steps');
      }
      const caBelow = this.#admissible(candidate, subject, position);
      if (caBelow === undefined) continue;
      const issuer = candidate.cert;
      const signed = this.#link(subject, issuer);
      if (!this.#linked(signed, subject, candidate, position)) continue;
      const joined = this.#join(candidate, caBelow, position);
      if (joined === undefined) continue;
      if (joined !== DESCEND) return joined;
      path.push(issuer);
      try {
        const result = this.#extend();
        if (result) return result;
      } finally {
        path.pop();
      }
    }
    return undefined;
  }

  /**
   * Whether `candidate` may issue `subject` at this point of the path: no loop, within
   * maxDepth. Returns the number of CAs below it (for pathLenConstraint), or `undefined`
   * after recording why not.
   */
  #admissible(candidate: Candidate, subject: Certificate, position: number): number | undefined {
    const { cert: issuer, bundle } = candidate;
    const path = this.#path;
    for (const below of path) {
      if (!sameCa(below, issuer)) continue;
      // A loop: the same CA (name and key) is already below. Never a new path.
      const detail = sameCa(subject, issuer)
        ? 'it is self-issued and not a trust anchor'
        : 'its issuers form a loop without reaching a trust anchor';
      this.#record('untrusted', subject, position - 1, detail);
      return undefined;
    }
    let caBelow = 0;
    for (let i = 1; i < path.length; i++) if (!path[i]!.isSelfIssued) caBelow++;
    // maxDepth counts logical intermediates, as pathLenConstraint does (RFC 5280 §6.1.4(l)):
    // a self-issued certificate (key rollover) is not one more CA. The budget bounds the rest.
    if (!bundle && !issuer.isSelfIssued && caBelow + 1 > this.#opts.maxDepth) {
      this.#record(
        'chain-too-long',
        issuer,
        position,
        `more than ${this.#opts.maxDepth} intermediates (maxDepth)`,
      );
      return undefined;
    }
    return caBelow;
  }

  /**
   * Whether `issuer`'s key signed `subject`: remembered, answered in an earlier run, or
   * verified now. Throws Pending when the backend answers later.
   */
  #link(subject: Certificate, issuer: Certificate): VerifyResult {
    const cache = this.#opts.cache;
    if (cache?.hasLink(subject, issuer)) return true;
    if (--this.#budget.signatures < 0) {
      throw new BudgetExhausted('path building exceeded its budget of signature checks');
    }
    const answered = this.#settled?.get(subject)?.get(issuer);
    if (answered !== undefined) return answered;
    const { backend, allowSha1 } = this.#opts;
    const result = verifyIssued(backend, subject, issuer, { allowSha1 });
    if (result instanceof Promise) throw new Pending(subject, issuer, result);
    return result;
  }

  /** Takes the outcome of {@link #link}: remembers a good link, records a bad one. */
  #linked(
    signed: VerifyResult,
    subject: Certificate,
    candidate: Candidate,
    position: number,
  ): boolean {
    const { cert: issuer, bundle } = candidate;
    if (signed !== true) {
      const role = bundle ? 'anchor' : 'intermediate';
      this.#record(
        signed.reason,
        subject,
        position - 1,
        `${signed.message} with the key of ${describe(issuer, position, role)}`,
      );
      return false;
    }
    if (position === 1 && this.#leafIsNew) return true;
    // A link that only verifies because SHA-1 was allowed must not serve a stricter call.
    if (!(this.#opts.allowSha1 && isSha1(subject))) {
      this.#opts.cache?.addLink(subject, issuer, bundle !== undefined);
    }
    return true;
  }

  /**
   * Checks `candidate` in its role with the path below it (issuer checks, name constraints).
   * Returns the result when it is an anchor, DESCEND when the path goes on through it, and
   * `undefined` after recording why it cannot be used.
   */
  #join(
    candidate: Candidate,
    caBelow: number,
    position: number,
  ): ChainResult | typeof DESCEND | undefined {
    const { cert: issuer, bundle } = candidate;
    const path = this.#path;
    const role = bundle ? 'anchor' : 'intermediate';
    const bad = checkIssuer(issuer, caBelow, this.#opts, bundle !== undefined);
    if (bad) {
      this.#record(bad.reason, issuer, position, bad.detail, role);
      return undefined;
    }
    if (issuer.nameConstraints) {
      for (let j = 0; j < path.length; j++) {
        const below = path[j]!;
        // RFC 5280 §6.1.3(b): self-issued intermediates are exempt; the leaf never is.
        if (j > 0 && below.isSelfIssued) continue;
        const nc = safeNameConstraints(issuer, below, j === 0, this.#budget);
        if (!nc.ok) {
          if (nc.reason === 'chain-too-long') throw new BudgetExhausted(nc.message);
          this.#record(
            nc.reason,
            below,
            j,
            `${nc.message} (name constraints of ${describe(issuer, position, role)})`,
          );
          return undefined;
        }
      }
    }
    return bundle ? this.#success([...path, issuer], issuer, bundle) : DESCEND;
  }
}

/** What {@link Search.join} answers when the path continues through the candidate. */
const DESCEND: unique symbol = Symbol('descend');

function isSha1(cert: Certificate): boolean {
  const oid = cert.signatureAlgorithm.oid;
  return oid === OID.sha1WithRSAEncryption || oid === OID.ecdsaWithSHA1;
}

/**
 * checkNameConstraints, failing closed: it is written to return a verdict for any input, but
 * an unexpected throw must refuse the path rather than escape buildChain.
 */
function safeNameConstraints(
  ca: Certificate,
  cert: Certificate,
  isLeaf: boolean,
  budget: Budget,
): ReturnType<typeof checkNameConstraints> {
  try {
    return checkNameConstraints(ca, cert, isLeaf, budget);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      reason: 'name-constraints',
      message: `name constraints not checkable (${text})`,
    };
  }
}
