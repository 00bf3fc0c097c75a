/**
 * Differential test of buildChain against `openssl verify -purpose sslclient -x509_strict`,
 * on PKIs generated at test time. Verdicts must agree, except for the intended differences
 * asserted at the end:
 * - notAfter is inclusive here (RFC 5280 §4.1.2.5); OpenSSL treats that second as expired;
 * - a cA=TRUE leaf is refused here by default; OpenSSL accepts it for sslclient;
 * - a leaf whose keyUsage has keyAgreement but not digitalSignature: OpenSSL's sslclient
 *   purpose accepts it, we require digitalSignature.
 * Anchors that are not self-signed need OpenSSL's -partial_chain, which every scenario passes
 * (mtls-gate treats every bundle certificate as an anchor).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { buildChain } from '../../src/chain/build-chain.js';
import { ca, DAY, endEntity, type Issued, NOW, x509 } from '../fixtures/pki.js';

const HAVE_OPENSSL = spawnSync('openssl', ['version']).status === 0;
const KU = x509.KeyUsageFlags;
const dir = mkdtempSync(join(tmpdir(), 'mtls-chain-oracle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Scenario {
  leaf: Issued;
  anchors: Issued[];
  intermediates: Issued[];
  at?: Date;
}

let fileCount = 0;
function write(certs: Issued[]): string {
  const path = join(dir, `f${fileCount++}.pem`);
  writeFileSync(path, certs.map((c) => c.pem).join('\n'));
  return path;
}

function opensslAccepts(s: Scenario): boolean {
  const at = Math.floor((s.at ?? NOW).getTime() / 1000);
  const args = ['verify', '-purpose', 'sslclient', '-x509_strict', '-partial_chain'];
  args.push('-attime', String(at), '-CAfile', write(s.anchors));
  if (s.intermediates.length > 0) args.push('-untrusted', write(s.intermediates));
  args.push(write([s.leaf]));
  return spawnSync('openssl', args, { encoding: 'utf8' }).status === 0;
}

async function weAccept(s: Scenario): Promise<boolean> {
  const result = await buildChain(s.leaf.der, {
    anchors: s.anchors.map((c) => c.der),
    intermediates: s.intermediates.map((c) => c.der),
    at: s.at ?? NOW,
  });
  return result.ok;
}

const past = {
  notBefore: new Date(NOW.getTime() - 90 * DAY),
  notAfter: new Date(NOW.getTime() - DAY),
};
const future = {
  notBefore: new Date(NOW.getTime() + DAY),
  notAfter: new Date(NOW.getTime() + 90 * DAY),
};

/** root → inter → leaf, with options per level. */
async function chain(
  opts: { root?: object; inter?: object; leaf?: object } = {},
): Promise<Scenario & { root: Issued; inter: Issued }> {
  const root = await ca('Oracle Root', opts.root);
  const inter = await ca('Oracle Inter', { issuer: root, ...opts.inter });
  const leaf = await endEntity('oracle-client', { issuer: inter, ...opts.leaf });
  return { root, inter, leaf, anchors: [root], intermediates: [inter] };
}

