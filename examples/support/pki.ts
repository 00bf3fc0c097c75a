/**
 * Certificates for the examples: a fresh demo PKI in a temporary folder (the one `npm run demo`
 * makes), so that every example runs on a fresh clone with no setup. In your own server you
 * would read your CA bundle, server certificate and key from your secrets store instead.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDemoPki } from '../../scripts/demo/pki.mjs';

/** PEM texts and file paths of the example PKI. */
export interface ExamplePki {
  /** The folder holding the files (printed so you can use them with curl). */
  readonly dir: string;
  /** The CA bundle clients are checked against; also the CA of the server's certificate. */
  readonly ca: string;
  /** The server's certificate chain and key, for localhost and 127.0.0.1. */
  readonly serverCert: string;
  readonly serverKey: string;
  /** A client certificate (with its chain) and key: `valid`, `expired`, `unknown-ca`, `wrong-san`. */
  client(name: 'valid' | 'expired' | 'unknown-ca' | 'wrong-san'): { cert: string; key: string };
  /** Path of a file in `dir`, e.g. `file('valid.pem')`. */
  file(name: string): string;
  /** Deletes `dir`, for examples that finish on their own. */
  remove(): void;
}

/** Makes the example PKI. */
export async function examplePki(): Promise<ExamplePki> {
  const dir = mkdtempSync(join(tmpdir(), 'mtls-gate-example-'));
  await makeDemoPki(dir);
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  return {
    dir,
    ca: read('ca.pem'),
    serverCert: read('server.pem'),
    serverKey: read('server-key.pem'),
    client: (name) => ({ cert: read(`${name}.pem`), key: read(`${name}-key.pem`) }),
    file: (name) => join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The curl command line that calls an example server as the valid client. */
export function curlLine(
  pki: ExamplePki,
  url: string,
  header = 'x-api-client: billing-api',
): string {
  return `curl --cert ${pki.file('valid.pem')} --key ${pki.file('valid-key.pem')} --cacert ${pki.file('ca.pem')} -H '${header}' ${url}`;
}
