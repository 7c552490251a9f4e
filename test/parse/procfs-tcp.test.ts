// /proc/net/tcp{,6} on real captures (test/fixtures/linux-proc-net-tcp/SOURCES)
// and on this host against `ss -tan` (the oracle) for sockets the test made.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatIpv6 } from '../../src/os/parse/ipv6-format.js';
import { looksLikeProcNetTcp, parseProcNetTcp } from '../../src/os/parse/procfs-tcp.js';
import { ParseError } from '../../src/os/parse/text.js';
import { emptySocketTable, type SocketRow } from '../../src/os/sockets.js';
import { fixture, fixtureNames } from '../helpers/fixtures.js';

function parse(text: string) {
  const t = emptySocketTable();
  parseProcNetTcp(text, 'f', t);
  return t.rows;
}
const brief = (r: SocketRow) => `${r.state} ${r.local.address}:${r.local.port} ${r.remote.address}:${r.remote.port}`;

describe('/proc/net/tcp parser on captured samples', () => {
  it('reads IPv4 rows, including a short TIME_WAIT row without an owner inode', () => {
    const rows = parse(fixture('linux-proc-net-tcp', 'root-kptr-proc-net-tcp-with-timewait.txt'));
    expect(rows.map(brief)).toEqual([
      'LISTEN 127.0.0.54:53 0.0.0.0:0',
      'LISTEN 127.0.0.53:53 0.0.0.0:0',
      'LISTEN 127.0.0.1:40341 0.0.0.0:0',
      'ESTABLISHED 127.0.0.1:40341 127.0.0.1:51720',
      'TIME_WAIT 192.168.158.135:41994 185.125.190.39:80',
      'ESTABLISHED 127.0.0.1:51720 127.0.0.1:40341',
    ]);
    expect(rows[0]).toMatchObject({ family: 'ipv4', uid: 992, inode: 9694, acceptQueue: { length: 0, max: null } });
    expect(rows[4]).toMatchObject({ inode: 0, uid: 0, recvQ: 0, sendQ: 0 });
  });

  it('reads IPv4-mapped and plain IPv6 rows', () => {
    expect(parse(fixture('linux-proc-net-tcp', 'root-kptr-proc-net-tcp6-v4mapped.txt')).map(brief)).toEqual([
      'LISTEN :::22 :::0',
      'ESTABLISHED ::ffff:192.168.158.135:22 ::ffff:192.168.158.1:49435',
      'ESTABLISHED ::ffff:192.168.158.135:22 ::ffff:192.168.158.1:49439',
    ]);
    expect(parse(fixture('linux-proc-net-tcp', 'ubuntu-nonroot-proc-net-tcp6.txt')).map(brief).slice(0, 3)).toEqual([
      'LISTEN ::ffff:127.0.0.1:8005 :::0',
      'LISTEN :::8080 :::0',
      'LISTEN ::1:631 :::0',
    ]);
  });

  it('reads a CLOSE_WAIT row with unread data in its receive queue', () => {
    const row = parse(fixture('linux-proc-net-tcp', 'ubuntu-nonroot-proc-net-tcp.txt'))[4]!;
    expect(brief(row)).toBe('CLOSE_WAIT 192.168.132.130:35267 91.189.94.25:80');
    expect(row).toMatchObject({ recvQ: 1, sendQ: 0, uid: 1000, inode: 19408 });
  });

  it('reads every sample, also with CRLF and with spacing collapsed by a paste', () => {
    for (const name of fixtureNames('linux-proc-net-tcp')) {
      const text = fixture('linux-proc-net-tcp', name);
      expect(looksLikeProcNetTcp(text)).toBe(true);
      const rows = parse(text);
      expect(rows.length).toBeGreaterThan(2);
      expect(parse(text.replace(/\n/g, '\r\n'))).toEqual(rows);
      expect(parse(text.replace(/ +/g, ' '))).toEqual(rows);
    }
  });

  it('names the line of a broken row', () => {
    expect(() => parse('  sl  local_address rem_address   st tx_queue rx_queue\n   0: 0100007F:0CEA nonsense\n')).toThrow(/line 2: not a socket row/);
  });

  it('refuses a uid or inode too large for JSON to carry exactly (a mangled paste), on the fast path and the slow one', () => {
    const name = fixtureNames('linux-proc-net-tcp')[0]!;
    const lines = fixture('linux-proc-net-tcp', name).split('\n');
    const at = lines.findIndex((l) => /^\s*0:/.test(l));
    for (const spacing of [(t: string) => t, (t: string) => t.replace(/ +/g, ' ')]) {
      const withUid = lines.map((l, i) => (i === at ? l.replace(/^(\s*0:(?:\s+\S+){6}\s+)\d+/, '$199999999999999999999') : l)).join('\n');
      expect(withUid).not.toBe(lines.join('\n'));
      expect(() => parse(spacing(withUid))).toThrow(new RegExp(`line ${at + 1}: `));
    }
  });

  it('never throws anything but ParseError', () => {
    const samples = fixtureNames('linux-proc-net-tcp').map((n) => fixture('linux-proc-net-tcp', n));
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.nat(), fc.string({ maxLength: 20 }), (text, at, junk) => {
        const i = at % text.length;
        try {
          parse(text.slice(0, i) + junk + text.slice(i));
        } catch (err) {
          if (!(err instanceof ParseError)) throw err;
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('IPv6 text form', () => {
  it('follows RFC 5952', () => {
    const b = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));
    expect(formatIpv6(b('00000000000000000000000000000001'))).toBe('::1');
    expect(formatIpv6(b('20010db8000000000001000000000001'))).toBe('2001:db8::1:0:0:1');
    expect(formatIpv6(b('fe800000000000001c2d3e4f5a6b7c8d'))).toBe('fe80::1c2d:3e4f:5a6b:7c8d');
    expect(formatIpv6(b('00000000000000000000ffff7f000001'))).toBe('::ffff:127.0.0.1');
    expect(formatIpv6(b('20010db8000100010001000100010001'))).toBe('2001:db8:1:1:1:1:1:1');
  });
});

describe.skipIf(process.platform !== 'linux')('/proc/net/tcp against ss -tan on this host (skip reason: not Linux)', () => {
  let server: Server;
  let server6: Server;
  const clients: Socket[] = [];
  beforeAll(async () => {
    server = createServer((s) => clients.push(s));
    server6 = createServer((s) => clients.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => server6.listen(0, '::1', r));
    for (const [srv, host] of [[server, '127.0.0.1'], [server6, '::1']] as const) {
      const port = (srv.address() as { port: number }).port;
      for (let i = 0; i < 3; i++) clients.push(await new Promise<Socket>((r) => { const c = connect(port, host, () => r(c)); }));
    }
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await Promise.all([server, server6].map((s) => new Promise((r) => s.close(r))));
  });

  it('gives the same 4-tuples and states as ss for the test\'s own sockets', () => {
    const ports = [server, server6].map((s) => (s.address() as { port: number }).port);
    const t = emptySocketTable();
    parseProcNetTcp(readFileSync('/proc/net/tcp', 'latin1'), '/proc/net/tcp', t);
    parseProcNetTcp(readFileSync('/proc/net/tcp6', 'latin1'), '/proc/net/tcp6', t);
    // Exact 4-tuples of this test's sockets: other tests running at the same time (or their
    // TIME_WAIT leftovers) may reuse one of these port numbers on another tuple.
    const tuple = (la: string, lp: number, ra: string, rp: number) => `${la}:${lp} ${ra}:${rp}`;
    const tuples = new Set([
      ...clients.map((c) => tuple(c.localAddress!, c.localPort!, c.remoteAddress!, c.remotePort!)),
      tuple('127.0.0.1', ports[0]!, '0.0.0.0', 0),
      tuple('::1', ports[1]!, '::', 0),
    ]);
    const ours = (l: { address: string; port: number }, r: { address: string; port: number }) => tuples.has(tuple(l.address, l.port, r.address, r.port));
    const mine = t.rows.filter((r) => ours(r.local, r.remote)).map((r) => `${r.state} ${r.local.address}:${r.local.port} ${r.remote.address}:${r.remote.port}`);
    // ss prints "[::1]:p", "0.0.0.0:*", "ESTAB"; bring it to our notation.
    const ss = execFileSync('ss', ['-tanH'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .map(([state, , , local, remote]) => {
        const ep = (s: string) => {
          const m = /^\[?(.*?)\]?:(\d+|\*)$/.exec(s)!;
          return { address: m[1] === '*' ? '::' : m[1]!, port: m[2] === '*' ? 0 : Number(m[2]) };
        };
        const [l, r] = [ep(local!), ep(remote!)];
        const st = state === 'ESTAB' ? 'ESTABLISHED' : state!.replace(/-/g, '_').replace('SYN_RECV', 'SYN_RECEIVED');
        return { text: `${st} ${l.address}:${l.port} ${r.address}:${r.port}`, l, r };
      })
      .filter((x) => ours(x.l, x.r))
      .map((x) => x.text);
    expect(mine.length).toBe(2 + 12);
    expect(mine.sort()).toEqual(ss.sort());
  });
});
