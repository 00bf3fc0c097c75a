import { X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import {
  capturePeerCertificates,
  MAX_RESUMABLE_LEAVES,
  peerCertificates,
  rememberAcceptedChain,
} from '../../src/adapters/peer-chain.js';
import { ca, endEntity } from '../fixtures/pki.js';

const root = await ca('Peer Root');
const intermediate = await ca('Peer Intermediate', { issuer: root });
const leaf = await endEntity('peer-client', { issuer: intermediate });
const selfSigned = await ca('Self Signed Client');
const serverRoot = await ca('Peer Server Root');
const server = await endEntity('localhost', { issuer: serverRoot, eku: ['1.3.6.1.5.5.7.3.1'] });

interface Client {
  readonly cert?: string;
  readonly key?: string;
}

/**
 * Starts a TLS server on 127.0.0.1 whose `ca` is `serverCa`, connects once with `client`,
 * and resolves to what `inspect` returns for the server side of the connection.
 */
function onServerSocket<T>(
  serverCa: string[],
  client: Client,
  inspect: (socket: TLSSocket) => T,
  capture = false,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const srv = createServer(
      {
        cert: server.pem,
        key: server.keyPem,
        requestCert: true,
        rejectUnauthorized: false,
        ca: serverCa,
      },
      (socket) => {
        try {
          resolve(inspect(socket));
        } catch (error) {
          reject(error);
        } finally {
          socket.end();
          srv.close();
        }
      },
    );
    if (capture) capturePeerCertificates(srv);
    srv.on('tlsClientError', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      const socket = connect({
        host: '127.0.0.1',
        port,
        rejectUnauthorized: false,
        ...(client.cert ? { cert: client.cert, key: client.key } : {}),
      });
      socket.on('error', () => {});
      socket.resume();
    });
  });
}

const sendsChain = { cert: `${leaf.pem}\n${intermediate.pem}`, key: leaf.keyPem };
const hex = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString('hex') : '');
const subjects = (ders: Uint8Array[]) => ders.map((der) => new X509Certificate(der).subject);

describe('peerCertificates on a real TLS connection', () => {
  it('gives the leaf and the intermediate the client sent, as DER', async () => {
    const peer = await onServerSocket([root.pem], sendsChain, peerCertificates);
    expect(hex(peer.certificate)).toBe(hex(leaf.der));
    expect(hex(peer.intermediates[0])).toBe(hex(intermediate.der));
  });

  it('shows that Node completes the chain from the server ca list (the root was never sent)', async () => {
    const peer = await onServerSocket([root.pem], sendsChain, peerCertificates);
    expect(subjects(peer.intermediates)).toEqual(['CN=Peer Intermediate', 'CN=Peer Root']);
  });

  it('shows that Node adds an intermediate from the server ca list when the client sent only its leaf', async () => {
    const peer = await onServerSocket(
      [intermediate.pem, root.pem],
      { cert: leaf.pem, key: leaf.keyPem },
      peerCertificates,
    );
    expect(hex(peer.certificate)).toBe(hex(leaf.der));
    expect(subjects(peer.intermediates)).toContain('CN=Peer Intermediate');
  });

  it('shows the Node pitfall: after getPeerX509Certificate the detailed chain is the leaf alone', async () => {
    const walked = await onServerSocket([root.pem], sendsChain, (socket) => {
      socket.getPeerX509Certificate();
      const detailed = socket.getPeerCertificate(true);
      return detailed.issuerCertificate === undefined || detailed.issuerCertificate === detailed;
    });
    expect(walked).toBe(true);
  });

  it('shows that a second getPeerX509Certificate has lost the intermediates as well', async () => {
    const [first, second] = await onServerSocket([root.pem], sendsChain, (socket) => [
      socket.getPeerX509Certificate()?.issuerCertificate?.subject,
      socket.getPeerX509Certificate()?.issuerCertificate?.subject,
    ]);
    expect(first).toBe('CN=Peer Intermediate');
    expect(second).toBeUndefined();
  });

  it('still gives the leaf when other code called getPeerX509Certificate first', async () => {
    const peer = await onServerSocket([root.pem], sendsChain, (socket) => {
      socket.getPeerX509Certificate();
      return peerCertificates(socket);
    });
    expect(hex(peer.certificate)).toBe(hex(leaf.der));
  });

  it('keeps the intermediates with capturePeerCertificates, whatever runs before the gate', async () => {
    const peer = await onServerSocket(
      [root.pem],
      sendsChain,
      (socket) => {
        socket.getPeerX509Certificate();
        socket.getPeerCertificate(true);
        return peerCertificates(socket);
      },
      true,
    );
    expect(hex(peer.certificate)).toBe(hex(leaf.der));
    expect(hex(peer.intermediates[0])).toBe(hex(intermediate.der));
  });

  it('answers the same on a second call, whatever was called on the socket in between', async () => {
    const [first, second] = await onServerSocket([root.pem], sendsChain, (socket) => {
      const a = peerCertificates(socket);
      socket.getPeerX509Certificate();
      socket.getPeerCertificate(true);
      return [a, peerCertificates(socket)];
    });
    expect(hex(second!.certificate)).toBe(hex(first!.certificate));
    expect(second!.intermediates.map(hex)).toEqual(first!.intermediates.map(hex));
    expect(second!.intermediates).toHaveLength(2);
  });

  it('gives a self-signed client certificate once, without following its self-reference', async () => {
    const peer = await onServerSocket(
      [root.pem],
      { cert: selfSigned.pem, key: selfSigned.keyPem },
      peerCertificates,
    );
    expect(hex(peer.certificate)).toBe(hex(selfSigned.der));
    expect(peer.intermediates).toEqual([]);
  });

  it('gives no certificate when the client sent none', async () => {
    const peer = await onServerSocket([root.pem], {}, peerCertificates);
    expect(peer.certificate).toBeUndefined();
    expect(peer.intermediates).toEqual([]);
  });
});

