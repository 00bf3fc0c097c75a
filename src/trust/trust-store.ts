/**
 * TrustStore: the named trust bundles a server knows. API clients select bundles by name; the
 * chain builder takes bundles as anchors.
 */

import type { CertificateInput } from '../input.js';
import { TrustBundle } from './trust-bundle.js';

/** Longest bundle name accepted. */
export const MAX_BUNDLE_NAME_LENGTH = 128;

/** A bundle name or bundle content the store refuses; a programming or configuration error. */
export class TrustStoreError extends Error {
  override readonly name = 'TrustStoreError';
  readonly code: 'invalid-bundle-name' | 'empty-bundle' | 'invalid-hosts';

  constructor(code: TrustStoreError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * Bundle names are 1–128 characters of printable ASCII (0x20–0x7E) that neither start nor end
 * with a space. No control characters, no non-ASCII: names end up in logs, config files and
 * error bodies, where an invisible or look-alike character would make two names that read the
 * same refer to different bundles.
 */
export function validateBundleName(name: unknown): string {
  if (typeof name !== 'string') {
    throw new TrustStoreError('invalid-bundle-name', 'bundle name must be a string');
  }
  if (name.length === 0 || name.length > MAX_BUNDLE_NAME_LENGTH) {
    throw new TrustStoreError(
      'invalid-bundle-name',
      `bundle name must be 1 to ${MAX_BUNDLE_NAME_LENGTH} characters, got ${name.length}`,
    );
  }
  if (!/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(name)) {
    throw new TrustStoreError(
      'invalid-bundle-name',
      `bundle name ${JSON.stringify(name)} must be printable ASCII without leading or trailing spaces`,
    );
  }
  return name;
}

/** Options of {@link TrustStore.addBundle}. */
export interface AddBundleOptions {
  /**
   * Host names (SNI) the bundle is bound to: it then applies only to connections that named
   * one of them (see TrustBundle.hosts). Chain building alone does not read them.
   */
  hosts?: string[];
}

/**
 * Named trust bundles. Adding a bundle under a name that exists replaces it (certificate
 * rotation); every add and remove bumps {@link TrustStore.version}, which caches key on.
 */
export class TrustStore {
  readonly #bundles = new Map<string, TrustBundle>();
  #version = 0;
  #list: readonly TrustBundle[] | undefined;

  /**
   * Parses `certificates` and stores them as the bundle `name`. Throws TrustStoreError for a
   * bad name or an empty bundle, MtlsError 4018 `malformed` for input that is not
   * certificates. Certificates may appear in several bundles. DER is copied: the caller may
   * reuse its buffers.
   */
  addBundle(
    name: string,
    certificates: CertificateInput,
    options: AddBundleOptions = {},
  ): TrustBundle {
    validateBundleName(name);
    const hosts = options.hosts ?? [];
    if (!Array.isArray(hosts) || hosts.some((h) => typeof h !== 'string' || h.length === 0)) {
      throw new TrustStoreError('invalid-hosts', 'hosts must be an array of non-empty strings');
    }
    const bundle = TrustBundle.load(name, certificates, hosts);
    if (bundle.size === 0) {
      throw new TrustStoreError('empty-bundle', `bundle "${name}" holds no certificates`);
    }
    this.#bundles.set(name, bundle);
    this.#changed();
    return bundle;
  }

  /** Removes the bundle; `false` when there was none by that name. */
  removeBundle(name: string): boolean {
    const removed = this.#bundles.delete(name);
    if (removed) this.#changed();
    return removed;
  }

  getBundle(name: string): TrustBundle | undefined {
    return this.#bundles.get(name);
  }

  /** Every bundle, in insertion order (a replaced bundle keeps its place). */
  get bundles(): readonly TrustBundle[] {
    this.#list ??= Object.freeze([...this.#bundles.values()]);
    return this.#list;
  }

  /** Changes on every add and remove: a cache that records it can tell it is stale. */
  get version(): number {
    return this.#version;
  }

  #changed(): void {
    this.#version++;
    this.#list = undefined;
  }
}
