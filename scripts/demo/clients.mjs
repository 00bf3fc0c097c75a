/**
 * The demo's clients: real HTTPS requests with each client certificate (and one without), and
 * what each is expected to get, so that the demo checks itself.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { CLIENT_HEADER, CLIENT_ID } from './server.mjs';

/** The cases in table order: label, certificate file (none = no certificate), API client id. */
export const CASES = [
  { label: 'valid client', cert: 'valid', expect: { status: 200 } },
  {
    label: 'expired client',
    cert: 'expired',
    expect: { status: 403, code: 4018, reason: 'expired' },
  },
  {
    label: 'unknown CA',
    cert: 'unknown-ca',
    expect: { status: 403, code: 4018, reason: 'untrusted' },
  },
  { label: 'SAN fails the rule', cert: 'wrong-san', expect: { status: 403, code: 4019 } },
  { label: 'no certificate', cert: undefined, expect: { status: 403, code: 4017 } },
  {
    label: 'unknown API client',
    cert: 'valid',
    client: 'payroll-api',
    expect: { status: 403, code: 4020 },
  },
];

/** Sends one request; resolves to `{ status, body }` (body parsed when it is JSON). */
export function callServer(port, files, testCase) {
  const options = {
    host: '127.0.0.1',
    port,
    path: '/',
    servername: 'localhost',
    ca: readFileSync(files['ca.pem'], 'utf8'),
    headers: { [CLIENT_HEADER]: testCase.client ?? CLIENT_ID },
    // A fresh connection per case: a pooled one would carry the previous client's certificate.
    agent: false,
  };
  if (testCase.cert) {
    options.cert = readFileSync(files[`${testCase.cert}.pem`], 'utf8');
    options.key = readFileSync(files[`${testCase.cert}-key.pem`], 'utf8');
  }
  return new Promise((resolve, reject) => {
    const req = request(options, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => {
        let body;
        try {
          body = JSON.parse(text);
        } catch {
          body = { text };
        }
        resolve({ status: res.statusCode, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Whether a result is what the case expects. */
export function asExpected(testCase, result) {
  const { status, code, reason } = testCase.expect;
  if (result.status !== status) return false;
  if (code !== undefined && result.body?.error?.code !== code) return false;
  if (reason !== undefined && result.body?.error?.reason !== reason) return false;
  return true;
}
