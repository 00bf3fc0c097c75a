// Throughput of the names code on the request path: formatDN (Certificate.subject),
// normalizeDN cold and warm, dnEquals of pre-normalized names, canonicalizeSAN, and a
// linear-time check on adversarial DN strings. Run `npm run build` first:
//   node bench/names.mjs            (or MTLS_GATE_DIST=../src/index.ts with tsx)
import { performance } from 'node:perf_hooks';

const entry = process.env.MTLS_GATE_DIST ?? '../dist/index.js';
const { canonicalizeSAN, dnEquals, formatDN, normalizeDN, parseDN, parseSANList } = await import(
  new URL(entry, import.meta.url).href
);

/** Runs `fn` in batches for ~`ms` milliseconds and returns operations per second. */
function measure(fn, ms = 400) {
  let ops = 0;
  const batch = 1000;
  for (let i = 0; i < batch; i++) fn(i); // warm-up
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < batch; i++) fn(ops + i);
    ops += batch;
    now = performance.now();
  }
  return (ops / (now - start)) * 1000;
}

const typical = 'CN=svc-payments,OU=Platform,O=Example Corp,C=US';
const typicalRdns = parseDN(typical);
// More distinct names than the normalizeDN memo holds (2048), so every call is cold.
const distinct = Array.from(
  { length: 50_000 },
  (_, i) => `CN=svc-${i},OU=Platform,O=Example Corp,C=US`,
);
const spelled = Array.from(
  { length: 50_000 },
  (_, i) => `/C=us/o=EXAMPLE  corp/OU=platform/cn=SVC-${i}`,
);
const unicode = Array.from(
  { length: 50_000 },
  (_, i) => `CN=Dienst-${i} Müller,O=Bücher GmbH,C=DE`,
);
const a = normalizeDN(typical);
const b = normalizeDN('CN=svc-payments,OU=Platform,O=Example Corp,C=GB');
const sans = [
  'dns:API.Example.COM',
  'IP Address:2001:DB8:0:0:0:0:0:1',
  'email:Jane@EXAMPLE.com',
  'IP:10.0.0.1',
  'URI:spiffe://example.org/ns/prod',
];
const sanLine =
  'DNS:a.example, DNS:b.example, IP Address:10.0.0.1, IP Address:2001:DB8:0:0:0:0:0:1, email:u@Ex.com';

const rows = [
  ['formatDN (4 RDNs, from RDNs)', measure(() => formatDN(typicalRdns))],
  ['parseDN (4 RDNs)', measure((i) => parseDN(distinct[i % distinct.length]))],
  ['normalizeDN cold, RFC 4514 ASCII', measure((i) => normalizeDN(distinct[i % distinct.length]))],
  [
    'normalizeDN cold, slash form, mixed case',
    measure((i) => normalizeDN(spelled[i % spelled.length])),
  ],
  [
    'normalizeDN cold, non-ASCII (NFKC path)',
    measure((i) => normalizeDN(unicode[i % unicode.length])),
  ],
  ['normalizeDN from RDNs (no memo)', measure(() => normalizeDN(typicalRdns))],
  ['normalizeDN warm (memo hit)', measure(() => normalizeDN(typical))],
  ['dnEquals, pre-normalized, different', measure(() => dnEquals(a, b))],
  ['dnEquals, pre-normalized, equal', measure(() => dnEquals(a, a))],
  ['canonicalizeSAN (mixed kinds)', measure((i) => canonicalizeSAN(sans[i % sans.length]))],
  ['parseSANList (5 entries)', measure(() => parseSANList(sanLine))],
];

const width = Math.max(...rows.map(([name]) => name.length));
console.log(`${'operation'.padEnd(width)}  ops/s`);
for (const [name, ops] of rows) {
  console.log(`${name.padEnd(width)}  ${Math.round(ops).toLocaleString('en-US').padStart(12)}`);
}

// Linear time: the cost per character stays flat as adversarial inputs grow 10x.
console.log('\nadversarial input             10k chars     100k chars   ratio');
const adversarial = {
  'escaped spaces \\20…x': (n) => `CN=${'\\20'.repeat(n / 3)}x`,
  'multi-valued CN=a+…': (n) => `${'CN=a+'.repeat(n / 5)}CN=a`,
  'lone backslashes': (n) => `CN=${'\\'.repeat(n + 1)}`,
  'spaces then error': (n) => `CN=${' '.repeat(n)},`,
};
for (const [name, make] of Object.entries(adversarial)) {
  // Best of 7: the machine is shared, and the minimum is the least disturbed run.
  const time = (n) => {
    const input = make(n);
    let best = Number.POSITIVE_INFINITY;
    for (let k = 0; k < 7; k++) {
      const variant = `${input}${' '.repeat(k)}`;
      const start = performance.now();
      try {
        normalizeDN(variant);
      } catch {}
      best = Math.min(best, performance.now() - start);
    }
    return best;
  };
  time(10_000);
  const small = time(10_000);
  const large = time(100_000);
  console.log(
    `${name.padEnd(28)}  ${small.toFixed(2).padStart(8)} ms  ${large.toFixed(2).padStart(10)} ms  ${(large / small).toFixed(1).padStart(5)}x`,
  );
}
