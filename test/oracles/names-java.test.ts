/**
 * Differential test against Java's javax.security.auth.x500.X500Principal: its RFC 2253
 * output must read back to the name mtls-gate decodes, and its CANONICAL form must split a set
 * of spellings into the same classes of equal names as `dnEquals`, except where docs/names.md
 * documents an intended difference (asserted below, so a change on either side shows).
 * One JVM start for every input: the JVM is slow to start.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Certificate,
  dnEquals,
  formatDN,
  normalizeDN,
  parseDN,
  type RDN,
} from '../../src/index.js';
import {
  encodeName,
  hasTool,
  type OracleCert,
  oracleCertificates,
  type RawAttr,
  selfSigned,
  shape,
} from './names-certs.js';

const HAVE_JAVA = hasTool('java', ['-version']);

const JAVA_SOURCE = `
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.security.cert.*;
import java.util.HexFormat;
import javax.security.auth.x500.X500Principal;

public class Names {
  public static void main(String[] args) throws Exception {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    HexFormat hex = HexFormat.of();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(System.out, true, "UTF-8");
    for (String line; (line = in.readLine()) != null; ) {
      try {
        String arg = new String(hex.parseHex(line.substring(line.indexOf(' ') + 1)), StandardCharsets.UTF_8);
        X500Principal p = line.startsWith("cert ")
          ? ((X509Certificate) cf.generateCertificate(new FileInputStream(arg))).getSubjectX500Principal()
          : new X500Principal(arg);
        out.println("OK " + hex.formatHex(p.getName(X500Principal.RFC2253).getBytes(StandardCharsets.UTF_8))
          + " " + hex.formatHex(p.getName(X500Principal.CANONICAL).getBytes(StandardCharsets.UTF_8)));
      } catch (Exception e) {
        out.println("ERR " + hex.formatHex(String.valueOf(e).getBytes(StandardCharsets.UTF_8)));
      }
    }
  }
}
`;

interface JavaName {
  readonly rfc2253: string;
  readonly canonical: string;
}

/** Runs every query through one JVM; each answer is a JavaName or the error text. */
function runJava(queries: readonly string[]): Array<JavaName | string> {
  const dir = mkdtempSync(join(tmpdir(), 'mtls-gate-java-'));
  const source = join(dir, 'Names.java');
  writeFileSync(source, JAVA_SOURCE);
  const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');
  const input = queries.map(
    (q) => `${q.slice(0, q.indexOf(' '))} ${hex(q.slice(q.indexOf(' ') + 1))}`,
  );
  const output = execFileSync('java', [source], {
    input: `${input.join('\n')}\n`,
    encoding: 'utf8',
  });
  const text = (h: string) => Buffer.from(h, 'hex').toString('utf8');
  return output
    .trim()
    .split('\n')
    .map((line) => {
      const [status, a = '', b = ''] = line.split(' ');
      return status === 'OK' ? { rfc2253: text(a), canonical: text(b) } : text(a);
    });
}

/** Spellings Java and mtls-gate must split into the same classes of equal names. */
const AGREED = [
  'CN=RootCA,O=Org,C=US',
  'cn=rootca,o=org,c=us',
  'CN=RootCA, O=Org, C=US',
  'CN=  RootCA ,O=Org,C=US',
  'CN=Root  CA,O=Org,C=US',
  'CN=Root CA,O=Org,C=US',
  'CN=ROOT CA,O=ORG,C=US',
  'O=Org,C=US',
  'C=US,O=Org',
  'OU=a+CN=b,O=x',
  'CN=b+OU=a,O=x',
  'CN=b,OU=a,O=x',
  'CN=a\\,b',
  'CN=a\\2Cb',
  'CN="a,b"',
  'CN=#0C03612C62',
  'CN=#1303612062',
  'CN=a b',
  'CN=café,O=x',
  'CN=CAFÉ,O=x',
  'CN=cafe\u0301,O=x',
  'CN=STRASSE',
  'CN=straße',
  'CN=\\#1',
  'CN=x\\+y',
  'CN=x+OU=y',
  'CN=Σίσυφος',
  'CN=ΣΊΣΥΦΟΣ',
  // Unknown attribute types compare case-sensitively, in Java as here.
  '1.2.3.4=Abc',
  '1.2.3.4=abc',
];