const SCENARIOS: [string, () => Promise<Scenario>][] = [
  ['a valid P-256 chain', () => chain()],
  [
    'a valid RSA-2048 chain',
    () =>
      chain({ root: { key: 'RSA-2048' }, inter: { key: 'RSA-2048' }, leaf: { key: 'RSA-2048' } }),
  ],
  ['an expired leaf', () => chain({ leaf: past })],
  ['an expired intermediate', () => chain({ inter: past })],
  ['an expired root', () => chain({ root: past })],
  ['a leaf not yet valid', () => chain({ leaf: future })],
  ['an intermediate not yet valid', () => chain({ inter: future })],
  ['a root not yet valid', () => chain({ root: future })],
  [
    'a non-CA issuer',
    async () => {
      const root = await ca('Oracle Root');
      const inter = await endEntity('Oracle Inter', {
        issuer: root,
        keyUsage: KU.digitalSignature | KU.keyCertSign,
      });
      const leaf = await endEntity('oracle-client', { issuer: inter });
      return { leaf, anchors: [root], intermediates: [inter] };
    },
  ],
  ['a root pathLen 0 above an intermediate', () => chain({ root: { pathLength: 0 } })],
  ['an intermediate pathLen 0 above the leaf', () => chain({ inter: { pathLength: 0 } })],
  ['an intermediate without keyCertSign', () => chain({ inter: { keyUsage: KU.cRLSign } })],
  ['a leaf with keyEncipherment only', () => chain({ leaf: { keyUsage: KU.keyEncipherment } })],
  ['a leaf with serverAuth only', () => chain({ leaf: { eku: ['1.3.6.1.5.5.7.3.1'] } })],
  ['a leaf without EKU', () => chain({ leaf: { eku: null } })],
  [
    'an intermediate whose EKU is serverAuth only',
    () =>
      chain({
        inter: { extraExtensions: [new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.1'])] },
      }),
  ],
  [
    'an issuer with the right name and the wrong key',
    async () => {
      const c = await chain();
      const impostor = await ca('Oracle Inter', { issuer: c.root });
      return { ...c, intermediates: [impostor] };
    },
  ],
  ['a missing intermediate', async () => ({ ...(await chain()), intermediates: [] })],
  [
    'extra unrelated intermediates',
    async () => {
      const c = await chain();
      const noise = await chain();
      return { ...c, intermediates: [noise.inter, noise.root, c.inter, noise.leaf] };
    },
  ],
  [
    'an intermediate trusted directly',
    async () => {
      const c = await chain();
      return { ...c, anchors: [c.inter], intermediates: [] };
    },
  ],
  [
    'a new root cross-signed by a trusted old root',
    async () => {
      const old = await ca('Old Root');
      const fresh = await ca('New Root');
      const cross = await ca('New Root', { issuer: old, keys: fresh.keys });
      const inter = await ca('Oracle Inter', { issuer: fresh });
      const leaf = await endEntity('oracle-client', { issuer: inter });
      return { leaf, anchors: [old], intermediates: [inter, cross] };
    },
  ],
  [
    'a cross-signed new root presented while the new root itself is trusted',
    async () => {
      const old = await ca('Old Root');
      const fresh = await ca('New Root');
      const cross = await ca('New Root', { issuer: old, keys: fresh.keys });
      const inter = await ca('Oracle Inter', { issuer: fresh });
      const leaf = await endEntity('oracle-client', { issuer: inter });
      return { leaf, anchors: [fresh], intermediates: [inter, cross] };
    },
  ],
  [
    'a cross-signed root whose only trusted signer is expired',
    async () => {
      const old = await ca('Old Root', past);
      const fresh = await ca('New Root');
      const cross = await ca('New Root', { issuer: old, keys: fresh.keys });
      const inter = await ca('Oracle Inter', { issuer: fresh });
      const leaf = await endEntity('oracle-client', { issuer: inter });
      return { leaf, anchors: [old], intermediates: [inter, cross] };
    },
  ],
];

if (HAVE_OPENSSL) {
  describe('buildChain agrees with openssl verify -purpose sslclient -x509_strict', () => {
    test.each(SCENARIOS)('%s', async (_name, make) => {
      const scenario = await make();
      expect(await weAccept(scenario)).toBe(opensslAccepts(scenario));
    });

    test('the scenarios cover both verdicts', async () => {
      const verdicts = await Promise.all(
        SCENARIOS.slice(0, 4).map(async ([, make]) => weAccept(await make())),
      );
      expect(verdicts).toContain(true);
      expect(verdicts).toContain(false);
    });
  });

  describe('intended differences from OpenSSL', () => {
    test('at exactly notAfter we accept and OpenSSL does not', async () => {
      const notAfter = new Date(NOW.getTime() + DAY);
      const s = await chain({ leaf: { notAfter } });
      const at = { ...s, at: notAfter };
      expect(await weAccept(at)).toBe(true);
      expect(opensslAccepts(at)).toBe(false);
      const after = { ...s, at: new Date(notAfter.getTime() + 1000) };
      expect(await weAccept(after)).toBe(opensslAccepts(after));
    });

    test('a CA certificate as the client leaf: OpenSSL accepts, we refuse by default', async () => {
      const root = await ca('Oracle Root');
      const inter = await ca('Oracle Inter', {
        issuer: root,
        keyUsage: KU.keyCertSign | KU.digitalSignature,
      });
      const s = { leaf: inter, anchors: [root], intermediates: [] };
      expect(opensslAccepts(s)).toBe(true);
      expect(await weAccept(s)).toBe(false);
    });

    test('a leaf with keyAgreement and no digitalSignature: OpenSSL accepts, we refuse', async () => {
      const s = await chain({ leaf: { keyUsage: KU.keyAgreement } });
      expect(opensslAccepts(s)).toBe(true);
      expect(await weAccept(s)).toBe(false);
    });
  });
  describe('a quick-start PKI made with the openssl CLI', () => {
    // `openssl req -x509` for the CA, `openssl x509 -req` without an extension file for the
    // client: OpenSSL 3 makes a v1 leaf (no AKI) and a CA without keyUsage.
    function quickStart(): { ca: string; leaf: string } {
      const run = (args: string[]) => {
        const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
        if (r.status !== 0) throw new Error(r.stderr);
      };
      const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
      run([
        'req',
        '-x509',
        ...ec,
        '-keyout',
        'qs-ca.key',
        '-out',
        'qs-ca.pem',
        '-subj',
        '/CN=QS CA',
        '-days',
        '3',
      ]);
      run([
        'req',
        '-new',
        ...ec,
        '-keyout',
        'qs-c.key',
        '-out',
        'qs-c.csr',
        '-subj',
        '/CN=qs-client',
      ]);
      run([
        'x509',
        '-req',
        '-in',
        'qs-c.csr',
        '-CA',
        'qs-ca.pem',
        '-CAkey',
        'qs-ca.key',
        '-out',
        'qs-c.pem',
        '-days',
        '2',
      ]);
      return { ca: join(dir, 'qs-ca.pem'), leaf: join(dir, 'qs-c.pem') };
    }

    test('is refused by both in strict mode and accepted by both without it', async () => {
      const { ca: caPath, leaf: leafPath } = quickStart();
      const verify = (strict: boolean) =>
        spawnSync('openssl', [
          'verify',
          '-purpose',
          'sslclient',
          ...(strict ? ['-x509_strict'] : []),
          '-CAfile',
          caPath,
          leafPath,
        ]).status === 0;
      const leaf = readFileSync(leafPath, 'utf8');
      const anchors = readFileSync(caPath, 'utf8');
      const strict = await buildChain(leaf, { anchors });
      expect(verify(true)).toBe(false);
      expect(strict.ok).toBe(false);
      expect(!strict.ok && strict.reason).toBe('invalid-encoding');
      expect(!strict.ok && strict.message).toContain('strict: false');
      expect(verify(false)).toBe(true);
      expect((await buildChain(leaf, { anchors, strict: false })).ok).toBe(true);
    });
  });
} else {
  test('openssl is not installed: the chain oracle did not run (install openssl, as .ci/run does)', () => {
    expect(HAVE_OPENSSL).toBe(false);
  });
}
