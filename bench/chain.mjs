#!/usr/bin/env node
/**
 * Cost of buildChain against the raw node:crypto recipe, in one run.
 *
 *   npm run build && node bench/chain.mjs [--rounds 5] [--ms 400]
 *
 * For a P-256 and an RSA-2048 chain (leaf ← intermediate ← root), validations per second of:
 * - `raw`: the node:crypto recipe, everything parsed each time: new X509Certificate for the
 *   three certificates, then checkIssued + verify(publicKey) per link;
 * - `buildChain warm`: buildChain with a ChainCache and the anchors in a TrustBundle, a new
 *   leaf DER each call under the known intermediate (the server's steady state);
 * - `buildChain cold`: the same without a cache (the intermediate parsed and its key imported
 *   every call);
 * - `floor`: one crypto.verify with a prepared key (the least a new leaf can cost).
 * The ratio is cost(buildChain warm) / cost(raw); the target is ≤ 1.5.
 * Then: loading 10,000 anchors into a TrustStore, and validation speed with 1 vs 10,000
 * anchors in the bundle. Medians of the rounds; every contender runs in every round.
 */
import 'reflect-metadata';
import { verify as cryptoVerify, webcrypto, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';

const dist = process.env.MTLS_GATE_DIST ?? '../dist/index.js';
const { buildChain, ChainCache, Certificate, TrustStore } = await import(dist);

x509.cryptoProvider.set(webcrypto);
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const ROUNDS = opt('rounds', 5);
const MS = opt('ms', 400);
const LEAVES = 64;
const NOW = new Date();
const DAY = 86_400_000;

const ALGS = {
  'P-256': {
    gen: { name: 'ECDSA', namedCurve: 'P-256' },
    sign: { name: 'ECDSA', hash: 'SHA-256' },
  },
  'RSA-2048': {
    gen: {
      name: 'RSASSA-PKCS1-v1_5',
      hash: 'SHA-256',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
    },
    sign: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  },
};

let serial = 1;
async function issue(kind, name, { issuer, ca = false, keys } = {}) {
  const alg = ALGS[kind];
  const pair = keys ?? (await webcrypto.subtle.generateKey(alg.gen, true, ['sign', 'verify']));
  const extensions = [
    new x509.BasicConstraintsExtension(ca, undefined, true),
    new x509.KeyUsagesExtension(
      ca ? x509.KeyUsageFlags.keyCertSign : x509.KeyUsageFlags.digitalSignature,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(pair.publicKey),
  ];
  if (!ca) extensions.push(new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.2']));
  if (issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.cert));
  const common = {
    serialNumber: (serial++).toString(16).padStart(8, '1'),
    notBefore: new Date(NOW.getTime() - DAY),
    notAfter: new Date(NOW.getTime() + 30 * DAY),
    extensions,
    signingAlgorithm: alg.sign,
  };
  const cert = issuer
    ? await x509.X509CertificateGenerator.create({
        ...common,
        subject: `CN=${name}`,
        issuer: issuer.cert.subjectName,
        publicKey: pair.publicKey,
        signingKey: issuer.keys.privateKey,
      })
    : await x509.X509CertificateGenerator.createSelfSigned({
        ...common,
        name: `CN=${name}`,
        keys: pair,
      });
  return { cert, keys: pair, der: new Uint8Array(cert.rawData) };
}

async function fixtures(kind) {
  const root = await issue(kind, `Bench Root ${kind}`, { ca: true });
  const inter = await issue(kind, `Bench Intermediate ${kind}`, { ca: true, issuer: root });
  const leafKeys = await webcrypto.subtle.generateKey(ALGS[kind].gen, true, ['sign', 'verify']);
  const leaves = [];
  for (let i = 0; i < LEAVES; i++) {
    leaves.push((await issue(kind, `client-${i}`, { issuer: inter, keys: leafKeys })).der);
  }
  return { root, inter, leaves };
}

/** Runs fn (async allowed) repeatedly for MS milliseconds; returns calls per second. */
async function rate(fn) {
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < MS) {
    for (let i = 0; i < 16; i++) await fn(n++);
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => Math.round(x).toLocaleString('en-US').padStart(9);

async function benchKind(kind) {
  const { root, inter, leaves } = await fixtures(kind);
  const store = new TrustStore();
  const bundle = store.addBundle('bench', root.der);
  const cache = new ChainCache({ store });
  const interDer = inter.der;
  const at = NOW;
  const check = (r) => {
    if (!r.ok) throw new Error(`bench chain refused: ${r.reason}: ${r.message}`);
  };
  const leafCert = Certificate.fromDER(leaves[0]);
  const preparedKey = new X509Certificate(interDer).publicKey;
  const contenders = {
    raw: async (i) => {
      const leaf = new X509Certificate(leaves[i % LEAVES]);
      const ic = new X509Certificate(interDer);
      const rc = new X509Certificate(root.der);
      if (
        !(
          leaf.checkIssued(ic) &&
          leaf.verify(ic.publicKey) &&
          ic.checkIssued(rc) &&
          ic.verify(rc.publicKey)
        )
      ) {
        throw new Error('raw recipe refused the chain');
      }
    },
    'buildChain warm': async (i) =>
      check(
        await buildChain(leaves[i % LEAVES], {
          anchors: bundle,
          intermediates: [interDer],
          at,
          cache,
        }),
      ),
    'buildChain cold': async (i) =>
      check(
        await buildChain(leaves[i % LEAVES], { anchors: bundle, intermediates: [interDer], at }),
      ),
    floor: async () => {
      if (!cryptoVerify('sha256', leafCert.tbs, preparedKey, leafCert.signature)) {
        throw new Error('floor verify failed');
      }
    },
  };
  const results = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
  for (const fn of Object.values(contenders)) await rate(fn); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, fn] of Object.entries(contenders)) results[name].push(await rate(fn));
  }
  const med = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)]));
  console.log(`\n${kind} (leaf ← intermediate ← root), validations/s, median of ${ROUNDS} rounds`);
  for (const [name, v] of Object.entries(med)) {
    console.log(`  ${name.padEnd(18)} ${fmt(v)}/s  ${(1e6 / v).toFixed(1).padStart(8)} µs`);
  }
  const ratio = med.raw / med['buildChain warm'];
  console.log(`  ratio cost(buildChain warm) / cost(raw) = ${ratio.toFixed(2)} (target ≤ 1.5)`);
  console.log(
    `  buildChain warm / floor = ${(med['buildChain warm'] / med.floor).toFixed(2)}× of one prepared verify`,
  );
  return { kind, med, ratio };
}

