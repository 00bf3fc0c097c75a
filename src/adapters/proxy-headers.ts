/**
 * The client certificate as a TLS-terminating proxy forwards it in a request header, honoured
 * only when the connection comes from a configured proxy address: anyone else could write
 * the header themselves. Formats:
 *
 * - `rfc9440`: `Client-Cert: :<base64 DER>:` and `Client-Cert-Chain: :<b64>:, :<b64>:`
 *   (RFC 9440, structured-field byte sequences);
 * - `xfcc`: Envoy's `x-forwarded-client-cert`, `Cert="<URL-encoded PEM>";Chain="<…>"`; of
 *   several comma-separated elements the last, which the nearest proxy appended, counts;
 * - `nginx`: `$ssl_client_escaped_cert`, URL-encoded PEM, conventionally `x-ssl-client-cert`;
 * - `traefik`: `X-Forwarded-Tls-Client-Cert`, base64 DER without PEM armour, leaf then chain,
 *   comma-separated, the whole URL-escaped (Traefik's passTLSClientCert `pem: true`);
 * - `aws-alb`: `X-Amzn-Mtls-Clientcert`, URL-encoded PEM, leaf then chain (mTLS passthrough).
 *
 * A header from a trusted proxy that cannot be decoded is handed on as its raw bytes, so that
 * the verifier answers 4018 `malformed` instead of the request silently falling back to the
 * connection's (absent) certificate.
 */

import { isIP } from 'node:net';
import { scanPem } from '../pem.js';

/** Which proxy convention the header follows. */
export type ProxyHeaderFormat = 'rfc9440' | 'xfcc' | 'nginx' | 'traefik' | 'aws-alb';

/** Where to read a forwarded client certificate, and from whom. */
export interface ProxyOptions {
  /** Proxy addresses or CIDRs (IPv4, IPv6); a header from any other peer is ignored. */
  readonly trusted: readonly string[];
  readonly header: ProxyHeaderFormat;
  /** Header name when it differs from the format's convention. */
  readonly name?: string;
}

/** What {@link certificateFromProxy} found. */
export type ProxyCertificate =
  | {
      readonly status: 'used';
      readonly certificate: Uint8Array;
      readonly intermediates: Uint8Array[];
    }
  | { readonly status: 'absent' }
  | { readonly status: 'ignored'; readonly why: string };

/** Header values as node:http gives them (names in lower case). */
export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

const DEFAULT_NAMES: Readonly<Record<ProxyHeaderFormat, string>> = {
  rfc9440: 'client-cert',
  xfcc: 'x-forwarded-client-cert',
  nginx: 'x-ssl-client-cert',
  traefik: 'x-forwarded-tls-client-cert',
  'aws-alb': 'x-amzn-mtls-clientcert',
};

interface Range {
  readonly bytes: Uint8Array;
  readonly prefix: number;
}

/** Options checked and compiled once: see {@link compileProxyOptions}. */
export interface CompiledProxy {
  readonly format: ProxyHeaderFormat;
  readonly name: string;
  readonly ranges: readonly Range[];
}

const compiled = new WeakMap<ProxyOptions, CompiledProxy>();

/**
 * Checks the options and parses `trusted`; throws TypeError naming a bad entry (an address
 * that is not one, a prefix too long). Called by {@link certificateFromProxy} on first use of
 * an options object; call it yourself to fail at start-up.
 */
export function compileProxyOptions(options: ProxyOptions): CompiledProxy {
  const known = compiled.get(options);
  if (known) return known;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('proxy options must be an object { trusted, header, name? }');
  }
  const format = options.header;
  if (!Object.hasOwn(DEFAULT_NAMES, format)) {
    throw new TypeError(`proxy.header must be one of ${Object.keys(DEFAULT_NAMES).join(', ')}`);
  }
  if (!Array.isArray(options.trusted) || options.trusted.length === 0) {
    throw new TypeError('proxy.trusted must list at least one address or CIDR');
  }
  const ranges = options.trusted.map((entry: unknown) => {
    const range = typeof entry === 'string' ? parseRange(entry.trim()) : undefined;
    if (!range)
      throw new TypeError(`proxy.trusted: ${JSON.stringify(entry)} is not an IP address or CIDR`);
    return range;
  });
  const name = (options.name ?? DEFAULT_NAMES[format]).toLowerCase();
  if (name === '') throw new TypeError('proxy.name must not be empty');
  const result = Object.freeze({ format, name, ranges: Object.freeze(ranges) });
  compiled.set(options, result);
  return result;
}

