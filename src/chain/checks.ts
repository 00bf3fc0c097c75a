/**
 * Per-certificate checks by role. The leaf is checked once, before any path is searched;
 * every issuer (intermediate or anchor) when it is considered for a path. Each check returns
 * the reason and a detail; the caller names the certificate and its position.
 *
 * Anchors are checked like intermediates, validity included. RFC 5280 §6.1.1(d) lets an
 * implementation take only the anchor's name and key, but an mTLS bundle is a set of
 * certificates an operator chose, and an expired or non-CA certificate in it is more likely
 * a mistake to report than an intent to honour (OpenSSL with -x509_strict, Go and webpki
 * check anchors' basicConstraints too, and OpenSSL checks their validity).
 */

import { sameBytes } from '../bytes.js';
import type { Certificate } from '../certificate.js';
import { checkKeyStrength } from '../crypto/algorithms.js';
import { DerError, DerReader, decodeOid, TAG } from '../der.js';
import type { InvalidReason } from '../errors.js';
import type { Extension } from '../extensions.js';
import { decodeGeneralName } from '../general-name.js';
import { KNOWN_EXTENSIONS, OID } from '../oids.js';
import type { ResolvedOptions } from './options.js';

/** A failed check: the reason, and what was wrong (without naming the certificate). */
export interface CheckFailure {
  readonly reason: InvalidReason;
  readonly detail: string;
}

const fail = (reason: InvalidReason, detail: string): CheckFailure => ({ reason, detail });

/** Validity, inclusive at both ends to the second (RFC 5280 §4.1.2.5). */
export function checkValidity(cert: Certificate, atMs: number): CheckFailure | undefined {
  if (atMs < cert.notBeforeMs) {
    return fail('not-yet-valid', `not valid before ${cert.notBefore.toISOString()}`);
  }
  if (atMs > cert.notAfterMs) return fail('expired', `expired at ${cert.notAfter.toISOString()}`);
  return undefined;
}

/** Extensions: none twice (RFC 5280 §4.2), no critical one we do not enforce. */
function checkExtensions(cert: Certificate): CheckFailure | undefined {
  if (cert.hasDuplicateExtensions) {
    return fail('unsupported-critical-extension', 'an extension appears twice (RFC 5280 §4.2)');
  }
  for (const ext of cert.extensions) {
    if (ext.critical && !KNOWN_EXTENSIONS.has(ext.oid)) {
      return fail('unsupported-critical-extension', `unknown critical extension ${ext.oid}`);
    }
  }
  return undefined;
}

type Role = 'leaf' | 'intermediate' | 'anchor';

/**
 * The RFC 5280 profile rules of `strict` mode: names (§4.1.2.4, §4.1.2.6), serial number
 * (§4.1.2.2: positive, at most 20 octets), key identifiers (§4.2.1.1, §4.2.1.2: non-critical,
 * an AKI keyIdentifier on every certificate that is not self-issued, a SKI on every CA),
 * basicConstraints critical on CAs (§4.2.1.9), policyConstraints critical (§4.2.1.11: and a
 * critical one is refused as an extension this verifier does not process, so strict mode
 * refuses any certificate that carries policyConstraints), and
 * a well-formed authorityInfoAccess (§4.2.2.1), subjectAltName critical only with an empty
 * subject (§4.2.1.6), nameConstraints critical (§4.2.1.10). Anchors are exempt from the serial
 * and AKI-presence rules: they are trusted as configured (an issuing CA trusted directly is
 * often cross-signed or old), and long-lived roots with serial 0 are still in service.
 */
function checkProfile(cert: Certificate, role: Role): CheckFailure | undefined {
  const failure = profileFailure(cert, role);
  // Say how to relax it: quick-start PKIs (`openssl x509 -req` without an extension file
  // makes v1 leaves without AKI) meet these rules first.
  return (
    failure && {
      ...failure,
      detail: `${failure.detail} (RFC 5280 profile; the strict: false option relaxes it)`,
    }
  );
}

