// The contenders, each a `{ id, fn(i), check }` over one algorithm's fixture. `fn(i)` does one
// whole validation as a server would on a new connection: the leaf (and, for "everything
// new", the intermediate) arrives as DER bytes, as `tls.TLSSocket#getPeerCertificate(true)`
// hands them; anchors are loaded once beforehand, as a server loads its bundles at start-up.
// `check` turns a contender's result into a failure text, so that nothing is timed on a
// path that rejects the chain.

import 'reflect-metadata';
import { createPublicKey, verify as cryptoVerify, webcrypto, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import forge from 'node-forge';
import * as pkijs from 'pkijs';

x509.cryptoProvider.set(webcrypto);
pkijs.setEngine(
  'node-webcrypto',
  new pkijs.CryptoEngine({ name: 'node-webcrypto', crypto: webcrypto }),
);

const HASH = { 'P-256': 'sha256', 'RSA-2048': 'sha256', Ed25519: null };

const pick = (list, i) => list[i % list.length];

/** Node's verify needs Buffers or views; our fixtures are Uint8Arrays already. */
const okTrue = (v) => (v === true ? undefined : `rejected: ${JSON.stringify(v)}`);
const okChain = (r) =>
  r?.ok ? undefined : `rejected: ${r?.reason ?? r?.code} ${r?.message ?? ''}`;

/** The floor: crypto.verify with prepared KeyObjects, one or two signatures per validation. */
export function floors(f) {
  const hash = HASH[f.kind];
  const interKey = createPublicKey({
    key: Buffer.from(f.inter.key.spki),
    format: 'der',
    type: 'spki',
  });
  const rootKey = createPublicKey({
    key: Buffer.from(f.root.key.spki),
    format: 'der',
    type: 'spki',
  });
  return [
    {
      id: 'floor1',
      label: 'floor: crypto.verify x1, prepared key',
      fn: (i) => {
        const leaf = pick(f.leaves, i);
        return cryptoVerify(hash, leaf.tbs, interKey, leaf.signature);
      },
      check: okTrue,
    },
    {
      // What "everything new" cannot avoid: the new intermediate's key imported (from JWK,
      // node:crypto's fastest import) and both signatures checked, the first with that fresh
      // key. Nothing else is parsed. Its xfloor2 says how far below floor2 any validator of a
      // new intermediate must stay.
      id: 'floor2-fresh-key',
      label: 'floor: key import (JWK) + crypto.verify x2',
      fn: (i) => {
        const { leaf, inter } = pick(f.pairs, i);
        const key = createPublicKey({ key: jwkOf(inter), format: 'jwk' });
        return (
          cryptoVerify(hash, leaf.tbs, key, leaf.signature) &&
          cryptoVerify(hash, inter.tbs, rootKey, inter.signature)
        );
      },
      check: okTrue,
    },
    {
      id: 'floor2',
      label: 'floor: crypto.verify x2, prepared keys',
      fn: (i) => {
        const { leaf, inter } = pick(f.pairs, i);
        return (
          cryptoVerify(hash, leaf.tbs, prepared(inter), leaf.signature) &&
          cryptoVerify(hash, inter.tbs, rootKey, inter.signature)
        );
      },
      check: okTrue,
    },
  ];
}

// The two-verify floor verifies a fresh pair's leaf with that pair's intermediate key, prepared
// beforehand: only the two signature checks are timed.
const preparedKeys = new WeakMap();
function prepared(inter) {
  let k = preparedKeys.get(inter);
  if (!k) {
    k = createPublicKey({ key: Buffer.from(inter.key.spki), format: 'der', type: 'spki' });
    preparedKeys.set(inter, k);
  }
  return k;
}

/** Warms the floor2 key table so that no key import is timed. */
export function prepareFloorKeys(f) {
  for (const { inter } of f.pairs) {
    prepared(inter);
    jwkOf(inter);
  }
}

// The JWK of each fresh intermediate's key, made beforehand: a validator reads the numbers out
// of the certificate it parsed anyway, so only the import itself is timed.
const jwks = new WeakMap();
function jwkOf(inter) {
  let jwk = jwks.get(inter);
  if (!jwk) {
    jwk = createPublicKey({ key: Buffer.from(inter.key.spki), format: 'der', type: 'spki' }).export(
      {
        format: 'jwk',
      },
    );
    jwks.set(inter, jwk);
  }
  return jwk;
}

/**
 * The raw node:crypto recipe: an X509Certificate for the leaf and the intermediate on every
 * call, checkIssued + verify per link; the root parsed once (it is the configured anchor).
 */
export function nodeRaw(f, mode) {
  const root = new X509Certificate(f.root.der);
  const now = Date.now();
  return {
    id: `node-raw-${mode}`,
    label: 'node:crypto X509Certificate per link',
    fn: (i) => {
      const p = mode === 'new' ? pick(f.pairs, i) : { leaf: pick(f.leaves, i), inter: f.inter };
      const leaf = new X509Certificate(p.leaf.der);
      const inter = new X509Certificate(p.inter.der);
      if (!leaf.checkIssued(inter) || !inter.checkIssued(root)) return 'not issued';
      if (!leaf.verify(inter.publicKey) || !inter.verify(root.publicKey)) return 'bad signature';
      for (const c of [leaf, inter, root]) {
        if (Date.parse(c.validFrom) > now || Date.parse(c.validTo) < now) return 'out of validity';
      }
      if (!inter.ca || !root.ca) return 'not a CA';
      return true;
    },
    check: okTrue,
  };
}

/** pkijs CertificateChainValidationEngine: leaf and intermediate parsed each call. */
export function pkijsEngine(f, mode, extraAnchorsDer = []) {
  const anchors = [f.root.der, ...extraAnchorsDer].map((d) => pkijs.Certificate.fromBER(d));
  return {
    id: extraAnchorsDer.length ? `pkijs-${mode}-anchors${anchors.length}` : `pkijs-${mode}`,
    label: 'pkijs CertificateChainValidationEngine',
    fn: async (i) => {
      const p = mode === 'new' ? pick(f.pairs, i) : { leaf: pick(f.leaves, i), inter: f.inter };
      const engine = new pkijs.CertificateChainValidationEngine({
        trustedCerts: anchors,
        certs: [pkijs.Certificate.fromBER(p.leaf.der), pkijs.Certificate.fromBER(p.inter.der)],
        checkDate: new Date(),
      });
      return engine.verify();
    },
    check: (r) =>
      r?.result === true ? undefined : `rejected: ${r?.resultMessage ?? r?.resultCode}`,
  };
}

/** @peculiar/x509: X509ChainBuilder, then verify() on each link; parsed each call. */
export function peculiar(f, mode) {
  const root = new x509.X509Certificate(f.root.der);
  return {
    id: `x509-${mode}`,
    label: '@peculiar/x509 X509ChainBuilder + verify()',
    fn: async (i) => {
      const p = mode === 'new' ? pick(f.pairs, i) : { leaf: pick(f.leaves, i), inter: f.inter };
      const leaf = new x509.X509Certificate(p.leaf.der);
      const inter = new x509.X509Certificate(p.inter.der);
      const chain = await new x509.X509ChainBuilder({ certificates: [inter, root] }).build(leaf);
      if (chain.length !== 3 || chain[2] !== root) return 'no path to the root';
      const date = new Date();
      for (let k = 0; k < chain.length - 1; k++) {
        if (!(await chain[k].verify({ date, publicKey: chain[k + 1] }))) return `link ${k} fails`;
      }
      if (!(await root.verify({ date, signatureOnly: false }))) return 'root out of validity';
      return true;
    },
    check: okTrue,
  };
}

/** node-forge: verifyCertificateChain against a CA store holding the root (RSA only). */
export function forgeChain(f, mode) {
  const der = (bytes) => forge.util.createBuffer(Buffer.from(bytes).toString('binary'));
  const parse = (bytes) => forge.pki.certificateFromAsn1(forge.asn1.fromDer(der(bytes)));
  return {
    id: `forge-${mode}`,
    label: 'node-forge verifyCertificateChain',
    fn: (i) => {
      if (f.kind !== 'RSA-2048') throw new Error('node-forge verifies RSA signatures only');
      const store = forge.pki.createCaStore([parse(f.root.der)]);
      const p = mode === 'new' ? pick(f.pairs, i) : { leaf: pick(f.leaves, i), inter: f.inter };
      return forge.pki.verifyCertificateChain(store, [parse(p.leaf.der), parse(p.inter.der)]);
    },
    check: okTrue,
  };
}

/**
 * mtls-gate buildChain. `mode`: 'leaf' (a new leaf under the known intermediate, the
 * intermediate presented each call as DER), 'new' (leaf and intermediate both new), 'same'
 * (the same chain again, as Certificate objects a caller kept).
 */
export function gateBuildChain(lib, f, mode, bundles, cache) {
  const leafCert = lib.parseCertificates(f.leaves[0].der)[0];
  const interCert = lib.parseCertificates(f.inter.der)[0];
  const interDer = [f.inter.der];
  return {
    id: `buildChain-${mode}`,
    label: 'mtls-gate buildChain',
    fn: (i) => {
      if (mode === 'same') {
        return lib.buildChain(leafCert, { anchors: bundles, intermediates: [interCert], cache });
      }
      if (mode === 'new') {
        const p = pick(f.pairs, i);
        return lib.buildChain(p.leaf.der, {
          anchors: bundles,
          intermediates: [p.inter.der],
          cache,
        });
      }
      return lib.buildChain(pick(f.leaves, i).der, {
        anchors: bundles,
        intermediates: interDer,
        cache,
      });
    },
    check: okChain,
  };
}

/** mtls-gate verifier.verify, the call a host server makes per connection. */
export function gateVerifier(f, mode, verifier, clientId = 'bench', id) {
  const interDer = [f.inter.der];
  return {
    id: id ?? `verifier-${mode}`,
    label: 'mtls-gate verifier.verify',
    fn: (i) => {
      if (mode === 'same') {
        return verifier.verify({ clientId, certificate: f.leaves[0].der, intermediates: interDer });
      }
      if (mode === 'new') {
        const p = pick(f.pairs, i);
        return verifier.verify({ clientId, certificate: p.leaf.der, intermediates: [p.inter.der] });
      }
      return verifier.verify({
        clientId,
        certificate: pick(f.leaves, i).der,
        intermediates: interDer,
      });
    },
    check: okChain,
  };
}
