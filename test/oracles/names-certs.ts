/**
 * Certificates with unusual names for the names oracle tests: some made by the `openssl` CLI
 * from `-subj` / `-addext` text (the spellings people type), some signed by @peculiar/x509
 * over a Name we encode by hand, to reach the string types no CLI lets one choose (BMPString,
 * UniversalString, TeletexString), unknown attribute types and control characters.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RDN } from '../../src/index.js';
import { newKeys, x509 } from '../fixtures/pki.js';

export interface OracleCert {
  readonly id: string;
  readonly pem: string;
  readonly der: Uint8Array;
  readonly path: string;
  /** False for the names OpenSSL cannot load (a non-string attribute value). */
  readonly openssl: boolean;
}

/** True when `command --version`-like probing succeeds. */
export function hasTool(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

const SAN = [
  'DNS:API.Example.COM',
  'DNS:*.wild.example',
  'DNS:trailing.example.',
  'IP:10.0.0.1',
  'IP:2001:db8:0:0:1:0:0:1',
  'IP:::ffff:192.0.2.1',
  'IP:::1',
  'IP:fe80::200:5eff:fe00:5213',
  'email:Jane.Doe@EXAMPLE.com',
  'URI:https://x.example/a?b=c&d=e',
  'URI:spiffe://example.org/ns/prod/sa/api',
  'otherName:1.3.6.1.4.1.311.20.2.3;UTF8:jane@corp.example',
  'RID:1.2.3.4',
  'dirName:dir_sect',
  'DNS:API.Example.COM',
].join(',');

/** `-subj` strings (OpenSSL slash syntax, encoding order, `+` for multi-valued RDNs). */
const OPENSSL_SUBJECTS: ReadonlyArray<readonly [string, string]> = [
  ['plain', '/C=US/O=Org/CN=RootCA'],
  ['multi-valued', '/C=US/O=Org/OU=b+OU=a/CN=x+UID=u7'],
  ['utf8', '/C=DE/O=Bücher GmbH/CN=Lučić ✓ 🔒'],
  ['specials', '/CN= lead and trail /O=#hash/OU=x\\+y;z<w>"q"\\\\ back=eq, comma'],
  ['email-dc-uid', '/DC=net/DC=example/UID=jsmith/emailAddress=User@Example.COM'],
  [
    'many-types',
    '/C=US/ST=CA/L=SF/street=1 Main/postalCode=94000/serialNumber=123/SN=Doe/GN=Jane/title=Dr/CN=Jane Doe',
  ],
  ['spaces-inside', '/O=A   B/CN=  x  y  '],
];

/** Names encoded by hand: [id, RDNs of [OID arcs as DER bytes, tag, value bytes]]. */
export type RawAttr = readonly [oid: readonly number[], tag: number, value: Uint8Array];
const C = [0x55, 0x04, 0x06];
const CN = [0x55, 0x04, 0x03];
const O = [0x55, 0x04, 0x0a];
const OU = [0x55, 0x04, 0x0b];
const UNKNOWN = [0x2a, 0x03, 0x04]; // 1.2.3.4
const utf8 = (s: string) => new TextEncoder().encode(s);
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const ucs = (s: string, width: 2 | 4) =>
  Uint8Array.from(
    Array.from(s).flatMap((c) => {
      const n = c.codePointAt(0)!;
      return width === 2
        ? [n >> 8, n & 0xff]
        : [n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
    }),
  );

const RAW_NAMES: ReadonlyArray<readonly [string, ReadonlyArray<ReadonlyArray<RawAttr>>]> = [
  [
    'string-types',
    [[[O, 0x1e, ucs('Bücher ✓', 2)]], [[OU, 0x14, latin1('Café')]], [[CN, 0x1c, ucs('Ab ✓ é', 4)]]],
  ],
  // 'plain' spelled differently: other string types, case and spaces; the same name.
  [
    'plain-respelled',
    [[[C, 0x0c, utf8('us')]], [[O, 0x0c, utf8('ORG')]], [[CN, 0x0c, utf8(' rootca ')]]],
  ],
  // 'string-types' in UTF8String: the same text, so the same name here (not in Java).
  [
    'string-types-utf8',
    [[[O, 0x0c, utf8('Bücher ✓')]], [[OU, 0x0c, utf8('Café')]], [[CN, 0x0c, utf8('Ab ✓ é')]]],
  ],
  ['unknown-type', [[[UNKNOWN, 0x0c, utf8('Foo')]], [[CN, 0x13, utf8('x')]]]],
  // OpenSSL (and so Node) refuses to load a certificate with a non-string attribute value.
  ['non-string', [[[UNKNOWN, 0x04, Uint8Array.of(1, 2, 3)]], [[CN, 0x13, utf8('x')]]]],
  ['controls', [[[O, 0x0c, utf8('line\nbreak\ttab')]], [[CN, 0x0c, utf8('nul\u0000x')]]]],
  ['empty-and-hash', [[[O, 0x0c, utf8('')]], [[CN, 0x0c, utf8('#1')]]]],
  [
    'three-valued',
    [
      [
        [CN, 0x0c, utf8('c')],
        [OU, 0x0c, utf8('a,b')],
        [O, 0x13, utf8('x')],
      ],
    ],
  ],
];

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  return [0x82, n >> 8, n & 0xff];
}

function tlv(tag: number, body: Uint8Array | readonly number[]): number[] {
  return [tag, ...derLength(body.length), ...body];
}

/** The DER of a Name made of the given RDNs (attribute OIDs as DER content octets). */
export function encodeName(rdns: ReadonlyArray<ReadonlyArray<RawAttr>>): Uint8Array {
  const sets = rdns.flatMap((rdn) =>
    tlv(
      0x31,
      rdn.flatMap(([oid, tag, value]) => tlv(0x30, [...tlv(0x06, oid), ...tlv(tag, value)])),
    ),
  );
  return Uint8Array.from(tlv(0x30, sets));
}

const CONFIG = `[req]
distinguished_name = dn
utf8 = yes
[dn]
[dir_sect]
CN = dir, x
O = o
`;

/** Generates every oracle certificate into a fresh temporary directory. */
export async function oracleCertificates(): Promise<OracleCert[]> {
  const dir = mkdtempSync(join(tmpdir(), 'mtls-gate-names-'));
  const out: OracleCert[] = [];
  if (hasTool('openssl', ['version'])) {
    const key = join(dir, 'key.pem');
    const config = join(dir, 'openssl.cnf');
    writeFileSync(config, CONFIG);
    execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key]);
    for (const [id, subj] of OPENSSL_SUBJECTS) {
      const path = join(dir, `${id}.pem`);
      execFileSync(
        'openssl',
        ['req', '-x509', '-new', '-key', key, '-days', '2', '-config', config, '-utf8'].concat([
          '-multivalue-rdn',
          '-subj',
          subj,
          '-addext',
          `subjectAltName=${SAN}`,
          '-out',
          path,
        ]),
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      out.push(read(id, path));
    }
  }
  for (const [id, rdns] of RAW_NAMES) {
    const path = join(dir, `${id}.pem`);
    writeFileSync(path, (await selfSigned(encodeName(rdns), id)).pem);
    out.push(read(id, path));
  }
  return out;
}

