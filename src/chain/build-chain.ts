/**
 * buildChain: RFC 5280 path building and validation. From the leaf, every candidate issuer
 * (anchors of every bundle and presented intermediates, key-identifier matches first) is
 * tried depth-first with backtracking, so that cross-signed and multi-path PKIs validate when
 * any path is valid. Each certificate is checked in its role as it joins the path (checks.ts),
 * name constraints of a CA are applied to every certificate below it as the CA joins, and the
 * search is bounded by `maxDepth` and a work budget (budget.ts).
 *
 * When no path is valid, the failure reported is the most specific one met (errors.ts
 * reasonRank), the deepest among equals, naming the certificate and its position.
 */

import type { Certificate } from '../certificate.js';
import { verifyIssued } from '../crypto/backend.js';
import { type InvalidReason, MtlsError, reasonRank } from '../errors.js';
import type { CertificateInput } from '../input.js';
import { OID } from '../oids.js';
import type { TrustBundle } from '../trust/trust-bundle.js';
import { type Budget, BudgetExhausted } from './budget.js';
import { type Candidate, caIdentity, candidatesFor, Presented } from './candidates.js';
import { checkIssuer, checkLeaf } from './checks.js';
import { describe, printable, type Role, safeIssuer } from './messages.js';
import { checkNameConstraints } from './name-constraints.js';
import { type ChainOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { readCertificates, TooManyCertificates } from './presented.js';

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

type Failure = Extract<ChainResult, { ok: false }>;

/**
 * Builds and validates a path from `leaf` to an anchor. When `leaf` holds several
 * certificates (a PEM chain), the first is the leaf and the others are added to the
 * presented intermediates. A leaf that is itself in a bundle is trusted as it is (pinned),
 * after the leaf checks. Resolves to a ChainResult and never rejects for a bad chain
 * (a malformed leaf or intermediate is the result `malformed`); bad options reject with a
 * TypeError, and anchors that are not certificates with MtlsError `malformed`.
 */
export async function buildChain(
  leaf: CertificateInput,
  options: ChainOptions,
): Promise<ChainResult> {
  const opts = resolveOptions(options);
  let leafCert: Certificate;
  let presented: Certificate[];
  try {
    const given = readCertificates(leaf, undefined);
    if (given.length === 0) return failure('malformed', 'no leaf certificate given');
    leafCert = given[0]!;
    const room = MAX_PRESENTED - (given.length - 1);
    presented = [
      ...given.slice(1),
      ...(options.intermediates === undefined
        ? []
        : readCertificates(options.intermediates, opts.cache, Math.max(room, 0))),
    ];
  } catch (error) {
    if (error instanceof MtlsError && error.reason === 'malformed') {
      return failure('malformed', error.message);
    }
    if (error instanceof TooManyCertificates) {
      // Refused before the rest is parsed: see readCertificates.
      return failure(
        'chain-too-long',
        `more than ${MAX_PRESENTED} intermediates presented; at most ${MAX_PRESENTED} are considered`,
      );
    }
    throw error;
  }
  if (presented.length > MAX_PRESENTED) {
    return failure(
      'chain-too-long',
      `${presented.length} intermediates presented; at most ${MAX_PRESENTED} are considered`,
    );
  }
  const result = await new Search(opts, new Presented(presented)).run(leafCert);
  return result.ok ? result : { ...result, message: printable(result.message) };
}

/**
 * The most presented intermediates a call looks at. Real client chains carry one to three;
 * TLS bounds a certificate list at about 100 KB (some 60 certificates), so a larger set can
 * only come from a caller feeding untrusted input, and is refused before any search.
 */
export const MAX_PRESENTED = 64;

function failure(reason: InvalidReason, message: string): Failure {
  return { ok: false, reason, message: printable(message) };
}

class Search {
  readonly #opts: ResolvedOptions;
  readonly #budget: Budget;
  readonly #presented: Presented;
  readonly #path: Certificate[] = [];
  readonly #onPath = new Set<string>();
  #best: (Failure & { rank: number; depth: number }) | undefined;

  constructor(opts: ResolvedOptions, presented: Presented) {
    this.#opts = opts;
    this.#budget = opts.budget;
    this.#presented = presented;
  }

  async run(leaf: Certificate): Promise<ChainResult> {
    const leafFailure = checkLeaf(leaf, this.#opts);
    if (leafFailure) {
      return {
        ok: false,
        reason: leafFailure.reason,
        message: `${describe(leaf, 0, 'leaf')}: ${leafFailure.detail}`,
        certificate: leaf,
        position: 0,
      };
    }
    for (const bundle of this.#opts.bundles) {
      if (bundle.has(leaf)) return this.#success([leaf], leaf, bundle);
    }
    this.#path.push(leaf);
    this.#onPath.add(caIdentity(leaf));
    try {
      const found = await this.#extend();
      if (found) return found;
    } catch (error) {
      if (!(error instanceof BudgetExhausted)) throw error;
      const best = this.#best ? ` (best failure so far: ${this.#best.message})` : '';
      return failure('chain-too-long', `${error.message}${best}`);
    }
    const best = this.#best;
    if (!best) return failure('untrusted', 'no path to a trust anchor');
    const { rank: _rank, depth: _depth, ...result } = best;
    return result;
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

  /** Extends the path from its last certificate; resolves to a result on success. */
  async #extend(): Promise<ChainResult | undefined> {
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
      const result = await this.#try(candidate, subject, position);
      if (result) return result;
    }
    return undefined;
  }

  async #try(
    candidate: Candidate,
    subject: Certificate,
    position: number,
  ): Promise<ChainResult | undefined> {
    const { cert: issuer, bundle } = candidate;
    const path = this.#path;
    const id = caIdentity(issuer);
    const role = bundle ? 'anchor' : 'intermediate';
    if (this.#onPath.has(id)) {
      // A loop: the same CA (name and key) is already below. Never a new path.
      const detail =
        issuer === subject || caIdentity(subject) === id
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
    const signed = await this.#verifyLink(subject, issuer);
    if (signed !== true) {
      this.#record(
        signed.reason,
        subject,
        position - 1,
        `${signed.message} with the key of ${describe(issuer, position, role)}`,
      );
      return undefined;
    }
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
    if (bundle) return this.#success([...path, issuer], issuer, bundle);
    path.push(issuer);
    this.#onPath.add(id);
    try {
      return await this.#extend();
    } finally {
      path.pop();
      this.#onPath.delete(id);
    }
  }

  async #verifyLink(subject: Certificate, issuer: Certificate) {
    const cache = this.#opts.cache;
    if (cache?.hasLink(subject, issuer)) return true as const;
    if (--this.#budget.signatures < 0) {
      throw new BudgetExhausted('path building exceeded its budget of signature checks');
    }
    const allowSha1 = this.#opts.allowSha1;
    const result = await verifyIssued(this.#opts.backend, subject, issuer, { allowSha1 });
    // A link that only verifies because SHA-1 was allowed must not serve a stricter call.
    if (result === true && !(allowSha1 && isSha1(subject))) cache?.addLink(subject, issuer);
    return result;
  }
}

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
