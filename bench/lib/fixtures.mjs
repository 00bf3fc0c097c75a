// The benchmark's PKIs, generated at start-up with node:crypto keys and the DER writer:
// for each algorithm a root, an intermediate, a few hundred leaves under that intermediate
// (the cold figure: a new leaf every call), a few hundred (intermediate, leaf) pairs under the
// root ("everything new"), and a store of unrelated CAs with many distinct subjects that
// reuse a handful of keys (only names and count matter for the store figures).
//
// The certificates follow the RFC 5280 profile mtls-gate enforces by default (key
// identifiers, critical basicConstraints on CAs, clientAuth EKU on leaves, positive serials),
// so every contender is measured on a chain it accepts.

import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import {
  bits,
  bool,
  explicit,
  nul,
  octets,
  oid,
  printable,
  seq,
  set,
  time,
  tlv,
  uint,
  utf8,
} from './der-writer.mjs';

const DAY = 86_400_000;

export const ALGORITHMS = ['P-256', 'RSA-2048', 'Ed25519'];

const SIG = {
  'P-256': { alg: () => seq(oid('1.2.840.10045.4.3.2')), hash: 'sha256' },
  'RSA-2048': { alg: () => seq(oid('1.2.840.113549.1.1.11'), nul()), hash: 'sha256' },
  Ed25519: { alg: () => seq(oid('1.3.101.112')), hash: null },
};

/** A key pair of `kind` with its SPKI DER and key identifier. */
export function newKey(kind) {
  const pair =
    kind === 'P-256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : kind === 'RSA-2048'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ed25519');
  const spki = pair.publicKey.export({ type: 'spki', format: 'der' });
  // Method 1 of RFC 5280 §4.2.1.2 uses SHA-1 of the key bits; any stable 20 octets will do.
  const keyId = createHash('sha256').update(spki).digest().subarray(0, 20);
  return { kind, ...pair, spki, keyId };
}

/** RDNSequence from [[type OID, value], …] (most general first). */
function name(attrs) {
  return seq(
    ...attrs.map(([type, value]) =>
      set(seq(oid(type), type === '2.5.4.6' ? printable(value) : utf8(value))),
    ),
  );
}

const CN = '2.5.4.3';
const O = '2.5.4.10';
const C = '2.5.4.6';

