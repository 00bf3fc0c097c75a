#!/usr/bin/env node
// `npm run bench`: mtls-gate against the floor (crypto.verify with a prepared key) and the
// peers a Node user would pick (pkijs, @peculiar/x509, node-forge, the raw node:crypto
// recipe), on P-256, RSA-2048 and Ed25519 leaf + intermediate + root chains generated at
// start-up. What each figure means, and a recorded run: docs/performance.md.
//
//   npm run bench                 build, then everything below (~2-3 minutes)
//   node bench/run.mjs --quick    fewer, shorter rounds (a smoke run; figures are rough)
//   node bench/run.mjs --all      also run the other bench/*.mjs scripts, output appended
//   MTLS_GATE_DIST=path/to/index.js node bench/run.mjs    measure another build
//
// Output lines are tagged (RESULT, FAILS, FIGURE, TARGET) in a fixed column format
// (bench/lib/table.mjs) so that runs can be compared with grep and diff.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import {
  floors,
  forgeChain,
  gateBuildChain,
  gateVerifier,
  nodeRaw,
  peculiar,
  pkijsEngine,
  prepareFloorKeys,
} from './lib/contenders.mjs';
import { ALGORITHMS, chainFixture, pem, unrelatedStore } from './lib/fixtures.mjs';
import { figure, header, resultHeader, resultRow, target } from './lib/table.mjs';
import { measureGroup, ratioOf, timeOnce } from './lib/timing.mjs';

const args = new Set(process.argv.slice(2));
const QUICK = args.has('--quick');
const ROUNDS = QUICK ? { rounds: 3, ms: 60, warmupMs: 40 } : { rounds: 11, ms: 100, warmupMs: 150 };

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const entry = process.env.MTLS_GATE_DIST ?? '../dist/index.js';
const lib = await import(new URL(entry, import.meta.url).href);

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const started = performance.now();

// ---------------------------------------------------------------- environment
const pkg = (name) => {
  try {
    return JSON.parse(readFileSync(here(`../node_modules/${name}/package.json`), 'utf8')).version;
  } catch {
    return '?';
  }
};
header('environment');
figure('machine.cpu', cpus()[0]?.model.replace(/\s+/g, '_') ?? '?', '');
figure('machine.cores', String(cpus().length), 'logical');
figure('machine.memory', String(Math.round(totalmem() / 2 ** 30)), 'GiB');
figure('node', process.version, '');
figure('mtls-gate', JSON.parse(readFileSync(here('../package.json'), 'utf8')).version, entry);
for (const name of ['pkijs', '@peculiar/x509', 'node-forge']) figure(name, pkg(name), '');

// ---------------------------------------------------------------- fixtures
header('fixtures');
const now = Date.now();
// Per algorithm: leaves under the one intermediate, and fresh (intermediate, leaf) pairs. The
// lists are cycled, so a leaf comes back every LEAVES calls; a cold call must be the leaf's
// first sighting as far as the verdict cache knows. The cache admits a chain on its second
// sighting and marks first sightings in a table of 16 slots at its smallest size (1 entry),
// which the other leaves overwrite long before one comes back: every cold call pays the
// cache's probe, miss and mark, and never hits. (At 64 entries, 5-20% of the cycled leaves
// were still marked when they came back, were admitted, and then hit.)
const LEAVES = QUICK ? 192 : 384;
const PAIRS = QUICK ? 96 : 192;
const VERDICT_CACHE = 1;
const CHAIN_CACHE = 32;
const fixtures = {};
for (const kind of ALGORITHMS) {
  const t = performance.now();
  fixtures[kind] = chainFixture(kind, { leaves: LEAVES, pairs: PAIRS, now });
  prepareFloorKeys(fixtures[kind]);
  figure(
    `fixture.${kind}`,
    (performance.now() - t).toFixed(0),
    `ms (${LEAVES} leaves, ${PAIRS} pairs)`,
  );
}
const t0 = performance.now();
const STORE_BUNDLES = 5;
const STORE_PER_BUNDLE = 2000;
const unrelated = unrelatedStore({ bundles: STORE_BUNDLES, perBundle: STORE_PER_BUNDLE, now });
figure(
  'fixture.store',
  (performance.now() - t0).toFixed(0),
  `ms (${STORE_BUNDLES} x ${STORE_PER_BUNDLE} CAs)`,
);
const unrelatedPem = unrelated.map((list) => list.map(pem).join(''));

