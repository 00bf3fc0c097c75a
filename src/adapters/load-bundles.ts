/** Loading trust bundles from files: the one place the node adapter reads the file system. */

import { readFile } from 'node:fs/promises';
import type { Certificate } from '../certificate.js';
import { MtlsError } from '../errors.js';
import { parseCertificates } from '../input.js';
import type { TrustBundle } from '../trust/trust-bundle.js';
import type { AddBundleOptions, TrustStore } from '../trust/trust-store.js';

/**
 * Reads PEM or DER certificate files and stores them as the bundle `name` (replacing one of
 * that name). A file whose text holds `-----BEGIN` is read as PEM (any number of blocks),
 * anything else as one DER certificate. Rejects with the file system's error for an
 * unreadable file, MtlsError 4018 `malformed` (naming the file) for one that is not
 * certificates, TrustStoreError for a bad name; the store is unchanged then.
 */
export async function loadBundleFiles(
  store: TrustStore,
  name: string,
  paths: string | readonly string[],
  options?: AddBundleOptions,
): Promise<TrustBundle> {
  const list = typeof paths === 'string' ? [paths] : [...paths];
  if (list.length === 0) throw new TypeError('loadBundleFiles: no file given');
  const contents = await Promise.all(list.map((path) => readFile(path)));
  const certificates: Certificate[] = [];
  contents.forEach((bytes, i) => {
    const text = bytes.toString('latin1');
    try {
      certificates.push(
        ...parseCertificates(text.includes('-----BEGIN') ? text : new Uint8Array(bytes)),
      );
    } catch (error) {
      if (!(error instanceof MtlsError)) throw error;
      throw new MtlsError(error.code, `${list[i]}: ${error.message}`, error.reason, {
        cause: error,
      });
    }
  });
  return store.addBundle(name, certificates, options);
}
