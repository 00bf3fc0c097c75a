/**
 * The chain `verify` draws: the leaf at the top, each issuer indented under the certificate it
 * signed, every link marked as checked (✓), failed (✗) or not reached (·). On success it is the
 * builder's chain; on failure the builder names the certificate and position that failed, and
 * the rest of the path is reconstructed by issuer name so the user sees where it broke.
 */

import type { Certificate } from '../index.js';
import { type CertificateSummary, daysText, printableSummary, summarize } from './describe.js';
import { printable, type Style } from './style.js';

/** One certificate of the drawn chain. */
export interface ChainNode {
  readonly certificate: Certificate;
  readonly role: 'leaf' | 'intermediate' | 'anchor';
  /** The bundle (file) holding the certificate when it is an anchor. */
  readonly bundle?: string;
  readonly state: 'ok' | 'failed' | 'unchecked';
  /** Why the certificate failed, for the node marked `failed`. */
  readonly problem?: string;
}

/** Where the chain's certificates may come from. */
export interface ChainSources {
  /** Presented intermediates: the rest of the client file and `--untrusted`. */
  readonly presented: readonly Certificate[];
  /** Anchors with the name of the bundle holding each. */
  readonly anchors: readonly { readonly certificate: Certificate; readonly bundle: string }[];
}

/** The nodes of a successful chain (leaf first, anchor last). */
export function acceptedChain(
  chain: readonly Certificate[],
  bundle: string | undefined,
): ChainNode[] {
  return chain.map((certificate, i) => ({
    certificate,
    role: i === 0 ? 'leaf' : i === chain.length - 1 ? 'anchor' : 'intermediate',
    ...(i === chain.length - 1 && bundle !== undefined ? { bundle } : {}),
    state: 'ok',
  }));
}

/**
 * The nodes of a failed chain: the path by issuer name from the leaf, with the certificate the
 * builder blamed placed at its position. Links below it passed; links above were not reached.
 */
export function rejectedChain(
  leaf: Certificate,
  sources: ChainSources,
  failure: {
    certificate?: Certificate | undefined;
    position?: number | undefined;
    problem: string;
  },
): { nodes: ChainNode[]; missingIssuer: string | undefined } {
  const path: Certificate[] = [leaf];
  const blamedAt = failure.position ?? (failure.certificate ? undefined : 0);
  const extendFrom = (cert: Certificate) => {
    let current = cert;
    while (!current.isSelfIssued && path.length < 16) {
      const next = issuerOf(current, sources, path);
      if (!next) break;
      path.push(next);
      current = next;
      if (isAnchor(next, sources)) break;
    }
  };
  extendFrom(leaf);
  let failedIndex = blamedAt ?? 0;
  if (failure.certificate) {
    const found = path.findIndex((c) => c.fingerprint256 === failure.certificate!.fingerprint256);
    if (found >= 0) {
      failedIndex = found;
    } else {
      // The builder went another way than the name lookup; show its path up to the blame.
      failedIndex = Math.min(blamedAt ?? path.length, path.length);
      path.length = failedIndex;
      path.push(failure.certificate);
      extendFrom(failure.certificate);
    }
  }
  const nodes = path.map((certificate, i): ChainNode => {
    const anchorBundle = i > 0 ? bundleOf(certificate, sources) : undefined;
    return {
      certificate,
      role: i === 0 ? 'leaf' : anchorBundle !== undefined ? 'anchor' : 'intermediate',
      ...(anchorBundle !== undefined ? { bundle: anchorBundle } : {}),
      state: i < failedIndex ? 'ok' : i === failedIndex ? 'failed' : 'unchecked',
      ...(i === failedIndex ? { problem: failure.problem } : {}),
    };
  });
  const top = path[path.length - 1]!;
  const missingIssuer =
    !top.isSelfIssued && !isAnchor(top, sources) && !issuerOf(top, sources, path)
      ? top.issuer
      : undefined;
  return { nodes, missingIssuer };
}

function issuerOf(
  cert: Certificate,
  sources: ChainSources,
  path: readonly Certificate[],
): Certificate | undefined {
  const fresh = (c: Certificate) => c.subject === cert.issuer && !path.includes(c);
  return (
    sources.anchors.find((a) => fresh(a.certificate))?.certificate ?? sources.presented.find(fresh)
  );
}

function bundleOf(cert: Certificate, sources: ChainSources): string | undefined {
  return sources.anchors.find((a) => a.certificate.fingerprint256 === cert.fingerprint256)?.bundle;
}

function isAnchor(cert: Certificate, sources: ChainSources): boolean {
  return bundleOf(cert, sources) !== undefined;
}

/** The JSON form of a node. */
export function nodeJson(node: ChainNode, at: Date): CertificateSummary & Record<string, unknown> {
  return {
    role: node.role,
    ...(node.bundle !== undefined ? { bundle: node.bundle } : {}),
    check: node.state,
    ...(node.problem !== undefined ? { problem: node.problem } : {}),
    ...summarize(node.certificate, at),
  };
}

/** Draws the nodes as an indented tree, one issuer per level. */
export function drawChain(
  nodes: readonly ChainNode[],
  missingIssuer: string | undefined,
  at: Date,
  s: Style,
): string {
  const lines: string[] = [];
  nodes.forEach((node, depth) => {
    const last = depth === nodes.length - 1 && missingIssuer === undefined;
    const lead = depth === 0 ? '' : `${'   '.repeat(depth - 1)}└─ `;
    const body = `${'   '.repeat(depth)}${last ? '   ' : s.dim('│  ')}`;
    const mark =
      node.state === 'ok' ? s.green('✓') : node.state === 'failed' ? s.red('✗') : s.dim('·');
    const role = node.role === 'anchor' ? `anchor, bundle ${node.bundle ?? '?'}` : node.role;
    const c = printableSummary(summarize(node.certificate, at));
    lines.push(`  ${lead}${mark} ${s.bold(c.subject || '(empty subject)')}  ${s.dim(`(${role})`)}`);
    lines.push(`  ${body}${s.dim('issuer  ')}${c.issuer}`);
    const days =
      c.status === 'expired' || c.status === 'not-yet-valid' ? s.red(daysText(c)) : daysText(c);
    lines.push(`  ${body}${s.dim('valid   ')}${c.notBefore} → ${c.notAfter} (${days})`);
    if (node.problem !== undefined) lines.push(`  ${body}${s.red(printable(node.problem))}`);
  });
  if (missingIssuer !== undefined) {
    const depth = nodes.length;
    lines.push(
      `  ${'   '.repeat(depth - 1)}└─ ${s.red('✗')} ${s.bold(printable(missingIssuer))}  ${s.dim('(issuer not found in the bundles or the presented certificates)')}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
