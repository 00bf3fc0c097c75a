/**
 * Reading certificate files for the CLI: PEM (one or many blocks) or DER, from a path or `-`
 * for standard input. Every failure becomes a one-line CliError that names the file.
 */

import { type Certificate, MtlsError, parseCertificates } from '../index.js';
import { CliError } from './errors.js';
import type { CliIO } from './io.js';

/** The certificates of one file, in file order. */
export interface CertificateFile {
  readonly path: string;
  readonly certificates: Certificate[];
}

/** Reads and parses one certificate file; throws CliError when it cannot. */
export function readCertificateFile(io: CliIO, path: string): CertificateFile {
  const bytes = readBytes(io, path);
  const name = path === '-' ? 'standard input' : path;
  if (bytes.length === 0) throw new CliError(`${name}: file is empty`);
  try {
    // A DER certificate starts with a SEQUENCE tag; anything else is read as PEM text.
    const input = bytes[0] === 0x30 ? bytes : new TextDecoder('utf-8').decode(bytes);
    return { path, certificates: parseCertificates(input) };
  } catch (error) {
    if (error instanceof MtlsError)
      throw new CliError(`${name}: not a certificate (${error.message})`);
    throw error;
  }
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