/** Whether `address` (as `socket.remoteAddress` gives it) is one of the trusted proxies. */
export function isTrustedProxy(address: string | undefined, options: ProxyOptions): boolean {
  const bytes = address === undefined ? undefined : toIPv6(address);
  if (!bytes) return false;
  return compileProxyOptions(options).ranges.some((range) => inRange(bytes, range));
}

/**
 * The client certificate a trusted proxy forwarded. `absent` when the header is not there;
 * `ignored` (saying why) when it came from a peer that is not a trusted proxy. Throws
 * TypeError only for bad options.
 */
export function certificateFromProxy(
  headers: HeaderBag,
  remoteAddress: string | undefined,
  options: ProxyOptions,
): ProxyCertificate {
  const proxy = compileProxyOptions(options);
  const value = headerValue(headers, proxy.name);
  const chainValue =
    proxy.format === 'rfc9440' ? headerValue(headers, 'client-cert-chain') : undefined;
  if (value === undefined || value.trim() === '' || value.trim() === '(null)') {
    return { status: 'absent' };
  }
  if (!isTrustedProxy(remoteAddress, options)) {
    return {
      status: 'ignored',
      why: `the ${proxy.name} header came from ${remoteAddress ?? 'an unknown address'}, which is not a trusted proxy`,
    };
  }
  const certificates = decode(proxy.format, value, chainValue);
  if (!certificates || certificates.length === 0) {
    return { status: 'used', certificate: new TextEncoder().encode(value), intermediates: [] };
  }
  const [certificate, ...intermediates] = certificates;
  return { status: 'used', certificate: certificate!, intermediates };
}

function headerValue(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  // A repeated header is joined as RFC 9110 §5.3 says lists combine.
  return typeof value === 'string' ? value : value.join(', ');
}

function decode(
  format: ProxyHeaderFormat,
  value: string,
  chain: string | undefined,
): Uint8Array[] | undefined {
  switch (format) {
    case 'rfc9440': {
      const leaf = byteSequences(value);
      if (leaf?.length !== 1) return undefined;
      const rest = chain === undefined || chain.trim() === '' ? [] : byteSequences(chain);
      return rest ? [...leaf, ...rest] : undefined;
    }
    case 'xfcc':
      return xfcc(value);
    case 'nginx':
    case 'aws-alb':
      return pemDers(percentDecode(value));
    case 'traefik': {
      const text = percentDecode(value);
      if (text === undefined) return undefined;
      const out: Uint8Array[] = [];
      for (const part of text.split(',')) {
        const der = base64(part.replace(/\s+/g, ''));
        if (!der) return undefined;
        out.push(der);
      }
      return out;
    }
  }
}

/** An sf-list of byte sequences (`:b64:, :b64:`), RFC 8941 §3.3.5; parameters refused. */
function byteSequences(text: string): Uint8Array[] | undefined {
  const out: Uint8Array[] = [];
  for (const member of text.split(',')) {
    const match = /^\s*:([A-Za-z0-9+/=]*):\s*$/.exec(member);
    const der = match ? base64(match[1]!) : undefined;
    if (!der) return undefined;
    out.push(der);
  }
  return out;
}

