/**
 * `ruleContext(certificate, chain?)`: the values a rule can read. Built per request, so it
 * is cheap: one small frozen object whose fields are getters computed on first read and
 * cached (the Certificate caches its own text forms too; names come from a DER-keyed cache).
 */

import type { Certificate } from '../certificate.js';
import { dnAttribute, mostSpecificAttributeText, normalizeDN } from '../dn.js';
import type { RDN } from '../rdn.js';
import { normalizedNameOf } from './name-cache.js';

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
  /** Most specific subject countryName, or `null`. */
  readonly C: string | null;
  /** Most specific subject localityName, or `null`. */
  readonly L: string | null;
  /** Most specific subject stateOrProvinceName, or `null`. */
  readonly ST: string | null;
  /** Most specific subject emailAddress (PKCS #9), or `null`. */
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

const OID_O = '2.5.4.10';
const OID_OU = '2.5.4.11';
const OID_C = '2.5.4.6';
const OID_L = '2.5.4.7';
const OID_ST = '2.5.4.8';
const OID_EMAIL = '1.2.840.113549.1.9.1';

/**
 * One certificate's context. Getters live on the class prototype, whose own prototype is
 * null and whose `constructor` is removed, so nothing reachable from a context leads to
 * Object.prototype or Function. State is in private fields, invisible to property access.
 */
class CertificateContext {
  readonly #certificate: Certificate;
  readonly #chain: readonly Certificate[] | undefined;
  #subjectNormal: string | undefined;
  #issuerNormal: string | undefined;
  #notBefore: Date | undefined;
  #notAfter: Date | undefined;
  #contexts: readonly CertificateContext[] | undefined;

  constructor(certificate: Certificate, chain: readonly Certificate[] | undefined) {
    this.#certificate = certificate;
    this.#chain = chain;
    Object.freeze(this);
  }

  #attribute(oid: string): string | null {
    // Read from the subject's DER: a new leaf's subject is decoded only when something asks
    // for all of it (see Certificate), and one walk plus one value costs a third of that.
    // Not kept: a Map per context cost more than the walk, and rules read a field once. `CN`,
    // the field rules read most, was located at parse time (Certificate.commonName).
    return mostSpecificAttributeText(this.#certificate.subjectDer, oid) ?? null;
  }

  get SAN(): readonly string[] {
    return this.#certificate.subjectAltNames;
  }
  get DN(): string {
    return this.#certificate.subject;
  }
  get SUBJECT(): string {
    return this.#certificate.subject;
  }
  get ISSUER(): string {
    return this.#certificate.issuer;
  }
  get CN(): string | null {
    return this.#certificate.commonName ?? null;
  }
  get O(): string | null {
    return this.#attribute(OID_O);
  }
  get OU(): string | null {
    return this.#attribute(OID_OU);
  }
  get C(): string | null {
    return this.#attribute(OID_C);
  }
  get L(): string | null {
    return this.#attribute(OID_L);
  }
  get ST(): string | null {
    return this.#attribute(OID_ST);
  }
  get EMAIL(): string | null {
    return this.#attribute(OID_EMAIL);
  }
  get SERIAL(): string {
    return this.#certificate.serialNumber;
  }
  get FINGERPRINT(): string {
    return this.#certificate.fingerprint256;
  }
  get NOT_BEFORE(): Date {
    this.#notBefore ??= Object.freeze(this.#certificate.notBefore);
    return this.#notBefore;
  }
  get NOT_AFTER(): Date {
    this.#notAfter ??= Object.freeze(this.#certificate.notAfter);
    return this.#notAfter;
  }
  get CHAIN(): readonly CertificateContext[] {
    this.#contexts ??= Object.freeze(
      (this.#chain ?? []).map((c) => new CertificateContext(c, undefined)),
    );
    return this.#contexts;
  }

  /** The normalized name of a field of a context we built, or `undefined` for another object. */
  static normalized(context: object, field: NameField): string | undefined {
    if (!(#certificate in context)) return undefined;
    const c = context.#certificate;
    if (field === 'ISSUER') {
      context.#issuerNormal ??= normalizedNameOf(c.issuerDer, c.issuerName);
      return context.#issuerNormal;
    }
    context.#subjectNormal ??= normalizedNameOf(c.subjectDer, c.subjectName);
    return context.#subjectNormal;
  }

  /** The RDNs of a name field of a context we built, or `undefined` for another object. */
  static rdns(context: object, field: NameField): readonly RDN[] | undefined {
    if (!(#certificate in context)) return undefined;
    if (field === 'ISSUER') return context.#certificate.issuerName;
    return context.#certificate.subjectName;
  }
}

for (const name of Object.getOwnPropertyNames(CertificateContext.prototype)) {
  const descriptor = Object.getOwnPropertyDescriptor(CertificateContext.prototype, name)!;
  if (descriptor.get)
    Object.defineProperty(CertificateContext.prototype, name, { enumerable: true });
}
Reflect.deleteProperty(CertificateContext.prototype, 'constructor');
Object.setPrototypeOf(CertificateContext.prototype, null);
Object.freeze(CertificateContext.prototype);

/**
 * The rule context of a certificate: its fields (see {@link RuleContext}) and `CHAIN`, the
 * contexts of `chain` (leaf first, anchor last, as `buildChain` returns it), or an empty list
 * without one. Frozen; its prototype holds only the field getters and has a null prototype
 * itself. Every field is computed on first read, so building one costs well under a
 * microsecond and a rule pays only for what it reads.
 */
export function ruleContext(certificate: Certificate, chain?: readonly Certificate[]): RuleContext {
  return new CertificateContext(certificate, chain) as RuleContext;
}

/**
 * The normalized form (`normalizeDN`) of a name field of a context, from the certificate's
 * DER when we built the context, else from the string. `undefined` if it is not a name.
 */
export function normalizedName(context: object, field: NameField): string | undefined {
  const known = CertificateContext.normalized(context, field);
  if (known !== undefined) return known;
  const text = (context as Record<string, unknown>)[field];
  return typeof text === 'string' ? normalizeOrUndefined(text) : undefined;
}

/** The decoded RDNs of a name field of a context we built; `undefined` for other objects. */
export function nameRDNs(context: object, field: NameField): readonly RDN[] | undefined {
  return CertificateContext.rdns(context, field);
}

/** The values of one attribute (dotted OID) of a name field, most specific first. */
export function nameAttributes(context: object, field: NameField, oid: string): string[] {
  const rdns = CertificateContext.rdns(context, field);
  if (rdns !== undefined) return dnAttribute(rdns, oid);
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