/** Intended differences (docs/names.md): [a, b, mtls-gate says equal, Java says equal]. */
const DIFFERENT: ReadonlyArray<readonly [string, string, boolean, boolean]> = [
  // Java encodes DC and emailAddress as IA5String and compares those as bytes.
  ['DC=Example', 'DC=example', true, false],
  ['emailAddress=A@B.example', 'emailAddress=a@b.example', true, false],
  // Java's CANONICAL trims the space but drops the escape of the "#" that becomes leading,
  // printing "cn=#a" (not even valid RFC 2253) for the second and "cn=\#a" for the first.
  ['CN=\\#a', 'CN=\\ #a', true, false],
];

/**
 * Generated spellings (a fixed seed, so every run asks Java the same questions): names of
 * one to three RDNs over letters that fold in interesting ways (é, ß, Σ/σ/ς), specials that
 * need escaping, and spaces; each printed as is, re-spelled with other case and extra spaces,
 * and changed by one letter.
 */
function generatedSpellings(): string[] {
  const types = ['2.5.4.3', '2.5.4.10', '2.5.4.11', '2.5.4.7', '2.5.4.8'];
  const char = fc.constantFrom(...'aAbBzZ09 éÉßΣσς,+#=;'.split(''));
  const value = fc
    .array(char, { minLength: 1, maxLength: 8 })
    .map((cs) => cs.join(''))
    // A value that starts with "#" once trimmed meets a Java quirk (in DIFFERENT below).
    .filter((v) => v.trim() !== '' && !v.trim().startsWith('#'));
  const name = fc.array(
    fc.array(fc.record({ type: fc.constantFrom(...types), value }), {
      minLength: 1,
      maxLength: 2,
    }),
    { minLength: 1, maxLength: 3 },
  );
  const out: string[] = [];
  fc.sample(fc.tuple(name, fc.array(fc.boolean(), { minLength: 8, maxLength: 8 })), {
    seed: 4514,
    numRuns: 60,
  }).forEach(([rdns, flips]) => {
    const respell = (rdn: RDN): RDN =>
      rdn.map((a, i) => ({
        type: a.type,
        value: ` ${[...a.value]
          .map((c, j) => (flips[(i + j) % 8] ? c.toUpperCase() : c.toLowerCase()))
          .join('')
          .replaceAll(' ', '  ')} `,
      }));
    out.push(formatDN(rdns));
    out.push(
      rdns
        .map((rdn) => formatDN([respell(rdn)]))
        .reverse()
        .join(' , '),
    );
    out.push(
      formatDN(
        rdns.map((rdn, i) =>
          i === 0 ? [{ ...rdn[0]!, value: `${rdn[0]!.value}q` }, ...rdn.slice(1)] : rdn,
        ),
      ),
    );
  });
  return out;
}

/**
 * Generated certificate names (fixed seed) with UTF8String values full of RFC 4514 specials,
 * controls and non-ASCII; Java's RFC 2253 output of each must read back to our decoding.
 * (Java mis-decodes TeletexString and BMPString, so those are left to the Node comparison.)
 */
async function generatedCertificates(): Promise<OracleCert[]> {
  const oids = [
    [0x55, 0x04, 0x03],
    [0x55, 0x04, 0x0a],
    [0x55, 0x04, 0x0b],
    [0x2a, 0x03, 0x04],
  ];
  const char = fc.oneof(
    fc.constantFrom(...',+"\\<>;#= \n\t\u0000/'.split('')),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  );
  const value = fc
    .array(char, { maxLength: 10 })
    .map((cs) => new TextEncoder().encode(cs.join('')));
  const attribute: fc.Arbitrary<RawAttr> = fc.tuple(
    fc.constantFrom(...oids),
    fc.constant(0x0c),
    value,
  );
  const names = fc.sample(
    fc.array(fc.array(attribute, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 3 }),
    { seed: 2253, numRuns: 80 },
  );
  const dir = mkdtempSync(join(tmpdir(), 'mtls-gate-java-certs-'));
  const out: OracleCert[] = [];
  for (const [i, rdns] of names.entries()) {
    const { pem, der } = await selfSigned(encodeName(rdns));
    const path = join(dir, `g${i}.pem`);
    writeFileSync(path, pem);
    out.push({ id: `generated-${i}`, pem, der, path, openssl: true });
  }
  return out;
}