/** 10,000 distinct anchors: one self-signed template with its name digits rewritten. */
async function storeScaling() {
  const template = await issue('P-256', 'Anchor-00000', { ca: true });
  const text = Buffer.from('Anchor-00000');
  const der = Buffer.from(template.der);
  const offsets = [];
  for (let i = der.indexOf(text); i >= 0; i = der.indexOf(text, i + 1)) offsets.push(i);
  const anchors = [];
  for (let n = 0; n < 10_000; n++) {
    const copy = Buffer.from(der);
    const digits = Buffer.from(String(n).padStart(5, '0'));
    for (const o of offsets) digits.copy(copy, o + 7);
    anchors.push(new Uint8Array(copy));
  }
  const loads = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    new TrustStore().addBundle('big', anchors);
    loads.push(performance.now() - t0);
  }
  console.log(
    `\nTrustStore: loading 10,000 anchors takes ${median(loads).toFixed(0)} ms (median of ${ROUNDS})`,
  );

  const { root, inter, leaves } = await fixtures('P-256');
  const small = new TrustStore().addBundle('one', root.der);
  const big = new TrustStore().addBundle('many', [...anchors, root.der]);
  const cacheSmall = new ChainCache();
  const cacheBig = new ChainCache();
  const run = (bundle, cache) => async (i) => {
    const r = await buildChain(leaves[i % LEAVES], {
      anchors: bundle,
      intermediates: [inter.der],
      at: NOW,
      cache,
    });
    if (!r.ok) throw new Error(r.message);
  };
  const s = [];
  const b = [];
  await rate(run(small, cacheSmall));
  await rate(run(big, cacheBig));
  for (let r = 0; r < ROUNDS; r++) {
    s.push(await rate(run(small, cacheSmall)));
    b.push(await rate(run(big, cacheBig)));
  }
  const drop = 1 - median(b) / median(s);
  console.log(
    `buildChain warm P-256 with 1 anchor: ${fmt(median(s))}/s, with 10,001 anchors: ${fmt(median(b))}/s (drop ${(drop * 100).toFixed(1)}%, target < 10%)`,
  );
}

console.log(`mtls-gate chain bench — node ${process.version}, ${ROUNDS} rounds of ${MS} ms`);
for (const kind of Object.keys(ALGS)) await benchKind(kind);
await storeScaling();
