/**
 * The demo's PKI, made fresh on every run with @peculiar/x509 on Node's WebCrypto (no openssl
 * needed): a root and an issuing CA, the server's certificate, and one client certificate per
 * case the demo shows. Everything is written as PEM into a folder so that curl can use it too.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

const DAY = 86_400_000;
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

let serial = 0x1000;

/**
 * Issues one P-256 certificate; without `issuer` it is self-signed. `pathLength` makes it a CA.
 * @returns {Promise<{cert: x509.X509Certificate, keys: CryptoKeyPair, pem: string, keyPem: string}>}
 */
async function issue({ subject, issuer, pathLength, eku, dns = [], ip = [], notBefore, notAfter }) {
  const ca = pathLength !== undefined;
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ]);
  const usage = ca
    ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign
    : x509.KeyUsageFlags.digitalSignature;
  const extensions = [
    new x509.BasicConstraintsExtension(ca, ca ? pathLength : undefined, true),
    new x509.KeyUsagesExtension(usage, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.cert));
  if (eku) extensions.push(new x509.ExtendedKeyUsageExtension(eku));
  const san = [
    ...dns.map((value) => ({ type: 'dns', value })),
    ...ip.map((value) => ({ type: 'ip', value })),
  ];
  if (san.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(san));
  const common = {
    serialNumber: (serial++).toString(16),
    notBefore,
    notAfter,
    extensions,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
  };
  const cert = issuer
    ? await x509.X509CertificateGenerator.create({
        ...common,
        subject,
        issuer: issuer.cert.subject,
        publicKey: keys.publicKey,
        signingKey: issuer.keys.privateKey,
      })
    : await x509.X509CertificateGenerator.createSelfSigned({ ...common, name: subject, keys });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  const keyPem = x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
  // @peculiar/x509 ends PEM without a newline; OpenSSL (so curl) cannot read two blocks glued.
  return { cert, keys, pem: `${cert.toString('pem')}\n`, keyPem: `${keyPem}\n` };
}

/**
 * Makes the demo PKI in `dir`. Validity is relative to `now`, so the valid client is valid and
 * the expired one expired whenever the demo runs.
 *
 * Files: ca.pem (the trust bundle and curl's --cacert), server.pem + server-key.pem, and for
 * each client `<name>.pem` (leaf then issuing CA, as a client sends it) + `<name>-key.pem`.
 * `rogue-ca.pem` is the unknown CA, for trying it as a bundle.
 */
export async function makeDemoPki(dir, now = new Date()) {
  const t = now.getTime();
  const current = { notBefore: new Date(t - DAY), notAfter: new Date(t + 365 * DAY) };
  // @peculiar/x509 writes the RDNs in the order given: most significant (O) first, so that
  // the RFC 4514 form (which reverses it) reads CN=…,O=mtls-gate demo.
  const org = 'O=mtls-gate demo';
  const root = await issue({ subject: `${org},CN=Demo Root CA`, pathLength: 1, ...current });
  const issuing = await issue({
    subject: `${org},CN=Demo Issuing CA`,
    issuer: root,
    pathLength: 0,
    ...current,
  });
  const rogue = await issue({ subject: 'O=Elsewhere,CN=Rogue Root CA', pathLength: 0, ...current });
  const server = await issue({
    subject: 'CN=localhost',
    issuer: issuing,
    eku: [SERVER_AUTH],
    dns: ['localhost'],
    ip: ['127.0.0.1'],
    ...current,
  });
  const client = (subject, dns, issuer = issuing, validity = current) =>
    issue({ subject, issuer, eku: [CLIENT_AUTH], dns: [dns], ...validity });
  const clients = {
    valid: [await client(`${org},CN=svc-billing`, 'billing.demo.internal'), issuing],
    expired: [
      await client(`${org},CN=svc-billing`, 'billing.demo.internal', issuing, {
        notBefore: new Date(t - 60 * DAY),
        notAfter: new Date(t - DAY),
      }),
      issuing,
    ],
    'unknown-ca': [
      await client('O=Elsewhere,CN=svc-billing', 'billing.demo.internal', rogue),
      rogue,
    ],
    'wrong-san': [await client(`${org},CN=svc-reports`, 'reports.demo.internal'), issuing],
  };

  const files = {};
  const write = (name, text) => {
    files[name] = join(dir, name);
    writeFileSync(files[name], text, { mode: name.endsWith('-key.pem') ? 0o600 : 0o644 });
  };
  write('ca.pem', root.pem);
  write('rogue-ca.pem', rogue.pem);
  write('server.pem', server.pem + issuing.pem);
  write('server-key.pem', server.keyPem);
  for (const [name, [leaf, chain]] of Object.entries(clients)) {
    // Clients send their leaf and the issuing CA; the stranger sends its leaf alone, as a
    // client of a CA the server has never heard of usually does.
    write(`${name}.pem`, chain === rogue ? leaf.pem : leaf.pem + chain.pem);
    write(`${name}-key.pem`, leaf.keyPem);
  }
  return { dir, files };
}