function profileFailure(cert: Certificate, role: Role): CheckFailure | undefined {
  if (role !== 'anchor') {
    const serial = cert.serialBytes;
    if (serial[0]! & 0x80) return fail('invalid-encoding', 'negative serial number');
    if (serial.length === 1 && serial[0] === 0) return fail('invalid-encoding', 'serial number 0');
    if (serial.length > 21 || (serial.length === 21 && serial[0] !== 0)) {
      return fail('invalid-encoding', 'serial number longer than 20 octets');
    }
  }
  const ext = profileExtensions(cert);
  // An empty Name is the SEQUENCE header alone: 30 00.
  if (cert.issuerDer.length === 2) return fail('invalid-encoding', 'empty issuer name');
  if (cert.subjectDer.length === 2) {
    if (role !== 'leaf') return fail('invalid-encoding', 'a CA with an empty subject name');
    if (ext.san?.critical !== true) {
      return fail('invalid-encoding', 'empty subject without a critical subjectAltName');
    }
  }
  if (ext.aki?.critical) return fail('invalid-encoding', 'authorityKeyIdentifier is critical');
  if (ext.ski?.critical) return fail('invalid-encoding', 'subjectKeyIdentifier is critical');
  const aki = cert.authorityKeyIdentifier;
  const ski = cert.subjectKeyIdentifier;
  if (aki && !aki.keyIdentifier) {
    return fail('invalid-encoding', 'authorityKeyIdentifier without keyIdentifier');
  }
  if (!aki && role !== 'anchor' && !cert.isSelfIssued) {
    return fail('invalid-encoding', 'no authorityKeyIdentifier');
  }
  // A self-signed CA names its own key: a different identifier is a broken one. (A
  // self-issued certificate of a key rollover legitimately differs, but it is not an anchor.)
  if (role === 'anchor' && aki?.keyIdentifier && ski && isSelfSignedShape(cert)) {
    if (!sameBytes(aki.keyIdentifier, ski)) {
      return fail('invalid-encoding', 'self-signed, but its authorityKeyIdentifier is not its SKI');
    }
  }
  if (role !== 'leaf') {
    if (!ski) return fail('invalid-encoding', 'a CA without subjectKeyIdentifier');
    if (ext.bc?.critical !== true) {
      return fail('invalid-encoding', 'basicConstraints of a CA is not critical');
    }
  }
  if (ext.san?.critical && cert.subjectDer.length > 2) {
    // §4.2.1.6: critical only when the subject is empty, so that a verifier that does not
    // read SANs cannot take the subject for the identity.
    return fail('invalid-encoding', 'subjectAltName is critical but the subject is not empty');
  }
  if (ext.nc && !ext.nc.critical) {
    return fail('invalid-encoding', 'nameConstraints is not critical');
  }
  if (ext.pc && !ext.pc.critical) {
    return fail('invalid-encoding', 'policyConstraints is not critical');
  }
  if (ext.aia && !isAccessDescriptions(ext.aia.value)) {
    return fail('invalid-encoding', 'authorityInfoAccess is not a list of access descriptions');
  }
  return undefined;
}

/** The extensions the profile rules read. */
interface ProfileExtensions {
  aki?: Extension;
  ski?: Extension;
  bc?: Extension;
  san?: Extension;
  nc?: Extension;
  pc?: Extension;
  aia?: Extension;
}

/**
 * The extensions the profile reads, in one pass: this runs for every certificate of every
 * path, and a lookup per rule was seven scans of the list.
 */
function profileExtensions(cert: Certificate): ProfileExtensions {
  const found: ProfileExtensions = {};
  for (const e of cert.extensions) {
    switch (e.oid) {
      case OID.authorityKeyIdentifier:
        found.aki ??= e;
        break;
      case OID.subjectKeyIdentifier:
        found.ski ??= e;
        break;
      case OID.basicConstraints:
        found.bc ??= e;
        break;
      case OID.subjectAltName:
        found.san ??= e;
        break;
      case OID.nameConstraints:
        found.nc ??= e;
        break;
      case OID.policyConstraints:
        found.pc ??= e;
        break;
      case OID.authorityInfoAccess:
        found.aia ??= e;
        break;
    }
  }
  return found;
}

/** Self-issued with AKI = SKI expected: a root, as far as its own fields tell. */
function isSelfSignedShape(cert: Certificate): boolean {
  return cert.isSelfIssued && cert.isCA;
}

/** AuthorityInfoAccessSyntax ::= SEQUENCE SIZE (1..MAX) OF SEQUENCE { OID, GeneralName }. */
function isAccessDescriptions(value: Uint8Array): boolean {
  try {
    const outer = new DerReader(value);
    const seq = DerReader.inside(outer.expect(TAG.SEQUENCE, 'AuthorityInfoAccessSyntax'));
    outer.done('AuthorityInfoAccessSyntax');
    let count = 0;
    while (seq.hasMore()) {
      const ad = DerReader.inside(seq.expect(TAG.SEQUENCE, 'AccessDescription'));
      decodeOid(ad.expect(TAG.OID, 'accessMethod'));
      decodeGeneralName(ad.read());
      ad.done('AccessDescription');
      count++;
    }
    return count > 0;
  } catch (error) {
    if (error instanceof DerError) return false;
    throw error;
  }
}

/**
 * EKU policy. The leaf must list the purpose asked for; anyExtendedKeyUsage alone does not
 * satisfy a specific purpose (as OpenSSL's purpose check and webpki read it; RFC 5280
 * §4.2.1.12 leaves it to the application). A leaf without EKU allows every purpose. A CA with
 * EKU constrains the certificates below it: it must list the purpose or anyExtendedKeyUsage
 * (as OpenSSL, Go and the browsers do, though RFC 5280 says nothing of EKU in CAs).
 */
