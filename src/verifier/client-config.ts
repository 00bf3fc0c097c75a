/**
 * Client entries of the verifier configuration, checked and compiled once when the verifier is
 * created, so that a bad entry fails at start-up naming the client rather than per request.
 * Bundle names are only checked for form here: whether the store holds them is decided per
 * call (4016), because the store is live.
 */

import { type CompiledRule, compileRule } from '../rules/compile-rule.js';
import { RuleSyntaxError } from '../rules/rule-syntax-error.js';
import { validateBundleName } from '../trust/trust-store.js';

/** Most bundles one client may name (the Workato limit). */
export const MAX_CLIENT_BUNDLES = 5;

/** One API client's mTLS policy. */
export interface ClientConfig {
  /**
   * Names of trust-store bundles, 0 to 5. The certificate must chain to an anchor of one of
   * them. An empty list is accepted here and answered 4016 per request (a client whose bundle
   * has not been configured yet).
   */
  bundles: readonly string[];
  /** A rule the certificate must satisfy (see docs/rules.md); compiled at creation. */
  rule?: string;
  /** Default `true`. `false` records failures (verdict `enforced: false`) without refusing. */
  enforce?: boolean;
}

/** A client entry after checking: the rule compiled, the defaults applied. */
export interface ResolvedClient {
  readonly id: string;
  readonly bundles: readonly string[];
  readonly rule: CompiledRule | undefined;
  readonly enforce: boolean;
}

/** The verifier configuration is wrong; thrown by `createVerifier`, never by `verify`. */
export class VerifierConfigError extends Error {
  override readonly name = 'VerifierConfigError';
  /** The client whose entry is wrong, when the error is about one. */
  readonly clientId: string | undefined;

  constructor(message: string, clientId?: string, options?: ErrorOptions) {
    super(message, options);
    this.clientId = clientId;
  }
}

/** Checks one entry; throws VerifierConfigError naming the client. */
export function resolveClient(id: string, entry: unknown): ResolvedClient {
  const fail = (what: string, cause?: unknown): never => {
    throw new VerifierConfigError(
      `client ${JSON.stringify(id)}: ${what}`,
      id,
      cause === undefined ? undefined : { cause },
    );
  };
  if (id.length === 0) fail('the client id must not be empty');
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return fail('the entry must be an object { bundles, rule?, enforce? }');
  }
  const { bundles, rule, enforce } = entry as Record<string, unknown>;
  if (!Array.isArray(bundles)) return fail('`bundles` must be an array of bundle names');
  if (bundles.length > MAX_CLIENT_BUNDLES) {
    fail(`at most ${MAX_CLIENT_BUNDLES} bundles may be named, got ${bundles.length}`);
  }
  const names: string[] = [];
  for (const name of bundles as unknown[]) {
    try {
      validateBundleName(name);
    } catch (error) {
      fail(`bad bundle name: ${error instanceof Error ? error.message : String(error)}`, error);
    }
    if (names.includes(name as string)) fail(`bundle ${JSON.stringify(name)} is named twice`);
    names.push(name as string);
  }
  if (enforce !== undefined && typeof enforce !== 'boolean') fail('`enforce` must be a boolean');
  let compiled: CompiledRule | undefined;
  if (rule !== undefined) {
    if (typeof rule !== 'string') fail('`rule` must be a string');
    try {
      compiled = compileRule(rule as string);
    } catch (error) {
      if (error instanceof RuleSyntaxError) fail(`invalid rule: ${error.message}`, error);
      fail(`invalid rule: ${error instanceof Error ? error.message : String(error)}`, error);
    }
  }
  return Object.freeze({
    id,
    bundles: Object.freeze(names),
    rule: compiled,
    enforce: enforce !== false,
  });
}

/** Checks every entry of `clients`; at least one client is required. */
export function resolveClients(clients: unknown): ReadonlyMap<string, ResolvedClient> {
  if (typeof clients !== 'object' || clients === null || Array.isArray(clients)) {
    throw new VerifierConfigError('`clients` must be an object mapping client ids to entries');
  }
  const out = new Map<string, ResolvedClient>();
  // Own enumerable keys only: a client id such as "__proto__" or "toString" is looked up in a
  // Map later, so it can never resolve to something inherited.
  for (const id of Object.keys(clients)) {
    out.set(id, resolveClient(id, (clients as Record<string, unknown>)[id]));
  }
  if (out.size === 0) throw new VerifierConfigError('`clients` names no client');
  return out;
}
