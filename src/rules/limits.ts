/**
 * Limits on rule source, enforced at compile time so that a hostile or runaway formula is an
 * error up front, never a slow request. Evaluation is bounded by the AST size: every node runs
 * at most once per evaluation, and each method is linear in its receiver and argument.
 */

/** Longest accepted rule source, in UTF-16 code units. Real formulas are a line or two. */
export const MAX_SOURCE_LENGTH = 4096;

/** Most AST nodes in one rule. */
export const MAX_NODES = 512;

/**
 * Deepest nesting of the AST (and of brackets and negations in the source). A chain of one
 * `&&` or `||` operator counts as one level, so long allow-lists are limited by MAX_NODES.
 */
export const MAX_DEPTH = 32;

/** Longest string literal, in UTF-16 code units. */
export const MAX_STRING_LENGTH = 1024;

/** Most arguments to one method call. */
export const MAX_ARGUMENTS = 16;
