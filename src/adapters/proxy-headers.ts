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

import { BlockList, isIP } from 'node:net';
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

/** Options checked and compiled once: see {@link compileProxyOptions}. */
export interface CompiledProxy {
  readonly format: ProxyHeaderFormat;
  readonly name: string;
  /** The trusted addresses; Node's BlockList matches IPv4-mapped IPv6 against IPv4 rules. */
  readonly trusted: BlockList;
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
  const trusted = new BlockList();
  for (const entry of options.trusted as unknown[]) {
    if (typeof entry !== 'string' || !addTrusted(trusted, entry.trim())) {
      throw new TypeError(`proxy.trusted: ${JSON.stringify(entry)} is not an IP address or CIDR`);
    }
  }
  const name = (options.name ?? DEFAULT_NAMES[format]).toLowerCase();
  if (name === '') throw new TypeError('proxy.name must not be empty');
  const result = Object.freeze({ format, name, trusted });
  compiled.set(options, result);
  return result;
}

/** Whether `address` (as `socket.remoteAddress` gives it) is one of the trusted proxies. */
export function isTrustedProxy(address: string | undefined, options: ProxyOptions): boolean {
  const { trusted } = compileProxyOptions(options);
  const ip = address === undefined ? undefined : ipOf(address);
  return ip !== undefined && trusted.check(ip.address, ip.family);
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
  const certificates = repeated(headers, proxy)
    ? undefined
    : decode(proxy.format, value, chainValue);
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

/**
 * Whether a header that carries one certificate (with its chain) came more than once: as
 * several values, or joined by node:http with ", " — a comma no PEM text holds. The first
 * instance may be the client's own, passed on by a proxy that appends instead of replacing,
 * so neither instance can be trusted: the request is answered `malformed`. (XFCC is a list
 * by design, its last element counting; RFC 9440's Client-Cert is refused when it holds
 * more than one byte sequence.)
 */
function repeated(headers: HeaderBag, proxy: CompiledProxy): boolean {
  const raw = headers[proxy.name];
  if (proxy.format === 'xfcc' || raw === undefined) return false;
  if (typeof raw !== 'string') return raw.length > 1;
  return (proxy.format === 'nginx' || proxy.format === 'aws-alb') && raw.includes(',');
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

/** An address without brackets or zone (`%eth0`), with its family; `undefined` if none. */
function ipOf(text: string): { address: string; family: 'ipv4' | 'ipv6' } | undefined {
  const address = text.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const kind = isIP(address);
  return kind === 0 ? undefined : { address, family: kind === 4 ? 'ipv4' : 'ipv6' };
}

/** Adds `entry` (an address or CIDR) to `list`; `false` when it is neither. */
function addTrusted(list: BlockList, entry: string): boolean {
  const slash = entry.indexOf('/');
  const ip = ipOf(slash === -1 ? entry : entry.slice(0, slash));
  if (!ip) return false;
  if (slash === -1) {
    list.addAddress(ip.address, ip.family);
    return true;
  }
  const text = entry.slice(slash + 1);
  const prefix = Number(text);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(text) || prefix > (ip.family === 'ipv4' ? 32 : 128)) {
    return false;
  }
  list.addSubnet(ip.address, prefix, ip.family);
  return true;
}
