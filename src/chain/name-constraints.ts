/**
 * RFC 5280 name constraints (§4.2.1.10, path validation §6.1.3 (b) and (c)): does a
 * certificate's every name lie inside the subtrees a CA above it permits and outside those it
 * excludes?
 *
 * The chain builder calls {@link checkNameConstraints} once per (CA, certificate below it)
 * pair and decides which pairs to check (RFC 5280 §6.1.3 (b) exempts self-issued
 * intermediates); checking each CA on its own is the intersection of permitted subtrees that
 * §6.1.4 (g) describes, without building the intersection.
 *
 * Choices, each as Go crypto/x509, rustls-webpki or x509-limbo lead (the per-form ones are
 * documented beside their code in name-constraints-*.ts):
 *
 * - The names of a certificate are its subjectAltName entries, its subject as a
 *   directoryName when the subject is not empty (§4.2.1.10), every emailAddress attribute
 *   of the subject as an rfc822Name, and, for the leaf only, see below, its common names.
 * - emailAddress attributes: RFC 5280 requires checking them only when there is no SAN; we
 *   always check them, as OpenSSL does, because a host's rules may read the subject's
 *   emailAddress whatever the SAN says. (Go and webpki ignore them; limbo has no case.)
 * - Subject common name: Go (since 1.15) and webpki never treat CN as a DNS name. OpenSSL
 *   checks a leaf's CNs against dNSName constraints when the leaf has no DNS SAN and the CN
 *   looks like a host name. An mTLS gate's rules often match on CN, so we follow OpenSSL:
 *   a CA limited to `example.com` cannot issue a client `CN=bank.example.net`. A CN that is
 *   not a host name (no dot, spaces, ...) is not a DNS name and is not checked. No limbo nc
 *   case depends on it (all their leaves carry a DNS SAN or face no DNS constraint).
 * - A form with no permitted subtree is not restricted by the permitted list; excluded wins
 *   over permitted (§6.1.3 (b)(c)).
 * - Fail closed: a malformed name of a constrained form, a malformed constraint of the form
 *   of a name present, or a constraint on a form we cannot check (otherName, x400Address,
 *   ediPartyName, registeredID) facing a name of that form rejects the certificate
 *   (§4.2.1.10: "process the constraint or reject the certificate"; limbo
 *   `rfc5280::nc::nc-forbids-othername` / `-noop`). A constraint nobody's name uses is
 *   harmless, as in webpki.
 * - Work is bounded: each name-versus-subtree comparison costs one unit of
 *   `budget.comparisons`, charged before the comparisons run; Go caps a verification at
 *   250,000 such comparisons, webpki likewise.
 */

import type { Certificate } from '../certificate.js';
import type { NameConstraints } from '../extensions.js';
import type { GeneralName } from '../general-name.js';
import { mappedIPv4 } from '../ip.js';
import { formatGeneralName } from '../san.js';
import { parseDnsName } from './name-constraints-dns.js';
import {
  type CheckedConstraint,
  type CheckedName,
  checkConstraint,
  checkName,
  isCheckable,
  matches,
  type NameForm,
} from './name-constraints-forms.js';

/** The verdict of {@link checkNameConstraints}. */
export type NameConstraintsVerdict =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: 'name-constraints' | 'chain-too-long';
      readonly message: string;
    };

interface Subtree {
  readonly checked: CheckedConstraint;
  readonly display: string;
}

interface FormSubtrees {
  readonly permitted: Subtree[];
  readonly excluded: Subtree[];
  /** The first constraint of this form that did not parse, as text. */
  malformed: string | undefined;
}

interface Candidate {
  readonly form: NameForm;
  /** Text for messages, computed only when a message is written (the success path is hot). */
  readonly display: () => string;
  /** `undefined` when the name is malformed or of a form we cannot check. */
  readonly checked: CheckedName | undefined;
}

const OK: NameConstraintsVerdict = Object.freeze({ ok: true });
const EMAIL_ADDRESS = '1.2.840.113549.1.9.1';
const COMMON_NAME = '2.5.4.3';