/** A self-signed certificate whose subject and issuer are the given Name DER. */
export async function selfSigned(name: Uint8Array, id = 'generated') {
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: new x509.Name(name.slice().buffer as ArrayBuffer),
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2027-01-01T00:00:00Z'),
    keys: await newKeys('P-256'),
    // certificate.ts refuses an empty Extensions, which @peculiar/x509 writes when given none.
    extensions: [
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: `${id}.example` }]),
    ],
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as Algorithm,
  });
  return { pem: cert.toString('pem'), der: new Uint8Array(cert.rawData) };
}

function read(id: string, path: string): OracleCert {
  const pem = readFileSync(path, 'utf8');
  const der = new Uint8Array(x509.PemConverter.decodeFirst(pem));
  return { id, pem, der, path, openssl: id !== 'non-string' };
}

/** RDNs with each RDN's attributes sorted and `#hex` kept only for non-string values. */
export function shape(rdns: readonly RDN[]): string[][] {
  return rdns.map((rdn) =>
    rdn
      .map((a) =>
        a.ber !== undefined && a.value === '' && !isEmptyString(a.ber)
          ? `${a.type}=#${Buffer.from(a.ber).toString('hex')}`
          : `${a.type}=${a.value}`,
      )
      .sort(),
  );
}

/** An empty value of an X.520 string type (`#0C00` in RFC 2253 output is the empty text). */
function isEmptyString(ber: Uint8Array): boolean {
  return (
    ber.length === 2 &&
    ber[1] === 0 &&
    [0x0c, 0x12, 0x13, 0x14, 0x16, 0x1a, 0x1c, 0x1e].includes(ber[0]!)
  );
}
