/**
 * The Certificate model: the structure read once from DER as views into the input (see der.ts
 * for why by hand), the extensions a verifier enforces decoded eagerly (so a malformed one
 * fails at parse time, as in Go and webpki), and everything textual computed on first use.
 */

import { createHash } from 'node:crypto';
import { sameBytes } from './bytes.js';
import {
  bitStringUnusedBits,
  contentOf,
  DerError,
  DerReader,
  decodeBoolean,
  decodeOid,
  decodeSmallInteger,
  decodeTime,
  encodingOf,
  integerBytes,
  TAG,
  toHex,
} from './der.js';
import { attributeText, formatDN } from './dn.js';
import { malformed } from './errors.js';
import {
  type AuthorityKeyIdentifier,
  type BasicConstraints,
  decodeAuthorityKeyIdentifier,
  decodeBasicConstraints,
  decodeExtKeyUsage,
  decodeKeyUsage,
  decodeNameConstraints,
  decodeSubjectAltName,
  decodeSubjectKeyIdentifier,
  type Extension,
  type KeyUsage,
  type NameConstraints,
} from './extensions.js';
import type { GeneralName } from './general-name.js';
import {
  attributeValueAt,
  checkNameContents,
  decodeIssuerNameContents,
  decodeNameContents,
  frozenName,
  OID_COMMON_NAME,
} from './name-der.js';
import { OID } from './oids.js';
import { certificatePem } from './pem.js';
import { type PublicKeyInfo, readPublicKeyInfoContents } from './public-key.js';
import type { RDN } from './rdn.js';
import { formatGeneralName } from './san.js';

export interface AlgorithmIdentifier {
  readonly oid: string;
  /** The encoding of the parameters (e.g. NULL, RSASSA-PSS-params), if present. */
  readonly parameters: Uint8Array | undefined;
}

/** An X.509 certificate. Immutable; construct with `parseCertificates` or `Certificate.fromDER`. */
export class Certificate {
  /** The certificate's DER encoding. */
  readonly der: Uint8Array;
  /** The DER of `tbsCertificate`: what the issuer signed. */
  readonly tbs: Uint8Array;
  /** 1, 2 or 3. */
  readonly version: number;
  /** The outer signatureAlgorithm (checked equal to the one inside tbsCertificate). */
  readonly signatureAlgorithm: AlgorithmIdentifier;
  /** The signatureValue BIT STRING content. */
  readonly signature: Uint8Array;
  /** DER of the issuer and subject Names, compared byte for byte when building chains. */
  readonly issuerDer: Uint8Array;
  readonly subjectDer: Uint8Array;
  /** DER of the SubjectPublicKeyInfo. */
  readonly spki: Uint8Array;
  /** Validity bounds in milliseconds since the epoch, both inclusive (RFC 5280 §4.1.2.5). */
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
  readonly extensions: readonly Extension[];
  /** Two or more extensions with the same OID (RFC 5280 §4.2 forbids it). */
  readonly hasDuplicateExtensions: boolean;
  readonly basicConstraints: BasicConstraints | undefined;
  readonly keyUsage: KeyUsage | undefined;
  /** EKU OIDs; `undefined` when the extension is absent (any purpose). */
  readonly extendedKeyUsage: readonly string[] | undefined;
  readonly subjectKeyIdentifier: Uint8Array | undefined;
  readonly authorityKeyIdentifier: AuthorityKeyIdentifier | undefined;
  readonly nameConstraints: NameConstraints | undefined;
  /** The subjectAltName entries as decoded values; empty when there is no SAN. */
  readonly generalNames: readonly GeneralName[];
  readonly serialBytes: Uint8Array;

  /** Decoded on first use; checked at parse time (see checkNameContents). */
  #subjectName: RDN[] | undefined;
  readonly #subjectStart: number;
  /** Where the most specific commonName's value starts in `der`, or -1 (checkNameContents). */
  readonly #commonNameAt: number;
  readonly #issuerName: RDN[];
  #subject?: string;
  #issuer?: string;
  #subjectAltNames?: readonly string[];
  #fingerprint256?: string;
  readonly #publicKey: PublicKeyInfo;