const FORM_NAMES: Readonly<Record<NameForm, string>> = {
  dns: 'dNSName',
  email: 'rfc822Name',
  uri: 'uniformResourceIdentifier',
  ip: 'iPAddress',
  dirName: 'directoryName',
  rid: 'registeredID',
  otherName: 'otherName',
  x400Address: 'x400Address',
  ediPartyName: 'ediPartyName',
};

/**
 * Checks the names of `cert` against the name constraints of `ca` (RFC 5280 §6.1.3 (b), (c)).
 *
 * @param ca the issuing CA whose `nameConstraints` apply (none: always ok).
 * @param cert a certificate below `ca` in the path; the caller skips self-issued
 *   intermediates, as RFC 5280 §6.1.3 (b) allows.
 * @param isLeaf `cert` is the end-entity certificate (its common names are then checked as DNS
 *   names when it has no DNS SAN; see the module comment).
 * @param budget shared work counter, decremented by one per name-versus-subtree comparison;
 *   when it would drop below zero the verdict is `chain-too-long` and nothing more is compared.
 * @returns `{ ok: true }`, or the reason and a message naming the certificate, the name and
 *   the constraint. Never throws.
 */
export function checkNameConstraints(
  ca: Certificate,
  cert: Certificate,
  isLeaf: boolean,
  budget: { comparisons: number },
): NameConstraintsVerdict {
  const constraints = ca.nameConstraints;
  if (constraints === undefined) return OK;
  try {
    return check(ca, constraints, cert, isLeaf, budget);
  } catch (error) {
    // Every parser above returns `undefined` on bad input; this is a last guard so that a
    // bug cannot crash the host, and it fails closed.
    const detail = error instanceof Error ? `: ${error.message}` : '';
    return refuse(`name constraints of ${subjectOf(ca)} could not be checked${detail}`);
  }
}

function check(
  ca: Certificate,
  constraints: NameConstraints,
  cert: Certificate,
  isLeaf: boolean,
  budget: { comparisons: number },
): NameConstraintsVerdict {
  if (constraints.permitted === undefined && constraints.excluded === undefined) {
    // §4.2.1.10: "either the permittedSubtrees field or the excludedSubtrees field MUST be
    // present". An empty extension is malformed; webpki rejects it and so does limbo
    // (`webpki::nc::intermediate-permitted-excluded-subtrees-both-null`).
    return refuse(`${subjectOf(ca)} has an empty name constraints extension`);
  }
  const byForm = subtreesByForm(constraints);
  for (const name of namesOf(cert, isLeaf, byForm)) {
    const subtrees = byForm.get(name.form);
    if (subtrees === undefined) continue;
    const where = (): string => `${name.display()} in ${subjectOf(cert)}`;
    const formName = FORM_NAMES[name.form];
    if (!isCheckable(name.form)) {
      return refuse(
        `${where()}: ${subjectOf(ca)} constrains ${formName} names, which cannot be checked`,
      );
    }
    if (subtrees.malformed !== undefined) {
      return refuse(
        `${where()}: ${subjectOf(ca)} has a malformed ${formName} constraint ${subtrees.malformed}`,
      );
    }
    if (name.checked === undefined) {
      return refuse(
        `${where()} is not a well-formed ${formName}, so the name constraints of ${subjectOf(ca)} cannot be checked`,
      );
    }
    budget.comparisons -= subtrees.permitted.length + subtrees.excluded.length;
    if (budget.comparisons < 0) {
      return {
        ok: false,
        reason: 'chain-too-long',
        message: `name constraint checks exceeded their work budget at ${where()}`,
      };
    }
    const checked = name.checked;
    const hit = subtrees.excluded.find((s) => matches(checked, s.checked, true));
    if (hit !== undefined) {
      return refuse(`${where()} is inside the excluded subtree ${hit.display} of ${subjectOf(ca)}`);
    }
    if (
      subtrees.permitted.length > 0 &&
      !subtrees.permitted.some((s) => matches(checked, s.checked, false))
    ) {
      return refuse(`${where()} is outside the permitted ${formName} subtrees of ${subjectOf(ca)}`);
    }
  }
  return OK;
}

// A CA's constraints are parsed once and reused for every certificate below it: the chain
// builder checks one CA against several certificates and paths. Keyed weakly by the
// (immutable) NameConstraints object, so the memo lives exactly as long as the certificate.
const parsed = new WeakMap<NameConstraints, Map<NameForm, FormSubtrees>>();

