/**
 * A certificate as the CLI shows it: the fields that matter when debugging mTLS, computed once
 * and shared by the text and JSON outputs of `inspect` and `verify`.
 */

import { createHash } from 'node:crypto';
import { type Certificate, daysLeft, type ValidityStatus, validityStatus } from '../index.js';
import { EKU_BY_NAME, OID } from '../oids.js';
import { formatGeneralName } from '../san.js';
import { printable } from './style.js';

/** The JSON shape of one certificate in `inspect --json` and `verify --json`. */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  subjectAltNames: string[];
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  daysLeft: number;
  /** Whole days since notAfter, only when expired. */
  expiredDaysAgo?: number;
  status: ValidityStatus;
  key: { algorithm: string; bits: number; curve?: string };
  signatureAlgorithm: string;
  fingerprint256: string;
  fingerprint1: string;
  selfIssued: boolean;
  basicConstraints?: { ca: boolean; pathLength?: number; critical: boolean };
  keyUsage?: { usages: string[]; critical: boolean };
  extendedKeyUsage?: { usages: string[]; critical: boolean };
  nameConstraints?: { permitted: string[]; excluded: string[]; critical: boolean };
}

const SIGNATURE_NAMES: Readonly<Record<string, string>> = {
  [OID.sha1WithRSAEncryption]: 'sha1WithRSAEncryption',
  [OID.sha256WithRSAEncryption]: 'sha256WithRSAEncryption',
  [OID.sha384WithRSAEncryption]: 'sha384WithRSAEncryption',
  [OID.sha512WithRSAEncryption]: 'sha512WithRSAEncryption',
  [OID.rsassaPss]: 'RSASSA-PSS',
  [OID.ecdsaWithSHA1]: 'ecdsa-with-SHA1',
  [OID.ecdsaWithSHA256]: 'ecdsa-with-SHA256',
  [OID.ecdsaWithSHA384]: 'ecdsa-with-SHA384',
  [OID.ecdsaWithSHA512]: 'ecdsa-with-SHA512',
  [OID.ed25519]: 'Ed25519',
  [OID.ed448]: 'Ed448',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
};

const EKU_NAMES: ReadonlyMap<string, string> = new Map(
  Object.entries(EKU_BY_NAME)
    .filter(([name]) => name !== 'OCSPSigning')
    .map(([name, oid]) => [oid, name]),
);

/** Colon-separated upper-case hex, as browsers and OpenSSL print fingerprints. */
export function colonHex(hex: string): string {
  return (hex.toUpperCase().match(/../g) ?? []).join(':');
}

/** An ISO-8601 time without milliseconds. */
export function isoTime(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, 'Z');
}

/** Summarises a certificate as of `at`. */
export function summarize(
  certificate: Certificate,
  at: Date,
  expiringWithinDays?: number,
): CertificateSummary {
  const summary: CertificateSummary = {
    subject: certificate.subject,
    issuer: certificate.issuer,
    subjectAltNames: [...certificate.subjectAltNames],
    serialNumber: certificate.serialNumber,
    notBefore: isoTime(certificate.notBefore),
    notAfter: isoTime(certificate.notAfter),
    daysLeft: daysLeft(certificate, at),
    status: validityStatus(certificate, {
      at,
      ...(expiringWithinDays !== undefined ? { expiringWithinDays } : {}),
    }),
    key: describeKey(certificate),
    signatureAlgorithm:
      SIGNATURE_NAMES[certificate.signatureAlgorithm.oid] ?? certificate.signatureAlgorithm.oid,
    fingerprint256: certificate.fingerprint256,
    fingerprint1: createHash('sha1').update(certificate.der).digest('hex'),
    selfIssued: certificate.isSelfIssued,
  };
  if (summary.status === 'expired') {
    summary.expiredDaysAgo = Math.floor((at.getTime() - certificate.notAfterMs) / 86_400_000);
  }
  const critical = (oid: string) => certificate.extension(oid)?.critical === true;
  const bc = certificate.basicConstraints;
  if (bc) {
    summary.basicConstraints = {
      ca: bc.ca,
      ...(bc.pathLength !== undefined ? { pathLength: bc.pathLength } : {}),
      critical: critical(OID.basicConstraints),
    };
  }
  const ku = certificate.keyUsage;
  if (ku) {
    const usages = Object.entries(ku)
      .filter(([, set]) => set)
      .map(([name]) => name);
    summary.keyUsage = { usages, critical: critical(OID.keyUsage) };
  }
  const eku = certificate.extendedKeyUsage;
  if (eku) {
    summary.extendedKeyUsage = {
      usages: eku.map((oid) => EKU_NAMES.get(oid) ?? oid),
      critical: critical(OID.extKeyUsage),
    };
  }
  const nc = certificate.nameConstraints;
  if (nc) {
    summary.nameConstraints = {
      permitted: (nc.permitted ?? []).map((s) => formatGeneralName(s.base)),
      excluded: (nc.excluded ?? []).map((s) => formatGeneralName(s.base)),
      critical: critical(OID.nameConstraints),
    };
  }
  return summary;
}

function describeKey(certificate: Certificate): CertificateSummary['key'] {
  try {
    const { algorithm, bits, curve, oid } = certificate.publicKey;
    return {
      algorithm: algorithm === 'unknown' ? oid : algorithm,
      bits,
      ...(curve !== undefined ? { curve } : {}),
    };
  } catch {
    return { algorithm: 'unreadable', bits: 0 };
  }
}

/** The summary with every text a certificate supplies made safe for a terminal. */
export function printableSummary(c: CertificateSummary): CertificateSummary {
  return {
    ...c,
    subject: printable(c.subject),
    issuer: printable(c.issuer),
    subjectAltNames: c.subjectAltNames.map(printable),
    ...(c.nameConstraints
      ? {
          nameConstraints: {
            ...c.nameConstraints,
            permitted: c.nameConstraints.permitted.map(printable),
            excluded: c.nameConstraints.excluded.map(printable),
          },
        }
      : {}),
  };
}

/** `364 days left`, `expired 3 days ago`, `not yet valid`. */
export function daysText(c: CertificateSummary): string {
  const plural = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
  if (c.status === 'expired') {
    return c.expiredDaysAgo ? `expired ${plural(c.expiredDaysAgo)} ago` : 'expired today';
  }
  if (c.status === 'not-yet-valid') return 'not yet valid';
  return `${plural(c.daysLeft)} left`;
}

/** `EC P-256`, `RSA 2048 bits`, `Ed25519`. */
export function keyText(key: CertificateSummary['key']): string {
  if (key.curve) return `${key.algorithm} ${key.curve}`;
  if (key.algorithm.startsWith('Ed')) return key.algorithm;
  return key.bits > 0 ? `${key.algorithm} ${key.bits} bits` : key.algorithm;
}
