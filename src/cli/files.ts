/**
 * Reading certificate files for the CLI: PEM (one or many blocks) or DER, from a path or `-`
 * for standard input. Every failure becomes a one-line CliError that names the file.
 */

import { type Certificate, MtlsError, parseCertificates } from '../index.js';
import { type PemBlock, scanPem } from '../pem.js';
import { CliError } from './errors.js';
import type { CliIO } from './io.js';

/** The certificates of one file, in file order. */
export interface CertificateFile {
  readonly path: string;
  readonly certificates: Certificate[];
  /** In lenient mode, one message per PEM block that is not a readable certificate. */
  readonly unreadable: string[];
}

/**
 * Reads and parses one certificate file; throws CliError when it cannot. PEM blocks that are
 * not certificates (the private key of a combined cert+key file, as curl takes them) are
 * skipped with a note on standard error rather than failing the whole file. `lenient` reads
 * every certificate block on its own, so that one broken block of a large bundle is reported
 * in `unreadable` instead of hiding the others.
 */
export function readCertificateFile(
  io: CliIO,
  path: string,
  options: { lenient?: boolean } = {},
): CertificateFile {
  const bytes = readBytes(io, path);
  const name = path === '-' ? 'standard input' : path;
  if (bytes.length === 0) throw new CliError(`${name}: file is empty`);
  try {
    // A DER certificate starts with a SEQUENCE tag; anything else is read as PEM text.
    if (bytes[0] === 0x30) return { path, certificates: parseCertificates(bytes), unreadable: [] };
    const text = new TextDecoder('utf-8').decode(bytes);
    const blocks = scanPem(text);
    const others = blocks.filter((b) => !CERTIFICATE_LABELS.has(b.label));
    const kept = blocks.filter((b) => CERTIFICATE_LABELS.has(b.label));
    if (options.lenient && kept.length > 0) {
      for (const block of others) skipped(io, name, block);
      return { path, ...eachOnItsOwn(kept, name) };
    }
    if (others.length === 0) return { path, certificates: parseCertificates(text), unreadable: [] };
    const found = [...new Set(others.map((b) => b.label))].join(', ');
    if (kept.length === 0) {
      throw new CliError(`${name}: no certificate in this file (it holds: ${found})`);
    }
    for (const block of others) skipped(io, name, block);
    return { path, certificates: parseCertificates(kept.map(toPem).join('')), unreadable: [] };
  } catch (error) {
    if (error instanceof MtlsError) {
      throw new CliError(`${name}: not a certificate (${error.message})`);
    }
    throw error;
  }
}

const CERTIFICATE_LABELS: ReadonlySet<string> = new Set([
  'CERTIFICATE',
  'X509 CERTIFICATE',
  'TRUSTED CERTIFICATE',
]);

function skipped(io: CliIO, name: string, block: PemBlock): void {
  const note = `mtls-gate: note: ${name}: skipped PEM block ${block.index + 1} (${block.label})`;
  io.err(`${io.style.dim(note)}\n`);
}

/** Parses each block alone; the first failure is thrown only when nothing could be read. */
function eachOnItsOwn(blocks: readonly PemBlock[], name: string) {
  const certificates: Certificate[] = [];
  const unreadable: string[] = [];
  for (const block of blocks) {
    try {
      certificates.push(...parseCertificates(toPem(block)));
    } catch (error) {
      if (!(error instanceof MtlsError)) throw error;
      // The message numbers the block within the one-block text; number it within the file.
      const detail = error.message.replace(/^PEM block 1: /, '');
      unreadable.push(`PEM block ${block.index + 1}: ${detail}`);
    }
  }
  if (certificates.length === 0) {
    throw new CliError(`${name}: not a certificate (${unreadable[0] ?? 'no certificate found'})`);
  }
  return { certificates, unreadable };
}

function toPem(block: PemBlock): string {
  const base64 = Buffer.from(block.der).toString('base64');
  return `-----BEGIN ${block.label}-----\n${base64}\n-----END ${block.label}-----\n`;
}

/** The bytes of a file, or a CliError saying in plain words why they could not be read. */
export function readBytes(io: CliIO, path: string): Uint8Array {
  try {
    return io.readFile(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const name = path === '-' ? 'standard input' : path;
    switch (code) {
      case 'ENOENT':
        throw new CliError(`${name}: file not found`);
      case 'EISDIR':
        throw new CliError(`${name}: is a directory, not a file`);
      case 'EACCES':
      case 'EPERM':
        throw new CliError(`${name}: permission denied`);
      default:
        throw new CliError(
          `${name}: cannot read (${typeof code === 'string' ? code : String(error)})`,
        );
    }
  }
}