function subtreesByForm(constraints: NameConstraints): Map<NameForm, FormSubtrees> {
  const known = parsed.get(constraints);
  if (known !== undefined) return known;
  const byForm = new Map<NameForm, FormSubtrees>();
  for (const [list, excluded] of [
    [constraints.permitted, false],
    [constraints.excluded, true],
  ] as const) {
    for (const subtree of list ?? []) {
      const form = subtree.base.kind;
      let entry = byForm.get(form);
      if (entry === undefined) {
        entry = { permitted: [], excluded: [], malformed: undefined };
        byForm.set(form, entry);
      }
      const checked = checkConstraint(subtree, excluded);
      const display = describe(subtree.base);
      if (checked === undefined) entry.malformed ??= display;
      else (excluded ? entry.excluded : entry.permitted).push({ checked, display });
    }
  }
  parsed.set(constraints, byForm);
  return byForm;
}

/** The names of `cert` of the forms some constraint speaks of. */
function namesOf(
  cert: Certificate,
  isLeaf: boolean,
  forms: ReadonlyMap<NameForm, FormSubtrees>,
): Candidate[] {
  const names: Candidate[] = [];
  for (const name of cert.generalNames) {
    if (forms.has(name.kind)) {
      names.push({ form: name.kind, display: () => describe(name), checked: checkName(name) });
      const v4 = name.kind === 'ip' ? mappedIPv4(name.bytes) : undefined;
      if (v4) {
        // ::ffff:a.b.c.d reaches the IPv4 host a.b.c.d, so it must also pass the IPv4
        // subtrees: an excluded 10.0.0.0/8 must not be slipped past as ::ffff:10.0.0.1
        // (Go and webpki compare it as IPv6 only).
        names.push({
          form: 'ip',
          display: () => describe(name),
          checked: { form: 'ip', bytes: v4 },
        });
      }
    }
  }
  if (forms.has('dirName')) {
    const checked = checkName({ kind: 'dirName', der: cert.subjectDer });
    // An empty subject is not constrained by directoryName (§4.2.1.10: "when the certificate
    // includes a non-empty subject field").
    if (checked === undefined || checked.form !== 'dirName' || checked.rdns.length > 0) {
      names.push({ form: 'dirName', display: () => `subject ${subjectOf(cert)}`, checked });
    }
  }
  const wantEmail = forms.has('email');
  const wantCN = isLeaf && forms.has('dns') && !cert.generalNames.some((n) => n.kind === 'dns');
  if (!wantEmail && !wantCN) return names;
  let rdns: Certificate['subjectName'];
  try {
    rdns = cert.subjectName;
  } catch {
    names.push({ form: wantEmail ? 'email' : 'dns', display: () => 'subject', checked: undefined });
    return names;
  }
  for (const rdn of rdns) {
    for (const attribute of rdn) {
      const text = attribute.ber === undefined ? attribute.value : undefined;
      if (wantEmail && attribute.type === EMAIL_ADDRESS) {
        const email: GeneralName = { kind: 'email', value: text ?? '' };
        names.push({
          form: 'email',
          display: () => `subject emailAddress ${text ?? '(not a string)'}`,
          checked: text === undefined ? undefined : checkName(email),
        });
      }
      if (wantCN && attribute.type === COMMON_NAME && text?.includes('.')) {
        // Only a CN that reads as a host name is one (OpenSSL's test); others are not names.
        const dns = parseDnsName(text);
        if (dns !== undefined) {
          names.push({
            form: 'dns',
            display: () => `subject CN ${text}`,
            checked: { form: 'dns', dns },
          });
        }
      }
    }
  }
  return names;
}

function refuse(message: string): NameConstraintsVerdict {
  return { ok: false, reason: 'name-constraints', message };
}

function describe(name: GeneralName): string {
  try {
    return formatGeneralName(name);
  } catch {
    return FORM_NAMES[name.kind];
  }
}

function subjectOf(cert: Certificate): string {
  try {
    return `"${cert.subject}"`;
  } catch {
    return 'a certificate with an unreadable subject';
  }
}