/** The last XFCC element's Cert (leaf) and Chain (which repeats the leaf first). */
function xfcc(text: string): Uint8Array[] | undefined {
  const elements = splitOutsideQuotes(text, ',');
  const last = elements[elements.length - 1];
  if (last === undefined) return undefined;
  let cert: Uint8Array[] | undefined;
  let chain: Uint8Array[] | undefined;
  for (const pair of splitOutsideQuotes(last, ';')) {
    const eq = pair.indexOf('=');
    if (eq === -1) return undefined;
    const key = pair.slice(0, eq).trim().toLowerCase();
    let raw = pair.slice(eq + 1).trim();
    if (raw.startsWith('"')) {
      if (!raw.endsWith('"') || raw.length < 2) return undefined;
      raw = raw.slice(1, -1).replace(/\\(.)/g, '$1');
    }
    if (key === 'cert') cert = pemDers(percentDecode(raw));
    else if (key === 'chain') chain = pemDers(percentDecode(raw));
  }
  const leaf = cert?.[0] ?? chain?.[0];
  if (!leaf) return undefined;
  const rest = (chain ?? []).filter((der) => !sameBytes(der, leaf));
  return [leaf, ...rest];
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (c === separator && !quoted) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** Percent-decoding; `+` stays `+` (base64 text), since none of these proxies encode spaces. */
function percentDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function pemDers(text: string | undefined): Uint8Array[] | undefined {
  if (text === undefined) return undefined;
  // nginx's older $ssl_client_cert indents continuation lines with a tab.
  try {
    const blocks = scanPem(text.replace(/\t/g, ''));
    const ders = blocks.filter((b) => b.label === 'CERTIFICATE').map((b) => b.der);
    return ders.length > 0 ? ders : undefined;
  } catch {
    return undefined;
  }
}

function base64(text: string): Uint8Array | undefined {
  if (text.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === 0 ? undefined : new Uint8Array(bytes);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** An address as 16 bytes, IPv4 as IPv4-mapped IPv6; a zone (`%eth0`) is dropped. */
function toIPv6(address: string): Uint8Array | undefined {
  const text = address.replace(/%.*$/, '').replace(/^\[(.*)\]$/, '$1');
  const kind = isIP(text);
  if (kind === 4) {
    const out = new Uint8Array(16);
    out[10] = 0xff;
    out[11] = 0xff;
    text.split('.').forEach((part, i) => {
      out[12 + i] = Number(part);
    });
    return out;
  }
  if (kind !== 6) return undefined;
  return ipv6Bytes(text);
}

function ipv6Bytes(text: string): Uint8Array | undefined {
  let head = text;
  const tail: number[] = [];
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    head = `${dotted[1]}0:0`;
    tail.push(...dotted[2]!.split('.').map(Number));
  }
  const [left, right] = head.includes('::') ? head.split('::') : [head, undefined];
  const groups = (s: string | undefined) =>
    s ? s.split(':').map((g) => Number.parseInt(g, 16)) : [];
  const l = groups(left);
  const r = groups(right);
  const all =
    right === undefined ? l : [...l, ...new Array<number>(8 - l.length - r.length).fill(0), ...r];
  if (all.length !== 8) return undefined;
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  if (tail.length === 4) out.set(tail, 12);
  return out;
}

function parseRange(entry: string): Range | undefined {
  const slash = entry.indexOf('/');
  const address = slash === -1 ? entry : entry.slice(0, slash);
  const bytes = toIPv6(address);
  if (!bytes) return undefined;
  const max = isIP(address.replace(/^\[(.*)\]$/, '$1')) === 4 ? 32 : 128;
  let prefix = max;
  if (slash !== -1) {
    const text = entry.slice(slash + 1);
    if (!/^(0|[1-9][0-9]{0,2})$/.test(text) || Number(text) > max) return undefined;
    prefix = Number(text);
  }
  return { bytes, prefix: prefix + (128 - max) };
}

function inRange(address: Uint8Array, range: Range): boolean {
  for (let bit = 0; bit < range.prefix; bit++) {
    const mask = 0x80 >> (bit & 7);
    if ((address[bit >> 3]! & mask) !== (range.bytes[bit >> 3]! & mask)) return false;
  }
  return true;
}
