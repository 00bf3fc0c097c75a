/**
 * A named set of trust anchors. Every certificate in a bundle is an anchor, self-signed or
 * not: mTLS deployments often trust an issuing intermediate directly, and RFC 5280 §6.1.1(d)
 * defines an anchor as a name and a key, not as a root.
 *
 * Anchors are indexed by subject name (DER, byte for byte) and by subject key identifier, so
 * that finding the issuers of a certificate costs a map lookup whatever the bundle's size.
 *
 * A bundle loaded by a TrustStore keeps each anchor's DER and index keys, and parses the
 * anchor again the first time a lookup returns it (once; the Certificate is then kept). A
 * handshake reaches one or two anchors of a store that may hold thousands, and a store held
 * ~4.5 KB per parsed anchor where its DER and index entries take ~0.9 KB (measured). It also keeps
 * V8 from allocating every later leaf parse in the old generation: the parse code's allocation
 * sites are marked "pretenure" when most of what they made outlives the young generation, as
 * 10,000 anchors kept from one load did, and the mark is never revisited; a new leaf under a
 * known intermediate then cost ~5 µs more, measured (RSA-2048, 33.9 against 28.5 µs).
 */

import { bytesHash, bytesKey, ownCopy, sameBytes } from '../bytes.js';
import { Certificate } from '../certificate.js';
import { normalizeDN } from '../dn.js';
import { type CertificateInput, eachCertificate } from '../input.js';

let nextBundleId = 1;

/** One anchor: its DER (a private copy) and, once a lookup has reached it, its parse. */
interface Anchor {
  readonly der: Uint8Array;
  readonly subjectDer: Uint8Array;
  parsed: Certificate | undefined;
}

/** Anchors under one index key, and their Certificates once a lookup has asked for them. */
interface Bucket {
  readonly anchors: Anchor[];
  certificates: readonly Certificate[] | undefined;
}

/** A named, immutable set of trust anchors. Create through `TrustStore.addBundle`. */
export class TrustBundle {
  /** The bundle's name in its store. */
  readonly name: string;
  /**
   * Host names the bundle is bound to. With any, the verifier and the adapters apply the
   * bundle only to connections whose server name (SNI) matches one (bundleApplies), never to
   * one that named none; buildChain itself does not read them.
   */
  readonly hosts: readonly string[];
  /**
   * A number no other bundle of this process carries, for caches of your own: bundles are
   * immutable, so an answer kept under it was computed for these anchors.
   */
  readonly id: number;

  readonly #anchors: Anchor[] = [];
  /** By a hash of the subject's DER; a bucket may hold other names (compare before use). */
  readonly #bySubject = new Map<number, Bucket>();
  readonly #byKeyId = new Map<string, Bucket>();
  #byNormalizedName: Map<string, Anchor[]> | undefined;
  #certificates: readonly Certificate[] | undefined;

  /** @internal Use `TrustStore.addBundle`, which validates the name and the input. */
  constructor(name: string, certificates: readonly Certificate[], hosts: readonly string[]) {
    this.name = name;
    this.hosts = Object.freeze([...hosts]);
    this.id = nextBundleId++;
    for (const cert of certificates) this.#add(cert, true);
  }

