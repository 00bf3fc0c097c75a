#!/usr/bin/env node
/**
 * The `mtls-gate` executable. The only place that touches `process` and the file system: it
 * builds the CLI's IO from them and hands over to `run`.
 */

import { readFileSync } from 'node:fs';
import type { CliIO } from './io.js';
import { run } from './run.js';
import { colourWanted, createStyle } from './style.js';

// `mtls-gate inspect big.pem | head` closes the pipe early: that is the reader's choice, not
// an error. Any other failure to write (a full disk, a terminal gone) ends the run with one
// line on stderr while it still works, never a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (stream === process.stdout) {
      process.stderr.write(`mtls-gate: cannot write the output: ${error.message}\n`);
    }
    process.exit(2);
  });
}

const io: CliIO = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  style: createStyle(colourWanted(process.stdout.isTTY === true, process.env)),
  readFile: (path) => (path === '-' ? readFileSync(0) : readFileSync(path)),
  now: () => new Date(),
};

// Exit through exitCode, not process.exit, so piped output is flushed before Node ends.
run(io, process.argv.slice(2), process.env.MTLS_GATE_DEBUG === '1').then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`mtls-gate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
