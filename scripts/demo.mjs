#!/usr/bin/env node
/**
 * `npm run demo`: mtls-gate end to end in one command. Makes a throw-away PKI, starts a real
 * HTTPS server with mutual TLS on 127.0.0.1, calls it with a valid client certificate, an
 * expired one, one from an unknown CA, one whose SAN fails the rule, none at all, and a valid
 * one for an unknown API client, and prints what each got. Needs no network and no openssl.
 *
 *   npm run demo               run the cases, print the table, stop (exit 0 when all as expected)
 *   npm run demo -- --serve    the same, then keep the server up for curl until Ctrl-C
 *
 * It runs against dist/ (npm run demo builds first).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asExpected, CASES, callServer } from './demo/clients.mjs';
import { makeDemoPki } from './demo/pki.mjs';
import { CLIENT_HEADER, CLIENT_ID, RULE, startDemoServer } from './demo/server.mjs';
import { bold, dim, renderTable } from './demo/table.mjs';

const serve = process.argv.includes('--serve');

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'mtls-gate-demo-'));
  const { files } = await makeDemoPki(dir);
  const server = await startDemoServer(files);
  const url = `https://127.0.0.1:${server.port}/`;
  console.log(bold('mtls-gate demo'));
  console.log(`  server   ${url} (node:https + createVerifier + mtls-gate/node)`);
  console.log(`  client   "${CLIENT_ID}": trust bundle "demo-root" (ca.pem), rule ${RULE}`);
  console.log('');

  const rows = [];
  try {
    for (const testCase of CASES) {
      const result = await callServer(server.port, files, testCase);
      const error = result.body?.error;
      rows.push({
        client: testCase.label,
        status: result.status,
        code: error?.code,
        reason: error?.reason,
        message: error?.message ?? `OK: ${result.body?.subject ?? ''}`,
        ok: asExpected(testCase, result),
      });
    }
  } catch (error) {
    await server.close();
    throw error;
  }
  console.log(renderTable(rows));
  console.log('');
  console.log(`Certificates and keys are in ${dir}`);
  console.log('The server is scripts/demo/server.mjs; for your framework see examples/ and docs/.');
  const curl = `curl --cert ${files['valid.pem']} --key ${files['valid-key.pem']} --cacert ${files['ca.pem']} -H '${CLIENT_HEADER}: ${CLIENT_ID}' ${url}`;
  const failed = rows.filter((r) => !r.ok).length;
  if (serve) {
    console.log('The server keeps running (Ctrl-C stops it). Call it yourself:');
    console.log(`  ${curl}`);
    console.log(
      dim('  (try expired.pem, unknown-ca.pem or wrong-san.pem with their -key.pem, or no --cert)'),
    );
    const stop = () => server.close().then(() => process.exit(failed ? 1 : 0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return;
  }
  await server.close();
  console.log(
    'The server has stopped. `npm run demo -- --serve` keeps it running and prints the exact curl command; it looks like:',
  );
  console.log(`  ${dim(curl.replace(String(server.port), '<port>'))}`);
  if (failed > 0) {
    console.error(`${failed} case${failed === 1 ? '' : 's'} did not answer as expected`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
