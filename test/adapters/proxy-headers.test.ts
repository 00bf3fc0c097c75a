import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  certificateFromProxy,
  compileProxyOptions,
  isTrustedProxy,
  type ProxyOptions,
} from '../../src/adapters/proxy-headers.js';
import { simpleChain } from '../fixtures/pki.js';

const { leaf, intermediate } = await simpleChain();
const hex = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString('hex') : '');
const b64 = (der: Uint8Array) => Buffer.from(der).toString('base64');
const PROXY = '10.0.0.7';

function read(header: ProxyOptions['header'], headers: Record<string, string>, from = PROXY) {
  return certificateFromProxy(headers, from, { trusted: ['10.0.0.0/24'], header });
}

function expectChain(result: ReturnType<typeof read>, intermediates: Uint8Array[]) {
  expect(result.status).toBe('used');
  if (result.status !== 'used') return;
  expect(hex(result.certificate)).toBe(hex(leaf.der));
  expect(result.intermediates.map(hex)).toEqual(intermediates.map(hex));
}

describe('certificateFromProxy formats', () => {
  it('reads RFC 9440 Client-Cert and Client-Cert-Chain byte sequences', () => {
    expectChain(
      read('rfc9440', {
        'client-cert': `:${b64(leaf.der)}:`,
        'client-cert-chain': `:${b64(intermediate.der)}:, :${b64(intermediate.der)}:`,
      }),
      [intermediate.der, intermediate.der],
    );
    expectChain(read('rfc9440', { 'client-cert': `:${b64(leaf.der)}:` }), []);
  });

  it('reads the last element of Envoy x-forwarded-client-cert, Cert and Chain URL-encoded', () => {
    const cert = encodeURIComponent(leaf.pem);
    const chain = encodeURIComponent(`${leaf.pem}\n${intermediate.pem}`);
    const value = `By=spiffe://a;Hash=00;Cert="garbage",By=spiffe://proxy/b;Hash=abc;Cert="${cert}";Chain="${chain}";Subject="CN=x, O=\\"y\\"";URI=`;
    expectChain(read('xfcc', { 'x-forwarded-client-cert': value }), [intermediate.der]);
  });

  it('reads an Envoy element with only a Chain', () => {
    const chain = encodeURIComponent(`${leaf.pem}\n${intermediate.pem}`);
    expectChain(read('xfcc', { 'x-forwarded-client-cert': `Chain="${chain}"` }), [
      intermediate.der,
    ]);
  });

  it("reads nginx's $ssl_client_escaped_cert under the conventional and a configured name", () => {
    expectChain(read('nginx', { 'x-ssl-client-cert': encodeURIComponent(leaf.pem) }), []);
    const custom = certificateFromProxy({ 'x-client-pem': encodeURIComponent(leaf.pem) }, PROXY, {
      trusted: [PROXY],
      header: 'nginx',
      name: 'X-Client-PEM',
    });
    expectChain(custom, []);
  });

  it("reads nginx's older $ssl_client_cert with tab-indented lines", () => {
    const tabbed = leaf.pem.trim().split('\n').join('\n\t');
    expectChain(read('nginx', { 'x-ssl-client-cert': tabbed }), []);
  });

  it("reads Traefik's base64 DER without armour, URL-escaped and comma-separated", () => {
    const value = encodeURIComponent(`${b64(leaf.der)},${b64(intermediate.der)}`);
    expectChain(read('traefik', { 'x-forwarded-tls-client-cert': value }), [intermediate.der]);
    // Unescaped, as some setups forward it.
    expectChain(read('traefik', { 'x-forwarded-tls-client-cert': b64(leaf.der) }), []);
  });

  it("reads AWS ALB's X-Amzn-Mtls-Clientcert, URL-encoded PEM with + = / left as they are", () => {
    const pem = `${leaf.pem}\n${intermediate.pem}`;
    const value = encodeURIComponent(pem)
      .replace(/%2B/g, '+')
      .replace(/%3D/g, '=')
      .replace(/%2F/g, '/');
    expectChain(read('aws-alb', { 'x-amzn-mtls-clientcert': value }), [intermediate.der]);
  });

  it('passes an undecodable header from a trusted proxy on as bytes, so that it is judged malformed', () => {
    const result = read('rfc9440', { 'client-cert': 'not a byte sequence' });
    expect(result.status).toBe('used');
    if (result.status === 'used') expect(result.certificate.length).toBeGreaterThan(0);
    expect(read('xfcc', { 'x-forwarded-client-cert': 'Cert="%E0%A4%A"' }).status).toBe('used');
  });

  it('reports absent when the header is missing or empty', () => {
    expect(read('nginx', {})).toEqual({ status: 'absent' });
    expect(read('nginx', { 'x-ssl-client-cert': '' })).toEqual({ status: 'absent' });
    expect(read('nginx', {}, '203.0.113.9')).toEqual({ status: 'absent' });
  });
});

