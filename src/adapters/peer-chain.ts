/**
 * The certificates a TLS client presented, read off a `tls.TLSSocket` as raw DER.
 *
 * What Node 20 (20.20) does, found by the tests in test/adapters/peer-chain.test.ts:
 *
 * - `getPeerCertificate(true)` links each certificate to its issuer through
 *   `issuerCertificate`; a self-signed root links to itself.
 * - The links are not only what the client sent. Node completes the chain from the server's
 *   own `ca` list: a client that sends leaf + intermediate to a server whose `ca` holds the
 *   root gets leaf → intermediate → root, and a client that sends only its leaf to a server
 *   whose `ca` holds the intermediate gets the intermediate too. That is harmless here: the
 *   verifier treats everything after the leaf as untrusted intermediates and re-validates
 *   against its own bundles, so an extra certificate can only help build a path that the
 *   bundles vouch for anyway.
 * - Calling `getPeerX509Certificate()` consumes the links: a `getPeerCertificate(true)` made
 *   after it returns the leaf alone, and so does a second `getPeerX509Certificate()` (its
 *   `issuerCertificate` is undefined). Only the first X509Certificate keeps the intermediates
 *   the client sent on its `issuerCertificate`, without those Node added from the store.
 *   Once other code has made that first call, the intermediates are gone for good.
 *
 * - A resumed session (a TLS 1.3 ticket, a TLS 1.2 ticket or session id) brings the leaf
 *   and nothing the client sent after it: the session stores the peer's certificate alone.
 *   Node resumes by default, and its https.Agent caches sessions, so a client whose bundle
 *   holds only its root would be refused on every connection after the first.
 *
 * So the first answer on a socket is remembered (per socket, in a WeakMap), the detailed
 * walk is tried first, and when it yields a lone leaf the X509Certificate walk is tried too,
 * the longer answer winning. Once the verifier has accepted a full handshake's chain
 * ({@link rememberAcceptedChain}; the adapters and verifySocket call it), the intermediates of
 * the path it accepted are remembered by the leaf, per server (bounded in leaves and bytes),
 * and lent to a resumed session of that leaf: they let the verifier build that path again,
 * and nothing else a client sends is kept. To be immune to code that calls
 * `getPeerX509Certificate()` before the gate runs, call {@link capturePeerCertificates} on
 * the server: it reads the chain as soon as each handshake completes.
 */

import { createHash, type X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate, Server, TLSSocket } from 'node:tls';

/** The client's certificates as raw DER; `certificate` is undefined when it sent none. */
export interface PeerCertificates {
  readonly certificate: Uint8Array | undefined;
  /** What follows the leaf, issuer order, without repeats (see the module notes). */
  readonly intermediates: Uint8Array[];
}

/** More links than any real chain has: a bound against a pathological object graph. */
const MAX_LINKS = 16;

const remembered = new WeakMap<TLSSocket, PeerCertificates>();

/**
 * The leaf and the intermediates the peer presented. Remembered per socket, so that every
 * request of a keep-alive connection sees the same answer even though Node's own accessors
 * change theirs after the first call. Never throws for a socket without a certificate.
 */
export function peerCertificates(socket: TLSSocket): PeerCertificates {
  const known = remembered.get(socket);
  if (known) return { certificate: known.certificate, intermediates: [...known.intermediates] };
  const fromDetailed = walk(safeDetailed(socket), (c) => c.issuerCertificate);
  let chain = fromDetailed;
  if (fromDetailed.length <= 1) {
    const fromX509 = walk(safeX509(socket), (c) => c.issuerCertificate);
    if (fromX509.length > chain.length) chain = fromX509;
  }
  const lone = chain.length === 1;
  const result: PeerCertificates = {
    certificate: chain[0],
    intermediates: lone ? acceptedBefore(socket, chain[0]!) : chain.slice(1),
  };
  // An empty answer is not remembered: a renegotiation may still bring a certificate. Nor is
  // a resumed session's lone leaf before its chain is known: the full handshake that made the
  // session may still be in verification, and its chain would then reach this connection's
  // next request.
  const waiting = lone && result.intermediates.length === 0 && sessionReused(socket);
  if (result.certificate && !waiting) remembered.set(socket, result);
  return { certificate: result.certificate, intermediates: [...result.intermediates] };
}

/**
 * Reads (and remembers) every connection's peer chain as soon as its handshake completes, on
 * a `tls.Server` or `https.Server`, before any other code can call `getPeerX509Certificate()`
 * and lose the intermediates. Returns `server`.
 */
export function capturePeerCertificates<S extends Server>(server: S): S {
  // prependListener: run before the server's own handlers (https' request parsing included).
  server.prependListener('secureConnection', (socket: TLSSocket) => {
    peerCertificates(socket);
  });
  return server;
}

/** Leaves whose accepted intermediates a server remembers for resumed sessions. */
export const MAX_RESUMABLE_LEAVES = 4096;
/** Bytes of intermediates a server remembers in all, and for one leaf. */
const MAX_RESUMABLE_BYTES = 8 * 1024 * 1024;
const MAX_CHAIN_BYTES = 64 * 1024;