function checkEku(cert: Certificate, eku: string, isIssuer: boolean): CheckFailure | undefined {
  const list = cert.extendedKeyUsage;
  // Asking for anyExtendedKeyUsage means "whatever the certificate is for".
  if (!list || eku === OID.anyExtendedKeyUsage || list.includes(eku)) return undefined;
  if (isIssuer && list.includes(OID.anyExtendedKeyUsage)) return undefined;
  return fail(
    'extended-key-usage',
    isIssuer
      ? `its extendedKeyUsage does not allow ${eku} below it`
      : `its extendedKeyUsage does not allow ${eku}`,
  );
}

/** Everything about the leaf that does not depend on the path. */
export function checkLeaf(leaf: Certificate, options: ResolvedOptions): CheckFailure | undefined {
  const ext = checkExtensions(leaf);
  if (ext) return ext;
  if (options.strict) {
    const profile = checkProfile(leaf, 'leaf');
    if (profile) return profile;
  }
  if (leaf.nameConstraints && !leaf.isCA) {
    // RFC 5280 §4.2.1.10: "MUST be used only in a CA certificate".
    return fail('invalid-encoding', 'nameConstraints in a certificate that is not a CA');
  }
  if (leaf.isCA && !options.allowCaLeaf) {
    return fail(
      'not-ca',
      'a CA certificate (basicConstraints cA=TRUE) presented as the client leaf',
    );
  }
  const ku = leaf.keyUsage;
  if (ku) {
    // RFC 5280 §4.2.1.3: keyCertSign requires cA.
    if (ku.keyCertSign && !leaf.isCA) {
      return fail('key-usage', 'keyUsage keyCertSign on a certificate that is not a CA');
    }
    if (!ku.digitalSignature) return fail('key-usage', 'keyUsage does not allow digitalSignature');
  }
  if (options.eku !== undefined) {
    const e = checkEku(leaf, options.eku, false);
    if (e) return e;
  }
  let key: Certificate['publicKey'];
  try {
    key = leaf.publicKey;
  } catch {
    return fail('malformed', 'subjectPublicKeyInfo is not well-formed');
  }
  const weak = checkKeyStrength(key);
  if (weak) return fail(weak.reason, weak.message);
  return checkValidity(leaf, options.atMs);
}

/**
 * The issuer checks that depend on the certificate alone (and the strict switch and role):
 * CA, extensions, profile, keyUsage. The same intermediates and anchors sign client after
 * client, so the answer is kept per Certificate object (whose bytes must not change once
 * parsed: see Certificate.fromDER); this ran for two issuers on every validation and cost
 * ~1 µs of it (measured).
 */
function fixedIssuerChecks(
  issuer: Certificate,
  strict: boolean,
  isAnchor: boolean,
): CheckFailure | undefined {
  const slot = (strict ? 2 : 0) + (isAnchor ? 1 : 0);
  let known = fixedByIssuer.get(issuer);
  const cached = known?.[slot];
  if (cached !== undefined) return cached === null ? undefined : cached;
  const found = computeFixedIssuerChecks(issuer, strict, isAnchor);
  if (!known) {
    known = [undefined, undefined, undefined, undefined];
    fixedByIssuer.set(issuer, known);
  }
  known[slot] = found ?? null;
  return found;
}

/** Per certificate, by slot (strict × anchor): `null` passed, a failure failed. */
const fixedByIssuer = new WeakMap<Certificate, (CheckFailure | null | undefined)[]>();

function computeFixedIssuerChecks(
  issuer: Certificate,
  strict: boolean,
  isAnchor: boolean,
): CheckFailure | undefined {
  if (!issuer.basicConstraints?.ca) {
    return fail('not-ca', 'it issued a certificate but is not a CA (basicConstraints cA)');
  }
  const ext = checkExtensions(issuer);
  if (ext) return ext;
  if (strict) {
    const profile = checkProfile(issuer, isAnchor ? 'anchor' : 'intermediate');
    if (profile) return profile;
  }
  if (issuer.keyUsage && !issuer.keyUsage.keyCertSign) {
    return fail('key-usage', 'keyUsage does not allow keyCertSign');
  }
  return undefined;
}

/**
 * Checks a certificate in an issuer role. `caBelow` is the number of non-self-issued
 * intermediates between it and the leaf, which its pathLenConstraint bounds (RFC 5280
 * §4.2.1.9, §6.1.4(l)).
 */
export function checkIssuer(
  issuer: Certificate,
  caBelow: number,
  options: ResolvedOptions,
  isAnchor: boolean,
): CheckFailure | undefined {
  const fixed = fixedIssuerChecks(issuer, options.strict, isAnchor);
  if (fixed) return fixed;
  const bc = issuer.basicConstraints!;
  if (bc.pathLength !== undefined && caBelow > bc.pathLength) {
    return fail(
      'path-length',
      `pathLenConstraint ${bc.pathLength} but ${caBelow} intermediate CA(s) below it`,
    );
  }
  if (options.eku !== undefined) {
    const e = checkEku(issuer, options.eku, true);
    if (e) return e;
  }
  return checkValidity(issuer, options.atMs);
}
