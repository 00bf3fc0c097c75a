/**
 * `ruleContext(certificate, chain?)`: the values a rule can read. Built per request, so it
 * is cheap: one null-prototype object whose fields are getters computed on first read (the
 * Certificate caches its own text forms too), frozen so that nothing, formula or host, can
 * change it after the fact.
 */

import type { Certificate } from '../certificate.js';
import { dnAttribute, normalizeDN } from '../dn.js';
import type { RDN } from '../rdn.js';

/** The fields of one certificate as a rule sees them. `null` is the rule language's `nil`. */
export interface RuleCertificateFields {
  /** subjectAltName entries, canonical (`DNS:a.example`, `IP:10.0.0.1`, `Email:u@ex.com` …). */
  readonly SAN: readonly string[];
  /** The subject as an RFC 4514 string (`CN=RootCA,O=Org,C=US`); a name in rules. */
  readonly DN: string;
  /** Same as `DN`. */
  readonly SUBJECT: string;
  /** The issuer as an RFC 4514 string; a name in rules. */
  readonly ISSUER: string;
  /** Most specific subject commonName, or `null`. */
  readonly CN: string | null;
  /** Most specific subject organizationName, or `null`. */
  readonly O: string | null;
  /** Most specific subject organizationalUnitName, or `null`. */
  readonly OU: string | null;
  /** Subject countryName, or `null`. */
  readonly C: string | null;
  /** Subject localityName, or `null`. */
  readonly L: string | null;
  /** Subject stateOrProvinceName, or `null`. */
  readonly ST: string | null;
  /** Subject emailAddress (PKCS #9), or `null`. */
  readonly EMAIL: string | null;
  /** Serial number, lower-case hex of its DER content octets. */
  readonly SERIAL: string;
  /** SHA-256 of the DER, lower-case hex. */
  readonly FINGERPRINT: string;
  readonly NOT_BEFORE: Date;
  readonly NOT_AFTER: Date;
}

/**
 * What `compileRule(...).evaluate` reads: the leaf's fields and `CHAIN`, the validated path
 * leaf first, anchor last (empty when no chain was given), each element with the same fields.
 * Build it with {@link ruleContext}; a hand-made object of this shape works too (tests), and
 * a value of the wrong type in it makes the rule fail, never throw.
 */
export interface RuleContext extends RuleCertificateFields {
  readonly CHAIN: readonly RuleCertificateFields[];
}

/** The names a rule may read on a certificate, and their types in the language. */
export const CERTIFICATE_FIELDS = {
  SAN: 'sans',
  DN: 'name',
  SUBJECT: 'name',
  ISSUER: 'name',
  CN: 'string?',
  O: 'string?',
  OU: 'string?',
  C: 'string?',
  L: 'string?',
  ST: 'string?',
  EMAIL: 'string?',
  SERIAL: 'string',
  FINGERPRINT: 'string',
  NOT_BEFORE: 'time',
  NOT_AFTER: 'time',
} as const;

/** A field of a certificate context. */
export type CertificateField = keyof typeof CERTIFICATE_FIELDS;

/** A field holding a name. */
export type NameField = 'DN' | 'SUBJECT' | 'ISSUER';

const ATTRIBUTE_OIDS: Readonly<Record<string, string>> = {
  CN: '2.5.4.3',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  EMAIL: '1.2.840.113549.1.9.1',
};

interface State {
  readonly certificate: Certificate;
  subjectNormal?: string;
  issuerNormal?: string;
}

// Contexts we built, with their certificate, so that name comparisons and attribute reads
// work on the decoded RDNs instead of re-parsing the RFC 4514 strings.
const STATES = new WeakMap<object, State>();

function firstValue(rdns: readonly RDN[], oid: string): string | null {
  return dnAttribute(rdns, oid)[0] ?? null;
}

function fieldsOf(certificate: Certificate): PropertyDescriptorMap {
  const cached: Record<string, unknown> = Object.create(null);
  const lazy = (name: string, compute: () => unknown): PropertyDescriptor => ({
    enumerable: true,
    get() {
      if (!(name in cached)) cached[name] = compute();
      return cached[name];
    },
  });
  const descriptors: PropertyDescriptorMap = {
    SAN: lazy('SAN', () => certificate.subjectAltNames),
    DN: lazy('DN', () => certificate.subject),
    SUBJECT: lazy('SUBJECT', () => certificate.subject),
    ISSUER: lazy('ISSUER', () => certificate.issuer),
    SERIAL: lazy('SERIAL', () => certificate.serialNumber),
    FINGERPRINT: lazy('FINGERPRINT', () => certificate.fingerprint256),
    NOT_BEFORE: lazy('NOT_BEFORE', () => Object.freeze(certificate.notBefore)),
    NOT_AFTER: lazy('NOT_AFTER', () => Object.freeze(certificate.notAfter)),
  };
  for (const [field, oid] of Object.entries(ATTRIBUTE_OIDS)) {
    descriptors[field] = lazy(field, () => firstValue(certificate.subjectName, oid));
  }
  return descriptors;
}

/**
 * The rule context of a certificate: its fields (see {@link RuleContext}) and `CHAIN`, the
 * contexts of `chain` (leaf first, anchor last, as `buildChain` returns it), or an empty list
 * without one. Frozen, with a null prototype; every field is computed on first read.
 */
export function ruleContext(certificate: Certificate, chain?: readonly Certificate[]): RuleContext {
  const descriptors = fieldsOf(certificate);
  let contexts: readonly RuleCertificateFields[] | undefined;
  descriptors.CHAIN = {
    enumerable: true,
    get() {
      contexts ??= Object.freeze((chain ?? []).map((c) => certificateContext(c)));
      return contexts;
    },
  };
  const context = Object.freeze(Object.create(null, descriptors)) as RuleContext;
  STATES.set(context, { certificate });
  return context;
}

function certificateContext(certificate: Certificate): RuleCertificateFields {
  const context = Object.freeze(
    Object.create(null, fieldsOf(certificate)),
  ) as RuleCertificateFields;
  STATES.set(context, { certificate });
  return context;
}

/**
 * The normalized form (`normalizeDN`) of a name field of a context, from the certificate's
 * RDNs when we built the context, else from the string. `undefined` if it is not a name.
 */
export function normalizedName(context: object, field: NameField): string | undefined {
  const state = STATES.get(context);
  if (state !== undefined) {
    if (field === 'ISSUER') {
      state.issuerNormal ??= normalizeDN(state.certificate.issuerName);
      return state.issuerNormal;
    }
    state.subjectNormal ??= normalizeDN(state.certificate.subjectName);
    return state.subjectNormal;
  }
  const text = (context as Record<string, unknown>)[field];
  return typeof text === 'string' ? normalizeOrUndefined(text) : undefined;
}

/** The values of one attribute (dotted OID) of a name field, most specific first. */
export function nameAttributes(context: object, field: NameField, oid: string): string[] {
  const state = STATES.get(context);
  if (state !== undefined) {
    const rdns = field === 'ISSUER' ? state.certificate.issuerName : state.certificate.subjectName;
    return dnAttribute(rdns, oid);
  }
  const text = (context as Record<string, unknown>)[field];
  if (typeof text !== 'string') return [];
  try {
    return dnAttribute(text, oid);
  } catch {
    return [];
  }
}

/** `normalizeDN(text)`, or `undefined` when the text is not a DN. */
export function normalizeOrUndefined(text: string): string | undefined {
  try {
    return normalizeDN(text);
  } catch {
    return undefined;
  }
}