interface Accepted {
  /** A leaf's DER (base64) → the intermediates accepted with it; Map order is use order. */
  readonly byLeaf: Map<string, readonly Uint8Array[]>;
  bytes: number;
}

const accepted = new WeakMap<object, Accepted>();

/**
 * Remembers the intermediates of the path `verdict` accepted (its chain without the leaf and
 * the anchor), by the leaf, for resumed sessions of that leaf on the server of `socket`,
 * which bring the leaf alone. Call it with an accepted verdict for the chain that
 * `peerCertificates(socket)` read on a full handshake; anything else is ignored, as is a path
 * over 64 KB. A server keeps the 4,096 most recently used leaves and 8 MB of intermediates.
 */
export function rememberAcceptedChain(socket: TLSSocket, verdict: AcceptedVerdict): void {
  try {
    keep(socket, verdict);
  } catch {
    // A socket or verdict of unusual make: its resumed sessions are verified as they come.
  }
}

/** What rememberAcceptedChain reads of a verdict: whether it is ok, and its path. */
export interface AcceptedVerdict {
  readonly ok: boolean;
  readonly chain?: readonly { readonly der: Uint8Array }[];
}

function keep(socket: TLSSocket, verdict: AcceptedVerdict): void {
  const chain = verdict?.ok === true ? verdict.chain : undefined;
  const server = serverOf(socket);
  if (!Array.isArray(chain) || chain.length < 3 || !server || sessionReused(socket)) return;
  const path = chain.slice(1, -1).map((cert) => cert.der);
  let size = 0;
  for (const der of path) size += der.length;
  if (size > MAX_CHAIN_BYTES) return;
  let memory = accepted.get(server);
  if (!memory) {
    memory = { byLeaf: new Map(), bytes: 0 };
    accepted.set(server, memory);
  }
  const key = keyOf(chain[0]!.der);
  forget(memory, key);
  while (
    memory.byLeaf.size > 0 &&
    (memory.byLeaf.size >= MAX_RESUMABLE_LEAVES || memory.bytes + size > MAX_RESUMABLE_BYTES)
  ) {
    forget(memory, memory.byLeaf.keys().next().value!);
  }
  memory.byLeaf.set(
    key,
    path.map((der) => new Uint8Array(der)),
  );
  memory.bytes += size;
}

function forget(memory: Accepted, key: string): void {
  const chain = memory.byLeaf.get(key);
  if (!chain) return;
  for (const der of chain) memory.bytes -= der.length;
  memory.byLeaf.delete(key);
}

/** For a resumed session's lone leaf, copies of the intermediates accepted with it before. */
function acceptedBefore(socket: TLSSocket, leaf: Uint8Array): Uint8Array[] {
  const server = sessionReused(socket) ? serverOf(socket) : undefined;
  const memory = server && accepted.get(server);
  if (!memory) return [];
  const key = keyOf(leaf);
  const chain = memory.byLeaf.get(key);
  if (!chain) return [];
  // Used again: the newest entry.
  memory.byLeaf.delete(key);
  memory.byLeaf.set(key, chain);
  return chain.map((der) => new Uint8Array(der));
}

/** Whether the socket's TLS session was resumed; false for a socket that cannot say. */
export function sessionReused(socket: TLSSocket): boolean {
  try {
    return socket.isSessionReused() === true;
  } catch {
    return false; // not a TLS socket as Node makes them
  }
}

function serverOf(socket: TLSSocket): object | undefined {
  const server = (socket as { server?: unknown }).server;
  return typeof server === 'object' && server !== null ? server : undefined;
}

/** A leaf's key: its SHA-256, so that a long leaf costs the memory no more than a short one. */
const keyOf = (der: Uint8Array) => createHash('sha256').update(der).digest('base64');

interface Linked {
  readonly raw?: unknown;
}

/** Follows issuer links from `first`, stopping at a self-reference, a repeat or MAX_LINKS. */
function walk<T extends Linked>(
  first: T | undefined,
  next: (cert: T) => T | undefined,
): Uint8Array[] {
  const out: Uint8Array[] = [];
  const seenObjects = new Set<T>();
  const seenDer = new Set<string>();
  let current = first;
  while (current && out.length < MAX_LINKS && !seenObjects.has(current)) {
    seenObjects.add(current);
    const raw = current.raw;
    if (!(raw instanceof Uint8Array) || raw.length === 0) break;
    const key = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64');
    if (seenDer.has(key)) break;
    seenDer.add(key);
    out.push(new Uint8Array(raw));
    let following: T | undefined;
    try {
      following = next(current);
    } catch {
      break;
    }
    current = following;
  }
  return out;
}

function safeDetailed(socket: TLSSocket): DetailedPeerCertificate | undefined {
  try {
    const cert = socket.getPeerCertificate(true);
    return cert && Object.keys(cert).length > 0 ? cert : undefined;
  } catch {
    return undefined;
  }
}

function safeX509(socket: TLSSocket): X509Certificate | undefined {
  try {
    return typeof socket.getPeerX509Certificate === 'function'
      ? socket.getPeerX509Certificate()
      : undefined;
  } catch {
    return undefined;
  }
}