if (HAVE_JAVA) {
  describe('names agree with Java X500Principal', () => {
    let certs: OracleCert[] = [];
    let answers: Array<JavaName | string> = [];
    const pairs = DIFFERENT.flatMap(([a, b]) => [a, b] as const);
    const generated = generatedSpellings();
    const subjectDer = (i: number) => Certificate.fromDER(certs[i]!.der).subjectDer;
    const answer = (i: number): JavaName => {
      const a = answers[i];
      if (a === undefined || typeof a === 'string')
        throw new Error(`Java failed on query ${i}: ${a}`);
      return a;
    };
    let generatedCerts: OracleCert[] = [];
    beforeAll(async () => {
      certs = await oracleCertificates();
      generatedCerts = await generatedCertificates();
      answers = runJava([
        ...certs.map((c) => `cert ${c.path}`),
        ...AGREED.map((s) => `dn ${s}`),
        ...pairs.map((s) => `dn ${s}`),
        ...generated.map((s) => `dn ${s}`),
        ...generatedCerts.map((c) => `cert ${c.path}`),
      ]);
    }, 60_000);

    it('reads the RFC 2253 names Java prints for generated certificates exactly', () => {
      const offset = certs.length + AGREED.length + pairs.length + generated.length;
      generatedCerts.forEach((c, i) => {
        const java = answer(offset + i).rfc2253;
        const ours = Certificate.fromDER(c.der).subjectName;
        expect({ java, rdns: shape(parseDN(java, 'rfc4514')) }).toEqual({
          java,
          rdns: shape(ours),
        });
      });
    });

    it('reads the RFC 2253 name Java prints to the name mtls-gate decodes', () => {
      const agree: string[] = [];
      certs.forEach((c, i) => {
        const java = answer(i);
        if (
          normalizeDN(parseDN(java.rfc2253, 'rfc4514')) ===
          normalizeDN(Certificate.fromDER(c.der).subjectDer)
        ) {
          agree.push(c.id);
        }
      });
      // Java mis-decodes TeletexString and BMPString values in RFC 2253 output (docs/names.md).
      expect(certs.map((c) => c.id).filter((id) => !agree.includes(id))).toEqual(['string-types']);
    });

    it('compares certificate names as Java does, except for the documented string types', () => {
      const index = (id: string) => certs.findIndex((c) => c.id === id);
      const compare = (x: string, y: string) => ({
        ours: dnEquals(subjectDer(index(x)), subjectDer(index(y))),
        java: answer(index(x)).canonical === answer(index(y)).canonical,
      });
      expect(compare('plain', 'plain-respelled')).toEqual({ ours: true, java: true });
      expect(compare('plain', 'utf8')).toEqual({ ours: false, java: false });
      // Java compares TeletexString and BMPString values as bytes (docs/names.md).
      expect(compare('string-types', 'string-types-utf8')).toEqual({ ours: true, java: false });
    });

    it('splits the spellings into the same classes of equal names as dnEquals', () => {
      const offset = certs.length;
      const disagreements: string[] = [];
      for (let i = 0; i < AGREED.length; i++) {
        for (let j = i + 1; j < AGREED.length; j++) {
          const java = answer(offset + i).canonical === answer(offset + j).canonical;
          if (java !== dnEquals(AGREED[i]!, AGREED[j]!)) {
            disagreements.push(`${AGREED[i]} vs ${AGREED[j]}: Java ${java}`);
          }
        }
      }
      expect(disagreements).toEqual([]);
      // The partition is not trivial: some spellings are equal and some are not.
      expect(dnEquals(AGREED[0]!, AGREED[1]!)).toBe(true);
      expect(dnEquals(AGREED[0]!, AGREED[7]!)).toBe(false);
    });

    it('splits generated spellings into the same classes as Java CANONICAL', () => {
      const offset = certs.length + AGREED.length + pairs.length;
      const canonical = generated.map((_, i) => answer(offset + i).canonical);
      const disagreements: string[] = [];
      let equalPairs = 0;
      for (let i = 0; i < generated.length; i++) {
        for (let j = i + 1; j < generated.length; j++) {
          const java = canonical[i] === canonical[j];
          if (java) equalPairs++;
          if (java !== dnEquals(generated[i]!, generated[j]!)) {
            disagreements.push(`${generated[i]} vs ${generated[j]}: Java ${java}`);
          }
        }
      }
      expect(disagreements.slice(0, 5)).toEqual([]);
      // Every re-spelling is equal to its original, so at least one equal pair per name.
      expect(equalPairs).toBeGreaterThanOrEqual(generated.length / 3);
    });

    it('differs from Java only where documented', () => {
      const offset = certs.length + AGREED.length;
      DIFFERENT.forEach(([a, b, ours, javaEqual], k) => {
        const java = answer(offset + 2 * k).canonical === answer(offset + 2 * k + 1).canonical;
        expect({ a, b, ours: dnEquals(a, b), java }).toEqual({
          a,
          b,
          ours,
          java: javaEqual,
        });
      });
    });
  });
} else {
  describe('names against Java', () => {
    it('cannot run here because java is not installed', () => {
      expect(HAVE_JAVA).toBe(false);
    });
  });
}