function extension(id, critical, value) {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

let serialCounter = 1;

/**
 * Issues one certificate. `issuer` = { key, nameDer } (omitted: self-signed with `key`).
 * Returns { der, nameDer, key }.
 */
export function issue({ subject, key, issuer, ca, now, days = 365, san }) {
  const signer = issuer ?? { key, nameDer: name(subject) };
  const nameDer = name(subject);
  const exts = [];
  if (ca) {
    exts.push(extension('2.5.29.19', true, seq(bool(true))));
    // keyCertSign (bit 5) and cRLSign (bit 6): one unused bit.
    exts.push(extension('2.5.29.15', true, tlv(0x03, Buffer.from([0x01, 0x06]))));
  } else {
    // digitalSignature (bit 0): seven unused bits.
    exts.push(extension('2.5.29.15', true, tlv(0x03, Buffer.from([0x07, 0x80]))));
    exts.push(extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.2'))));
    if (san)
      exts.push(extension('2.5.29.17', false, seq(...san.map((d) => tlv(0x82, Buffer.from(d))))));
  }
  exts.push(extension('2.5.29.14', false, octets(key.keyId)));
  exts.push(extension('2.5.29.35', false, seq(tlv(0x80, signer.key.keyId))));
  const serial = Buffer.concat([Buffer.from([0x40 | (serialCounter++ & 0x3f)]), randomBytes(11)]);
  const sigAlg = SIG[signer.key.kind].alg();
  const tbs = seq(
    explicit(0, uint([2])),
    uint(serial),
    sigAlg,
    signer.nameDer,
    seq(time(new Date(now - DAY)), time(new Date(now + days * DAY))),
    nameDer,
    key.spki,
    explicit(3, seq(...exts)),
  );
  const signature = sign(SIG[signer.key.kind].hash, tbs, signer.key.privateKey);
  const der = seq(tbs, sigAlg, bits(signature));
  return { der: new Uint8Array(der), nameDer, key, tbs, signature };
}

export function pem(der) {
  const b64 = Buffer.from(der)
    .toString('base64')
    .match(/.{1,64}/g)
    .join('\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/**
 * One algorithm's PKI: root → intermediate → `leaves` leaves, plus `pairs` fresh
 * (intermediate, leaf) pairs under the same root.
 */
export function chainFixture(kind, { leaves, pairs, now = Date.now() }) {
  const rootKey = newKey(kind);
  const interKey = newKey(kind);
  // Leaf keys do not take part in validating the leaf: a few are enough.
  const leafKeys = Array.from({ length: 4 }, () => newKey(kind));
  const org = `Bench ${kind}`;
  const root = issue({
    subject: [
      [C, 'US'],
      [O, org],
      [CN, `${kind} Root`],
    ],
    key: rootKey,
    ca: true,
    now,
    days: 3650,
  });
  const inter = issue({
    subject: [
      [C, 'US'],
      [O, org],
      [CN, `${kind} Issuing CA`],
    ],
    key: interKey,
    issuer: root,
    ca: true,
    now,
    days: 1825,
  });
  const leafList = [];
  for (let i = 0; i < leaves; i++) {
    leafList.push(
      issue({
        subject: [
          [C, 'US'],
          [O, org],
          [CN, `svc-${i}`],
        ],
        key: leafKeys[i % leafKeys.length],
        issuer: inter,
        now,
        san: [`svc-${i}.bench.example`],
      }),
    );
  }
  const pairList = [];
  for (let i = 0; i < pairs; i++) {
    const ik =
      i % 8 === 0 || pairList.length === 0
        ? newKeyCached(kind, i)
        : pairList[pairList.length - 1].inter.key;
    const pInter = issue({
      subject: [
        [C, 'US'],
        [O, org],
        [CN, `${kind} Issuing CA ${i}`],
      ],
      key: ik,
      issuer: root,
      ca: true,
      now,
      days: 1825,
    });
    const pLeaf = issue({
      subject: [
        [C, 'US'],
        [O, org],
        [CN, `svc-new-${i}`],
      ],
      key: leafKeys[i % leafKeys.length],
      issuer: pInter,
      now,
      san: [`svc-new-${i}.bench.example`],
    });
    pairList.push({ inter: pInter, leaf: pLeaf });
  }
  return { kind, root, inter, leaves: leafList, pairs: pairList };
}

// RSA key generation costs ~100 ms: a few intermediate keys, reused across fresh intermediates
// (each is still a new certificate, and a new certificate means a new key import to every
// contender, which keys its caches by certificate).
const pairKeys = new Map();
function newKeyCached(kind, i) {
  const slot = `${kind}:${Math.floor(i / 8) % 4}`;
  let k = pairKeys.get(slot);
  if (!k) {
    k = newKey(kind);
    pairKeys.set(slot, k);
  }
  return k;
}

/**
 * `bundles` × `perBundle` self-signed CAs with distinct subjects, on four Ed25519 keys.
 * Returns DER arrays per bundle.
 */
export function unrelatedStore({ bundles, perBundle, now = Date.now() }) {
  const keys = Array.from({ length: 4 }, () => newKey('Ed25519'));
  const out = [];
  for (let b = 0; b < bundles; b++) {
    const list = [];
    for (let i = 0; i < perBundle; i++) {
      const key = keys[(b * perBundle + i) % keys.length];
      list.push(
        issue({
          subject: [
            [C, 'US'],
            [O, `Tenant ${b}`],
            [CN, `Unrelated CA ${b}-${i}`],
          ],
          key,
          ca: true,
          now,
          days: 3650,
        }).der,
      );
    }
    out.push(list);
  }
  return out;
}
