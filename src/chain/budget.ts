/**
 * The work budget of one `buildChain` call. Path building over hostile input (cross-signed
 * cycles, hundreds of same-name intermediates, name constraints with thousands of subtrees)
 * is exponential if left alone; every unit of work is counted here, and running out ends the
 * search with 'chain-too-long'.
 */

/** Limits of one `buildChain` call. */
export interface BudgetLimits {
  /** Signature verifications (a remembered link costs none). */
  signatures: number;
  /** Candidate issuers considered, over the whole search. */
  steps: number;
  /** Name comparisons made by name-constraint checks. */
  comparisons: number;
}

/**
 * Defaults: a valid path at the maximum depth of 8 intermediates needs 9 signatures, so 64
 * leaves room for a few dead ends per level; 1,024 steps and 100,000 name comparisons keep a
 * hostile call well under a few tens of milliseconds.
 */
export const DEFAULT_BUDGET: Readonly<BudgetLimits> = Object.freeze({
  signatures: 64,
  steps: 1024,
  comparisons: 100_000,
});

/** What remains of a call's budget. Fields are decremented as work is done. */
export class Budget implements BudgetLimits {
  signatures: number;
  steps: number;
  comparisons: number;

  constructor(limits: Partial<BudgetLimits> = {}) {
    this.signatures = limits.signatures ?? DEFAULT_BUDGET.signatures;
    this.steps = limits.steps ?? DEFAULT_BUDGET.steps;
    this.comparisons = limits.comparisons ?? DEFAULT_BUDGET.comparisons;
  }
}

/** Thrown inside the search when the budget runs out; `buildChain` turns it into a result. */
export class BudgetExhausted extends Error {
  override readonly name = 'BudgetExhausted';
}