describe('peerCertificates on unusual socket objects', () => {
  it('stops on a cycle of issuer links and on repeated certificates', () => {
    const a: Record<string, unknown> = { raw: Buffer.from(leaf.der) };
    const b: Record<string, unknown> = { raw: Buffer.from(intermediate.der), issuerCertificate: a };
    a.issuerCertificate = b;
    const socket = {
      getPeerCertificate: () => a,
      getPeerX509Certificate: () => undefined,
    } as unknown as TLSSocket;
    const peer = peerCertificates(socket);
    expect(hex(peer.certificate)).toBe(hex(leaf.der));
    expect(peer.intermediates.map(hex)).toEqual([hex(intermediate.der)]);
  });

  it('answers no certificate when the socket accessors throw', () => {
    const socket = {
      getPeerCertificate: () => {
        throw new Error('closed');
      },
      getPeerX509Certificate: () => {
        throw new Error('closed');
      },
    } as unknown as TLSSocket;
    expect(peerCertificates(socket)).toEqual({ certificate: undefined, intermediates: [] });
  });
});

describe('peerCertificates on resumed TLS sessions', () => {
  /**
   * Connects three times with one client session cache: the first connection is a full
   * handshake, the next two resume its session. `accept` says whether the server tells
   * rememberAcceptedChain that the chain passed. Resolves to what the server read each time.
   */
  async function resumed(maxVersion: 'TLSv1.2' | 'TLSv1.3', accept: boolean) {
    const seen: { reused: boolean; intermediates: string[] }[] = [];
    const srv = createServer(
      {
        cert: server.pem,
        key: server.keyPem,
        requestCert: true,
        rejectUnauthorized: false,
        ca: [root.pem],
        maxVersion,
      },
      (socket) => {
        const peer = peerCertificates(socket);
        seen.push({ reused: socket.isSessionReused(), intermediates: peer.intermediates.map(hex) });
        // What the verifier accepts here: leaf → intermediate → root (Node adds the root).
        const path = [peer.certificate!, ...peer.intermediates].map((der) => ({ der }));
        if (accept) rememberAcceptedChain(socket, { ok: true, chain: path });
        socket.end('done');
      },
    );
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const { port } = srv.address() as AddressInfo;
    let session: Buffer | undefined;
    try {
      for (let i = 0; i < 3; i++) {
        await new Promise<void>((resolve, reject) => {
          const socket = connect({
            host: '127.0.0.1',
            port,
            rejectUnauthorized: false,
            maxVersion,
            cert: [leaf.pem, intermediate.pem].join('\n'),
            key: leaf.keyPem,
            ...(session ? { session } : {}),
          });
          // TLS 1.3 hands the ticket over after the handshake, as a 'session' event.
          socket.on('session', (s: Buffer) => {
            session ??= s;
          });
          socket.on('data', () => {});
          socket.on('end', () => {
            session ??= socket.getSession();
            resolve();
          });
          socket.on('error', reject);
        });
      }
    } finally {
      srv.close();
    }
    return seen;
  }

  for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
    it(`lends a resumed ${version} session the intermediates accepted on its full handshake`, async () => {
      const seen = await resumed(version, true);
      expect(seen.map((s) => s.reused)).toEqual([false, true, true]);
      for (const s of seen) expect(s.intermediates).toContain(hex(intermediate.der));
    });
  }

  it('lends nothing that was not accepted: a resumed session then reads its leaf alone', async () => {
    const seen = await resumed('TLSv1.3', false);
    expect(seen.map((s) => s.reused)).toEqual([false, true, true]);
    expect(seen[0]!.intermediates).toContain(hex(intermediate.der));
    expect(seen[1]!.intermediates).not.toContain(hex(intermediate.der));
  });

  /** A socket of a server, as Node makes them for a full handshake or a resumed session. */
  function fakeSocket(owner: object, chain: Uint8Array[], reused: boolean): TLSSocket {
    const links = chain.map((der) => ({ raw: Buffer.from(der) }) as Record<string, unknown>);
    links.forEach((link, i) => {
      link.issuerCertificate = links[i + 1];
    });
    return {
      server: owner,
      isSessionReused: () => reused,
      getPeerCertificate: () => links[0],
      getPeerX509Certificate: () => undefined,
    } as unknown as TLSSocket;
  }

  /**
   * A full handshake presenting `presented`, and the verdict accepting the path `path` (leaf
   * and intermediates; the root is added as its anchor).
   */
  function accepted(owner: object, presented: Uint8Array[], path = presented): void {
    const socket = fakeSocket(owner, presented, false);
    peerCertificates(socket);
    const chain = [...path, root.der].map((der) => ({ der }));
    rememberAcceptedChain(socket, { ok: true, chain });
  }

  const lent = (owner: object, leafDer: Uint8Array) =>
    peerCertificates(fakeSocket(owner, [leafDer], true)).intermediates;

  it('lends only to a resumed session, of the same leaf, on the same server, and copies', () => {
    const [one, other] = [{}, {}];
    accepted(one, [leaf.der, intermediate.der]);
    // The leaf alone on a full handshake: the client sent nothing more.
    expect(peerCertificates(fakeSocket(one, [leaf.der], false)).intermediates).toEqual([]);
    expect(lent(other, leaf.der)).toEqual([]);
    expect(lent(one, selfSigned.der)).toEqual([]);
    const first = lent(one, leaf.der);
    expect(first.map(hex)).toEqual([hex(intermediate.der)]);
    // What one connection does to its copy reaches no other.
    first[0]!.fill(0);
    expect(lent(one, leaf.der).map(hex)).toEqual([hex(intermediate.der)]);
  });

  it('keeps the path the verifier accepted, not everything the client sent', () => {
    const owner = {};
    const junk = new Uint8Array(2048).fill(0x30);
    accepted(owner, [leaf.der, intermediate.der, junk], [leaf.der, intermediate.der]);
    expect(lent(owner, leaf.der).map(hex)).toEqual([hex(intermediate.der)]);
    // A refused verdict, or one without a chain, keeps nothing.
    const other = {};
    const socket = fakeSocket(other, [leaf.der, intermediate.der], false);
    peerCertificates(socket);
    rememberAcceptedChain(socket, { ok: false });
    rememberAcceptedChain(socket, { ok: true });
    expect(lent(other, leaf.der)).toEqual([]);
  });

  it('reads a resumed session again until the chain of its full handshake is accepted', () => {
    const owner = {};
    const resumedSocket = fakeSocket(owner, [leaf.der], true);
    // The resumed connection's first request comes while the full handshake is in verification.
    expect(peerCertificates(resumedSocket).intermediates).toEqual([]);
    accepted(owner, [leaf.der, intermediate.der]);
    expect(peerCertificates(resumedSocket).intermediates.map(hex)).toEqual([hex(intermediate.der)]);
  });

  it(`remembers at most ${MAX_RESUMABLE_LEAVES} leaves per server, forgetting the least recently used`, () => {
    const owner = {};
    const distinct = (i: number) => {
      // Distinct DER is all the memory looks at: the leaf with its last octets changed.
      const der = new Uint8Array(leaf.der);
      der[der.length - 1] = i & 0xff;
      der[der.length - 2] = (i >> 8) & 0xff;
      return der;
    };
    for (let i = 0; i < MAX_RESUMABLE_LEAVES; i++) accepted(owner, [distinct(i), intermediate.der]);
    // Leaf 0 is used again, so leaf 1 is the oldest when one more comes.
    expect(lent(owner, distinct(0))).toHaveLength(1);
    accepted(owner, [distinct(MAX_RESUMABLE_LEAVES), intermediate.der]);
    expect(lent(owner, distinct(1))).toEqual([]);
    expect(lent(owner, distinct(0))).toHaveLength(1);
    expect(lent(owner, distinct(2))).toHaveLength(1);
  });

  it('keeps no chain over 64 KB, and at most 8 MB of intermediates per server', () => {
    const owner = {};
    const big = new Uint8Array(40 * 1024).fill(0x30);
    const big2 = new Uint8Array(40 * 1024).fill(0x31);
    accepted(owner, [leaf.der, big, big2]); // 80 KB: not kept
    expect(lent(owner, leaf.der)).toEqual([]);
    const distinct = (i: number) => {
      const der = new Uint8Array(leaf.der);
      der[der.length - 1] = i & 0xff;
      der[der.length - 2] = (i >> 8) & 0xff;
      return der;
    };
    // 40 KB each: 204 fit in 8 MB; the 205th pushes out the oldest.
    for (let i = 0; i < 205; i++) accepted(owner, [distinct(i), big]);
    expect(lent(owner, distinct(0))).toEqual([]);
    expect(lent(owner, distinct(1))).toHaveLength(1);
    expect(lent(owner, distinct(204))).toHaveLength(1);
  });
});
