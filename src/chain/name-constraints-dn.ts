/**
 * directoryName name constraints (RFC 5280 §4.2.1.10, §7.1): a name is inside the subtree of
 * a constraint when the constraint's RDNs are the first RDNs of the name, in encoding order
 * (least specific first), each RDN equal under the RFC 4518 comparison rules.
 *
 * This is the comparison `dnIsWithin` in dn.ts makes. It is not called directly because it
 * normalizes both names on every call; here a CA's constraints are normalized once (and
 * memoized with them) and a certificate's subject once per check, so a check with n names
 * and m subtrees normalizes n + m names, not n × m.
 */

import { normalizeDN } from '../dn.js';
import type { RDN } from '../rdn.js';

/**
 * One comparison key per RDN: the RDN's `normalizeDN` text, which applies RFC 4518 string
 * preparation (case folding for caseIgnore types, insignificant spaces) and orders the
 * members of a multi-valued RDN, so that two RDNs match exactly when their keys are equal.
 * `undefined` if an RDN cannot be normalized (then the name fails closed).
 */
export function rdnKeys(rdns: readonly RDN[]): string[] | undefined {
  const keys: string[] = [];
  try {
    for (const rdn of rdns) keys.push(normalizeDN([rdn]));
  } catch {
    return undefined;
  }
  return keys;
}

/** The constraint's RDN keys are a prefix of the name's (an empty constraint covers all). */
export function withinDirectory(name: readonly string[], constraint: readonly string[]): boolean {
  if (constraint.length > name.length) return false;
  for (let i = 0; i < constraint.length; i++) if (name[i] !== constraint[i]) return false;
  return true;
}