  private constructor(der: Uint8Array) {
    this.der = der;
    // Two cursors (see DerReader): the outer SEQUENCE, then tbsCertificate field by field, in
    // encoding order, so that the first defect in the bytes is the one reported.
    const r = new DerReader(der);
    r.nextExpect(TAG.SEQUENCE, 'Certificate');
    r.done('Certificate');
    r.enter();
    r.nextExpect(TAG.SEQUENCE, 'tbsCertificate');
    const tbsStart = r.start;
    const tbsValueStart = r.valueStart;
    const tbsEnd = r.end;
    this.tbs = der.subarray(tbsStart, tbsEnd);
    r.nextExpect(TAG.SEQUENCE, 'signatureAlgorithm');
    const algStart = r.start;
    const algEnd = r.end;
    this.signatureAlgorithm = readAlgorithm(r);
    r.next();
    if (bitStringUnusedBits(r) !== 0) throw new DerError('signatureValue has unused bits');
    this.signature = der.subarray(r.valueStart + 1, r.end);
    r.done('Certificate');

    const tbs = new DerReader(der, tbsValueStart, tbsEnd);
    if (tbs.nextIf(0xa0)) {
      const outer = tbs.enter();
      tbs.next();
      const n = decodeSmallInteger(tbs);
      tbs.leave(outer, 'version');
      // DER omits DEFAULT values, so an explicit v1 is a BER-ism.
      if (n === 0 || n > 2) throw new DerError(`unsupported version ${n + 1}`);
      this.version = n + 1;
    } else {
      this.version = 1;
    }
    tbs.next();
    this.serialBytes = integerBytes(tbs);
    tbs.nextExpect(TAG.SEQUENCE, 'tbsCertificate.signature');
    if (!sameRange(der, tbs.start, tbs.end, algStart, algEnd)) {
      throw new DerError('signatureAlgorithm differs from tbsCertificate.signature');
    }
    tbs.nextExpect(TAG.SEQUENCE, 'issuer');
    const issuerValueStart = tbs.valueStart;
    const issuerEnd = tbs.end;
    this.issuerDer = der.subarray(tbs.start, issuerEnd);
    tbs.nextExpect(TAG.SEQUENCE, 'validity');
    const outer = tbs.enter();
    tbs.next();
    this.notBeforeMs = decodeTime(tbs);
    tbs.next();
    this.notAfterMs = decodeTime(tbs);
    tbs.leave(outer, 'validity');
    tbs.nextExpect(TAG.SEQUENCE, 'subject');
    this.subjectDer = der.subarray(tbs.start, tbs.end);
    // Names are checked now, so that a certificate with a malformed Name fails here as
    // `malformed` rather than later from a getter. The issuer's is decoded (it is nearly
    // always a memo hit); the subject's on first use, since few validations read it.
    this.#issuerName = decodeIssuerNameContents(der, issuerValueStart, issuerEnd);
    this.#commonNameAt = checkNameContents(der, tbs.valueStart, tbs.end);
    this.#subjectStart = tbs.valueStart;
    tbs.nextExpect(TAG.SEQUENCE, 'subjectPublicKeyInfo');
    this.spki = der.subarray(tbs.start, tbs.end);
    // Read now for the same reason as the names: a bad key encoding is a malformed certificate.
    this.#publicKey = readPublicKeyInfoContents(tbs);
    const issuerUniqueId = tbs.nextIf(0x81);
    const subjectUniqueId = tbs.nextIf(0x82);
    // RFC 5280 §4.1.2.8: unique identifiers only from v2 on.
    if ((issuerUniqueId || subjectUniqueId) && this.version === 1) {
      throw new DerError('unique identifiers in a v1 certificate');
    }
    const hasExtensions = tbs.nextIf(0xa3);
    tbs.done('tbsCertificate');
    if (hasExtensions && this.version !== 3) {
      throw new DerError('extensions in a pre-v3 certificate');
    }
    this.extensions = hasExtensions ? readExtensions(tbs) : [];

    const duplicates = hasDuplicateOids(this.extensions);
    let bc: BasicConstraints | undefined;
    let ku: KeyUsage | undefined;
    let eku: string[] | undefined;
    let ski: Uint8Array | undefined;
    let aki: AuthorityKeyIdentifier | undefined;
    let nc: NameConstraints | undefined;
    let san: GeneralName[] = [];
    for (const ext of this.extensions) {
      switch (ext.oid) {
        case OID.basicConstraints:
          bc = decodeBasicConstraints(ext.value);
          break;
        case OID.keyUsage:
          ku = decodeKeyUsage(ext.value);
          break;
        case OID.extKeyUsage:
          eku = decodeExtKeyUsage(ext.value);
          break;
        case OID.subjectKeyIdentifier:
          ski = decodeSubjectKeyIdentifier(ext.value);
          break;
        case OID.authorityKeyIdentifier:
          aki = decodeAuthorityKeyIdentifier(ext.value);
          break;
        case OID.nameConstraints:
          nc = decodeNameConstraints(ext.value);
          break;
        case OID.subjectAltName:
          san = decodeSubjectAltName(ext.value);
          break;
      }
    }
    this.hasDuplicateExtensions = duplicates;
    this.basicConstraints = bc;
    this.keyUsage = ku;
    this.extendedKeyUsage = eku;
    this.subjectKeyIdentifier = ski;
    this.authorityKeyIdentifier = aki;
    this.nameConstraints = nc;
    this.generalNames = san;
  }