describe('certificateFromProxy trust', () => {
  it('ignores a spoofed header from an untrusted address and says so', () => {
    const result = read(
      'nginx',
      { 'x-ssl-client-cert': encodeURIComponent(leaf.pem) },
      '203.0.113.9',
    );
    expect(result.status).toBe('ignored');
    if (result.status === 'ignored') {
      expect(result.why).toContain('203.0.113.9');
      expect(result.why).toContain('x-ssl-client-cert');
    }
  });

  it('ignores the header when the remote address is unknown', () => {
    const result = read('nginx', { 'x-ssl-client-cert': encodeURIComponent(leaf.pem) }, '');
    expect(result.status).toBe('ignored');
    const none = certificateFromProxy({ 'x-ssl-client-cert': 'x' }, undefined, {
      trusted: ['0.0.0.0/0'],
      header: 'nginx',
    });
    expect(none.status).toBe('ignored');
  });

  it('matches IPv4 and IPv6 addresses and CIDRs, IPv4-mapped IPv6 included', () => {
    const options: ProxyOptions = {
      trusted: ['192.0.2.1', '10.1.0.0/16', '2001:db8::/32', '::1', '::ffff:172.16.0.0/108'],
      header: 'xfcc',
    };
    const yes = [
      '192.0.2.1',
      '::ffff:192.0.2.1',
      '10.1.255.3',
      '::ffff:10.1.0.1',
      '2001:db8:1::5',
      '::1',
      '172.16.9.9',
      '::ffff:ac10:0101',
      '2001:db8::1%eth0',
    ];
    const no = ['192.0.2.2', '10.2.0.1', '2001:db9::1', '::2', '172.32.0.1', 'localhost', ''];
    for (const address of yes) expect(isTrustedProxy(address, options), address).toBe(true);
    for (const address of no) expect(isTrustedProxy(address, options), address).toBe(false);
  });

  it('refuses bad trusted entries when the options are compiled', () => {
    const bad = ['10.0.0.0/33', '::/129', '300.1.1.1', 'example.com', '10.0.0.0/', '10.0.0.0/08'];
    for (const entry of bad) {
      expect(() => compileProxyOptions({ trusted: [entry], header: 'nginx' }), entry).toThrow(
        TypeError,
      );
    }
    expect(() => compileProxyOptions({ trusted: [], header: 'nginx' })).toThrow(TypeError);
    expect(() =>
      compileProxyOptions({ trusted: ['::1'], header: 'haproxy' as ProxyOptions['header'] }),
    ).toThrow(TypeError);
  });
});

describe('certificateFromProxy on arbitrary header values', () => {
  it('never throws and never invents a certificate from nothing, in any format', () => {
    const formats: ProxyOptions['header'][] = ['rfc9440', 'xfcc', 'nginx', 'traefik', 'aws-alb'];
    fc.assert(
      fc.property(
        fc.constantFrom(...formats),
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom(':', '%', '"', ',;=')),
        (format, value) => {
          const options: ProxyOptions = { trusted: ['127.0.0.1'], header: format };
          const name = compileProxyOptions(options).name;
          const result = certificateFromProxy({ [name]: value }, '127.0.0.1', options);
          expect(['used', 'absent']).toContain(result.status);
          if (result.status === 'used') expect(result.certificate.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 500 },
    );
  });
});