// ---------------------------------------------------------------- store load
header('store load (10,000 anchors: 5 bundles x 2,000 CAs)');
const loadDer = await timeOnce(() => {
  const s = new lib.TrustStore();
  for (const [b, list] of unrelated.entries()) s.addBundle(`tenant-${b}`, list);
});
const loadPem = await timeOnce(() => {
  const s = new lib.TrustStore();
  for (const [b, text] of unrelatedPem.entries()) s.addBundle(`tenant-${b}`, text);
});
figure('store.load.der', loadDer.toFixed(0), 'ms');
figure('store.load.pem', loadPem.toFixed(0), 'ms');
{
  // What a loaded store holds per anchor (its DER and index entries; an anchor is parsed
  // again only when a chain reaches it): the heap before and after one load, each reading
  // after full collections with pauses (ArrayBuffer memory is released by a background
  // sweeper after the collection, and the loads above left plenty).
  const used = async () => {
    for (let i = 0; i < 4; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const u = process.memoryUsage();
    return u.heapUsed + u.arrayBuffers;
  };
  const before = await used();
  const kept = new lib.TrustStore();
  for (const [b, list] of unrelated.entries()) kept.addBundle(`tenant-${b}`, list);
  const perAnchor = ((await used()) - before) / (STORE_BUNDLES * STORE_PER_BUNDLE);
  if (kept.bundles.length !== STORE_BUNDLES) throw new Error('store: bundles missing');
  figure('heap.per-anchor', perAnchor.toFixed(0), 'bytes (10,000 anchors loaded from DER)');
}

// ---------------------------------------------------------------- per-algorithm groups
const results = {}; // results[alg][id] = measurement
const CLIENT = 'bench';

function setup(f) {
  const store = new lib.TrustStore();
  store.addBundle('root', [f.root.der]);
  const verifierOf = (extra = {}, cache = { size: VERDICT_CACHE }) =>
    lib.createVerifier({
      trustStore: store,
      clients: { [CLIENT]: { bundles: ['root'], ...extra } },
      cache,
      chainCache: new lib.ChainCache({ store, maxCertificates: CHAIN_CACHE }),
    });
  return { store, verifierOf };
}

for (const kind of ALGORITHMS) {
  const f = fixtures[kind];
  const { store, verifierOf } = setup(f);
  const bundles = store.bundles;
  const list = [
    ...floors(f),
    gateVerifier(f, 'leaf', verifierOf()),
    // The same without a verdict cache: what the cache's key and retained verdicts cost a miss.
    { ...gateVerifier(f, 'leaf', verifierOf({}, false)), id: 'verifier-nocache-leaf' },
    gateBuildChain(
      lib,
      f,
      'leaf',
      bundles,
      new lib.ChainCache({ store, maxCertificates: CHAIN_CACHE }),
    ),
    gateVerifier(f, 'new', verifierOf()),
    gateBuildChain(
      lib,
      f,
      'new',
      bundles,
      new lib.ChainCache({ store, maxCertificates: CHAIN_CACHE }),
    ),
    gateVerifier(f, 'same', verifierOf()),
    gateBuildChain(lib, f, 'same', bundles, new lib.ChainCache({ store })),
    nodeRaw(f, 'leaf'),
    nodeRaw(f, 'new'),
    forgeChain(f, 'leaf'),
    pkijsEngine(f, 'leaf'),
    pkijsEngine(f, 'new'),
    peculiar(f, 'leaf'),
    peculiar(f, 'new'),
  ];
  header(`${kind}: leaf + intermediate + root`);
  results[kind] = Object.fromEntries(await measureGroup(list, ROUNDS));
  const m = results[kind];
  const refsLeaf = {
    floor1: m.floor1,
    floor2: m.floor2,
    pkijs: m['pkijs-leaf'],
    x509: m['x509-leaf'],
  };
  const refsNew = {
    floor1: m.floor1,
    floor2: m.floor2,
    pkijs: m['pkijs-new'],
    x509: m['x509-new'],
  };
  resultHeader();
  const rows = [
    ['floor', 'floor1', refsLeaf],
    ['floor', 'floor2', refsLeaf],
    ['floor', 'floor2-fresh-key', refsNew],
    ['cold-leaf', 'verifier-leaf', refsLeaf],
    ['cold-leaf', 'verifier-nocache-leaf', refsLeaf],
    ['cold-leaf', 'buildChain-leaf', refsLeaf],
    ['cold-leaf', 'node-raw-leaf', refsLeaf],
    ['cold-leaf', 'forge-leaf', refsLeaf],
    ['cold-leaf', 'pkijs-leaf', refsLeaf],
    ['cold-leaf', 'x509-leaf', refsLeaf],
    ['all-new', 'verifier-new', refsNew],
    ['all-new', 'buildChain-new', refsNew],
    ['all-new', 'node-raw-new', refsNew],
    ['all-new', 'pkijs-new', refsNew],
    ['all-new', 'x509-new', refsNew],
    ['same-chain', 'verifier-same', refsLeaf],
    ['same-chain', 'buildChain-same', refsLeaf],
  ];
  for (const [scenario, id, refs] of rows) resultRow(scenario, kind, id, m[id], refs);
}

// ---------------------------------------------------------------- store size
header('store size: cold leaf (P-256) against 1, 100 and 10,000 anchors');
{
  const f = fixtures['P-256'];
  const store = new lib.TrustStore();
  store.addBundle('one', [f.root.der]);
  store.addBundle('hundred', [...unrelated[0].slice(0, 99), f.root.der]);
  unrelated.forEach((list, b) => {
    // The root goes last into the last bundle: every other anchor is looked past.
    store.addBundle(`tenant-${b}`, b === unrelated.length - 1 ? [...list, f.root.der] : list);
  });
  const clients = {
    one: { bundles: ['one'] },
    hundred: { bundles: ['hundred'] },
    all: { bundles: unrelated.map((_, b) => `tenant-${b}`) },
  };
  const verifier = lib.createVerifier({
    trustStore: store,
    clients,
    cache: { size: VERDICT_CACHE },
    chainCache: new lib.ChainCache({ store, maxCertificates: CHAIN_CACHE }),
  });
  const anchorsOf = (c) => c.bundles.map((n) => store.getBundle(n));
  const list = [
    ...floors(f).slice(0, 1),
    gateVerifier(f, 'leaf', verifier, 'one', 'verifier-anchors1'),
    gateVerifier(f, 'leaf', verifier, 'hundred', 'verifier-anchors100'),
    gateVerifier(f, 'leaf', verifier, 'all', 'verifier-anchors10001'),
    {
      ...gateBuildChain(lib, f, 'leaf', anchorsOf(clients.one), new lib.ChainCache({ store })),
      id: 'buildChain-anchors1',
    },
    {
      ...gateBuildChain(lib, f, 'leaf', anchorsOf(clients.all), new lib.ChainCache({ store })),
      id: 'buildChain-anchors10001',
    },
    pkijsEngine(f, 'leaf', unrelated[0].slice(0, 99)),
  ];
  const m = Object.fromEntries(await measureGroup(list, ROUNDS));
  results.store = m;
  resultHeader();
  for (const id of list.map((c) => c.id))
    resultRow('store-size', 'P-256', id, m[id], { floor1: m.floor1 });
}

// ---------------------------------------------------------------- rules and names
header('rules + name normalization on a cold leaf (verifier, rule vs none)');
for (const kind of ['P-256', 'RSA-2048']) {
  const f = fixtures[kind];
  const { verifierOf } = setup(f);
  // Reads the subject (RFC 4514 formatting), normalizes the issuer for ==, and walks the SANs.
  const rule = `CN.start_with?("svc-") && SAN.any?("DNS:*.bench.example") && ISSUER == "cn=${kind} issuing ca, o=Bench ${kind}, c=us"`;
  const list = [
    { ...gateVerifier(f, 'leaf', verifierOf()), id: 'verifier-norule' },
    { ...gateVerifier(f, 'leaf', verifierOf({ rule })), id: 'verifier-rule' },
  ];
  const m = Object.fromEntries(
    await measureGroup(list, { ...ROUNDS, rounds: ROUNDS.rounds * 3, ms: ROUNDS.ms * 0.6 }),
  );
  results[`rules-${kind}`] = m;
  resultHeader();
  for (const id of ['verifier-norule', 'verifier-rule']) resultRow('rules', kind, id, m[id], {});
}

// ---------------------------------------------------------------- heap per cached chain
header('heap per cached chain (verifier verdict cache)');
const heapPerChain = await (async () => {
  const f = fixtures['P-256'];
  const store = new lib.TrustStore();
  store.addBundle('root', [f.root.der]);
  // The ChainCache lives outside the verifier, so that dropping the verifier below frees its
  // verdicts (and what they hold) and nothing else.
  const chainCache = new lib.ChainCache({ store });
  let verifier = lib.createVerifier({
    trustStore: store,
    clients: { [CLIENT]: { bundles: ['root'] } },
    chainCache,
  });
  // Fresh copies of the DER, as a socket hands new buffers: what the cache keeps is counted.
  const chains = [...f.leaves.map((l) => [l, f.inter]), ...f.pairs.map((p) => [p.leaf, p.inter])];
  // Full collections with pauses between: ArrayBuffer memory is released by a background
  // sweeper after the collection.
  const settle = async () => {
    for (let i = 0; i < 4; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const used = () => {
    const u = process.memoryUsage();
    return u.heapUsed + u.arrayBuffers;
  };
  // Twice each: the verdict cache admits a chain on its second sighting.
  for (const [leaf, inter] of chains) {
    for (let sighting = 0; sighting < 2; sighting++) {
      const v = await verifier.verify({
        clientId: CLIENT,
        certificate: new Uint8Array(leaf.der),
        intermediates: [new Uint8Array(inter.der)],
      });
      if (!v.ok) throw new Error(`heap run: rejected ${v.message}`);
    }
  }
  // What the verifier holds is what dropping it frees: a difference of two readings a moment
  // apart, which the memory earlier groups leave to collect does not drift as it did a
  // before/after reading around the whole run.
  await settle();
  const holding = used();
  // Read after the await above, so the verifier is live across it: V8 keeps only the live
  // variables of a suspended async function, and an unread one would be collected early.
  if (verifier.trustStore !== store) throw new Error('heap run: another store');
  verifier = undefined;
  await settle();
  const perChain = (holding - used()) / chains.length;
  figure(
    'heap.per-cached-chain',
    perChain.toFixed(0),
    `bytes (verdict + parsed leaf, ${chains.length} chains, DER ~${f.leaves[0].der.length} B)`,
  );
  return perChain;
})();

// ---------------------------------------------------------------- targets
header('targets (issue 7), ratios from this run');
const ratio = ratioOf;
const fmt = (r) => (r === undefined ? 'n/a' : `${r.toFixed(2)}x`);
for (const kind of ALGORITHMS) {
  const m = results[kind];
  const r1 = ratio(m['verifier-leaf'], m.floor1);
  target(
    r1 === undefined ? undefined : r1 >= 0.7,
    `${kind} new leaf, verifier vs 1-verify floor`,
    fmt(r1),
    '>= 0.70x',
  );
  const r2 = ratio(m['verifier-new'], m.floor2);
  target(
    r2 === undefined ? undefined : r2 >= 0.7,
    `${kind} everything new, verifier vs 2-verify floor`,
    fmt(r2),
    '>= 0.70x',
  );
  const same = m['verifier-same']?.opsPerSec;
  target(
    same === undefined ? undefined : same >= 200_000,
    `${kind} same chain again, verifier`,
    same ? `${Math.round(same)}/s` : 'n/a',
    '>= 200000/s',
  );
  for (const peer of ['pkijs', 'x509']) {
    const worst = ['leaf', 'new']
      .map((mode) => ratio(m[`verifier-${mode}`], m[`${peer}-${mode}`]))
      .filter((r) => r !== undefined);
    const w = worst.length ? Math.min(...worst) : undefined;
    target(
      w === undefined ? undefined : w >= 30,
      `${kind} cold figures vs ${peer} (worst)`,
      w === undefined ? 'peer fails' : `${w.toFixed(1)}x`,
      '>= 30x',
    );
  }
}
for (const kind of ['P-256', 'RSA-2048']) {
  const m = results[`rules-${kind}`];
  const r = ratio(m['verifier-norule'], m['verifier-rule']);
  const extra = r === undefined ? undefined : (r - 1) * 100;
  target(
    extra === undefined ? undefined : extra < 5,
    `${kind} rule + names, added to a cold validation`,
    extra === undefined ? 'n/a' : `${extra.toFixed(1)}%`,
    '< 5%',
  );
}
{
  const m = results.store;
  const kept = ratio(m['verifier-anchors10001'], m['verifier-anchors1']);
  const drop = kept === undefined ? undefined : (1 - kept) * 100;
  target(
    drop === undefined ? undefined : drop < 10,
    'store 1 -> 10,000 anchors, verifier speed drop',
    drop === undefined ? 'n/a' : `${drop.toFixed(1)}%`,
    '< 10%',
  );
}
target(loadDer < 1000, 'load 10,000 anchors (DER)', `${loadDer.toFixed(0)} ms`, '< 1000 ms');
target(loadPem < 1000, 'load 10,000 anchors (PEM)', `${loadPem.toFixed(0)} ms`, '< 1000 ms');
void heapPerChain;

figure('bench.duration', ((performance.now() - started) / 1000).toFixed(1), 's');

// ---------------------------------------------------------------- the other bench scripts
if (args.has('--all')) {
  for (const name of ['chain.mjs', 'names.mjs', 'rules.mjs', 'http.mjs']) {
    const path = here(name);
    if (!existsSync(path)) continue;
    header(`bench/${name} (its own output follows)`);
    const run = spawnSync(process.execPath, [path], { stdio: 'inherit', timeout: 180_000 });
    if (run.status !== 0) console.log(`bench/${name} exited with ${run.status ?? run.signal}`);
  }
}