  /**
   * Parses one DER certificate. The bytes are used as they are (not copied): do not change
   * them afterwards. Throws MtlsError 4018 `malformed` with what was wrong.
   */
  static fromDER(der: Uint8Array): Certificate {
    try {
      return new Certificate(der);
    } catch (error) {
      if (looksLikePem(der)) {
        // readFileSync(path) without an encoding: the usual way PEM text arrives as bytes.
        throw malformed(
          'not a valid X.509 certificate: these bytes are PEM text, not DER (pass PEM as a string, e.g. readFileSync(path, "utf8"))',
          error,
        );
      }
      if (error instanceof DerError) {
        throw malformed(`not a valid X.509 certificate: ${error.message}`, error);
      }
      throw malformed('not a valid X.509 certificate', error);
    }
  }

  /** Subject RDNs in encoding order (least specific first). */
  get subjectName(): readonly RDN[] {
    this.#subjectName ??= frozenName(
      decodeNameContents(this.der, this.#subjectStart, this.#subjectEnd),
    );
    return this.#subjectName;
  }

  /**
   * The most specific subject commonName (from the last RDN holding one) as text, `#hex` for
   * a value that is not a string, or `undefined`: what a rule's `CN` reads. Located at parse
   * time; the value alone is decoded on each read.
   */
  get commonName(): string | undefined {
    const at = this.#commonNameAt;
    if (at < 0) return undefined;
    return attributeText(attributeValueAt(this.der, at, this.#subjectEnd, OID_COMMON_NAME));
  }

  get #subjectEnd(): number {
    return this.subjectDer.byteOffset - this.der.byteOffset + this.subjectDer.length;
  }

  /** Issuer RDNs in encoding order (least specific first). */
  get issuerName(): readonly RDN[] {
    return this.#issuerName;
  }

  /** The subject as an RFC 4514 string (`CN=RootCA,O=Org,C=US`). */
  get subject(): string {
    this.#subject ??= formatDN(this.subjectName);
    return this.#subject;
  }

  /** The issuer as an RFC 4514 string. */
  get issuer(): string {
    this.#issuer ??= formatDN(this.issuerName);
    return this.#issuer;
  }

  /** subjectAltName entries in canonical spelling (`DNS:`, `IP:`, `URI:`, `Email:` …). */
  get subjectAltNames(): readonly string[] {
    this.#subjectAltNames ??= Object.freeze(this.generalNames.map(formatGeneralName));
    return this.#subjectAltNames;
  }

  /** The serial number as lower-case hex of its DER content octets. */
  get serialNumber(): string {
    return toHex(this.serialBytes);
  }

  get notBefore(): Date {
    return new Date(this.notBeforeMs);
  }

  get notAfter(): Date {
    return new Date(this.notAfterMs);
  }

  /** SHA-256 of the DER, lower-case hex without separators. */
  get fingerprint256(): string {
    this.#fingerprint256 ??= createHash('sha256').update(this.der).digest('hex');
    return this.#fingerprint256;
  }

  /** basicConstraints cA=TRUE. */
  get isCA(): boolean {
    return this.basicConstraints?.ca === true;
  }

  /** Subject and issuer are the same name (byte for byte). */
  get isSelfIssued(): boolean {
    return sameBytes(this.subjectDer, this.issuerDer);
  }

  get publicKey(): PublicKeyInfo {
    return this.#publicKey;
  }

  /** PEM encoding with 64-character lines. */
  get pem(): string {
    return certificatePem(this.der);
  }

  /** The extension with this OID, if present. */
  extension(oid: string): Extension | undefined {
    return this.extensions.find((e) => e.oid === oid);
  }

  toString(): string {
    return `Certificate(${this.subject})`;
  }
}

/** The AlgorithmIdentifier SEQUENCE `r` has just read; leaves `r` after it. */
function readAlgorithm(r: DerReader): AlgorithmIdentifier {
  const outer = r.enter();
  r.nextExpect(TAG.OID, 'algorithm');
  const oid = decodeOid(r);
  let params: Uint8Array | undefined;
  if (r.hasMore()) {
    r.next();
    params = encodingOf(r);
  }
  r.leave(outer, 'AlgorithmIdentifier');
  return { oid, parameters: params };
}

/** The Extensions inside the `[3]` wrapper `r` has just read; leaves `r` inside them. */
function readExtensions(r: DerReader): Extension[] {
  r.enter();
  r.nextExpect(TAG.SEQUENCE, 'Extensions');
  r.done('extensions');
  r.enter();
  const out: Extension[] = [];
  while (r.hasMore()) {
    r.nextExpect(TAG.SEQUENCE, 'Extension');
    const outer = r.enter();
    r.nextExpect(TAG.OID, 'extnID');
    const oid = decodeOid(r);
    let critical = false;
    if (r.nextIf(TAG.BOOLEAN)) {
      critical = decodeBoolean(r);
      if (!critical) throw new DerError('critical FALSE must be omitted in DER');
    }
    r.nextExpect(TAG.OCTET_STRING, 'extnValue');
    const value = contentOf(r);
    r.leave(outer, 'Extension');
    out.push({ oid, critical, value });
  }
  if (out.length === 0) throw new DerError('empty Extensions');
  return out;
}

/**
 * Whether two extensions share an OID. A pairwise scan for the usual handful (OIDs are
 * memoized strings, so most comparisons are by reference) is cheaper than a Set per parse; a
 * Set above that, so that a certificate stuffed with extensions stays linear.
 */
function hasDuplicateOids(extensions: readonly Extension[]): boolean {
  const n = extensions.length;
  if (n > 16) return new Set(extensions.map((e) => e.oid)).size !== n;
  for (let i = 1; i < n; i++) {
    const oid = extensions[i]!.oid;
    for (let j = 0; j < i; j++) if (extensions[j]!.oid === oid) return true;
  }
  return false;
}

function sameRange(bytes: Uint8Array, a: number, aEnd: number, b: number, bEnd: number): boolean {
  if (aEnd - a !== bEnd - b) return false;
  for (let i = 0; i < aEnd - a; i++) if (bytes[a + i] !== bytes[b + i]) return false;
  return true;
}

/** Whether `bytes` begin with the five dashes of a PEM boundary (after any whitespace). */
function looksLikePem(bytes: unknown): boolean {
  if (!(bytes instanceof Uint8Array)) return false;
  let i = 0;
  while (
    i < bytes.length &&
    i < 64 &&
    (bytes[i] === 0x20 || (bytes[i]! >= 0x09 && bytes[i]! <= 0x0d))
  ) {
    i++;
  }
  for (let k = 0; k < 5; k++) if (bytes[i + k] !== 0x2d) return false;
  return true;
}