  /**
   * @internal The bundle of every certificate in `input`, each indexed as soon as it is
   * parsed and then let go (its DER copied; parsed again on first use, see the class
   * comment). Certificate objects in `input` are kept as they are. Throws as
   * `parseCertificates`.
   */
  static load(name: string, input: CertificateInput, hosts: readonly string[]): TrustBundle {
    const bundle = new TrustBundle(name, [], hosts);
    eachCertificate(input, (cert, given) => bundle.#add(cert, given));
    return bundle;
  }

  #add(cert: Certificate, keepParsed: boolean): void {
    const subjectHash = bytesHash(cert.subjectDer);
    const bucket = this.#bySubject.get(subjectHash);
    if (bucket?.anchors.some((a) => sameBytes(a.der, cert.der))) return;
    let anchor: Anchor;
    if (keepParsed) {
      anchor = { der: cert.der, subjectDer: cert.subjectDer, parsed: cert };
    } else {
      const der = ownCopy(cert.der);
      const at = cert.subjectDer.byteOffset - cert.der.byteOffset;
      anchor = {
        der,
        subjectDer: der.subarray(at, at + cert.subjectDer.length),
        parsed: undefined,
      };
    }
    this.#anchors.push(anchor);
    add(this.#bySubject, subjectHash, anchor);
    const ski = cert.subjectKeyIdentifier;
    if (ski) add(this.#byKeyId, bytesKey(ski), anchor);
  }

  /**
   * @internal The anchors' DER, in the order of `certificates`, without parsing any: for
   * callers that need only the bytes (the CA list a TLS server advertises).
   */
  get ders(): readonly Uint8Array[] {
    return this.#anchors.map((a) => a.der);
  }

  /** The anchors, in the order given, without exact duplicates. */
  get certificates(): readonly Certificate[] {
    this.#certificates ??= Object.freeze(this.#anchors.map(parsed));
    return this.#certificates;
  }

  /** Anchors whose subject name equals `nameDer` byte for byte. */
  bySubject(nameDer: Uint8Array): readonly Certificate[] {
    return this.bySubjectHashed(nameDer, bytesHash(nameDer));
  }

  /**
   * @internal `bySubject` with the name's `bytesHash` already made: the chain builder looks
   * one issuer name up in up to five bundles and hashes it once.
   */
  bySubjectHashed(nameDer: Uint8Array, hash: number): readonly Certificate[] {
    const bucket = this.#bySubject.get(hash);
    if (!bucket) return EMPTY;
    // Nearly always every entry has the name; a collision costs a filtered copy.
    for (const anchor of bucket.anchors) {
      if (!sameBytes(anchor.subjectDer, nameDer)) {
        return bucket.anchors.filter((a) => sameBytes(a.subjectDer, nameDer)).map(parsed);
      }
    }
    return certificatesOf(bucket);
  }

  /**
   * Anchors whose subject is the same name as `normalizedName` (a `normalizeDN` string) under
   * RFC 4518 string preparation: the fallback of RFC 5280 §7.1 when no subject matches byte
   * for byte. The index is built on first use, once per bundle: about 13 µs per anchor
   * (126 ms for 10,000, measured), paid by the first certificate whose issuer no anchor
   * names byte for byte, rather than by every load.
   */
  byNormalizedSubject(normalizedName: string): readonly Certificate[] {
    this.#byNormalizedName ??= normalizedIndex(this.#anchors);
    return this.#byNormalizedName.get(normalizedName)?.map(parsed) ?? EMPTY;
  }

  /** Anchors whose subjectKeyIdentifier equals `keyId`. */
  byKeyIdentifier(keyId: Uint8Array): readonly Certificate[] {
    const bucket = this.#byKeyId.get(bytesKey(keyId));
    return bucket ? certificatesOf(bucket) : EMPTY;
  }

  /** Whether this exact certificate (same DER) is one of the anchors. */
  has(cert: Certificate): boolean {
    // Through the name index: no anchor usually has a leaf's subject, so this costs a lookup.
    const bucket = this.#bySubject.get(bytesHash(cert.subjectDer));
    return bucket?.anchors.some((a) => a.parsed === cert || sameBytes(a.der, cert.der)) ?? false;
  }

  get size(): number {
    return this.#anchors.length;
  }

  toString(): string {
    return `TrustBundle(${this.name}, ${this.#anchors.length} anchors)`;
  }
}

/** The anchor's Certificate, parsed on first use (its DER parsed once before, at load). */
function parsed(anchor: Anchor): Certificate {
  anchor.parsed ??= Certificate.fromDER(anchor.der);
  return anchor.parsed;
}

function certificatesOf(bucket: Bucket): readonly Certificate[] {
  bucket.certificates ??= bucket.anchors.map(parsed);
  return bucket.certificates;
}

function add<K>(map: Map<K, Bucket>, key: K, anchor: Anchor): void {
  const bucket = map.get(key);
  if (bucket) {
    bucket.anchors.push(anchor);
  } else {
    map.set(key, { anchors: [anchor], certificates: undefined });
  }
}

const EMPTY: readonly Certificate[] = Object.freeze([]);

/**
 * Items (certificates, anchors) by `normalizeDN` of their subject; names that do not
 * normalize are left out.
 */
export function normalizedIndex<T extends { readonly subjectDer: Uint8Array }>(
  items: readonly T[],
): Map<string, T[]> {
  const index = new Map<string, T[]>();
  for (const item of items) {
    const name = normalizedName(item.subjectDer);
    if (name === undefined) continue;
    const list = index.get(name);
    if (list) list.push(item);
    else index.set(name, [item]);
  }
  return index;
}

/** `normalizeDN` of a Name's DER, or `undefined` when it is not a name we can read. */
export function normalizedName(der: Uint8Array): string | undefined {
  try {
    return normalizeDN(der);
  } catch {
    return undefined;
  }
}
