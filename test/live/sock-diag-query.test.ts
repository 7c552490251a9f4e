// sock_diag asked for fewer sockets (issue #19): the kernel runs our state
// mask and inet_diag bytecode on every socket it walks. On this host's real
// table: every row the kernel returns for a query meets it, and none of this
// file's sockets that meets it is left out, asked the one-walk way and per
// family alike.
import { createRequire } from 'node:module';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { release } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSockDiag, type SockDiagRequest } from '../../src/os/linux/sock-diag.js';
import type { SockDiagQuery } from '../../src/os/linux/sock-diag-query.js';
import type { SocketRow } from '../../src/os/sockets.js';
import { listenBelowEphemeral } from '../helpers/quiet-port.js';

/** What the query means, written from its documentation rather than from the bytecode. */
function meets(r: SocketRow, q: SockDiagQuery): boolean {
  if (q.states && !q.states.includes(r.state)) return false;
  if (q.port !== undefined && r.local.port !== q.port && r.remote.port !== q.port) return false;
  if (q.localPort !== undefined && r.local.port !== q.localPort) return false;
  if (q.remotePort !== undefined && r.remote.port !== q.remotePort) return false;
  if (q.localPortRanges && !q.localPortRanges.some(([lo, hi]) => r.local.port >= lo && r.local.port <= hi)) return false;
  return true;
}

/**
 * A socket bound to 127.0.0.1 and a free port, neither listening nor
 * connected (Node has no such TCP socket: libc through koffi). Returns its
 * port and how to close it.
 */
function boundOnly(): { port: number; close: () => void } {
  const koffi = createRequire(__filename)('koffi');
  const libc = koffi.load('libc.so.6');
  const socket = libc.func('int socket(int, int, int)');
  const bind = libc.func('int bind(int, const void *, uint32_t)');
  const getsockname = libc.func('int getsockname(int, _Out_ uint8_t *, _Inout_ uint32_t *)');
  const close = libc.func('int close(int)');
  const fd = socket(2, 1, 0);
  const sa = Buffer.alloc(16);
  sa.writeUInt16LE(2, 0);
  sa.set([127, 0, 0, 1], 4);
  if (fd < 0 || bind(fd, sa, 16) !== 0) throw new Error('could not bind a socket to 127.0.0.1');
  const out = Buffer.alloc(16);
  if (getsockname(fd, out, [16]) !== 0) throw new Error('getsockname failed');
  return { port: out.readUInt16BE(2), close: () => close(fd) };
}

/** Linux 6.8 and later dump bound-only sockets ("bound inactive", reported as CLOSE) when asked; older kernels never do. */
const [major, minor] = release().split('.').map(Number);
const BOUND_DUMPED = major! > 6 || (major === 6 && minor! >= 8);

const tuple = (r: SocketRow) => `${r.state} ${r.local.address}:${r.local.port} ${r.remote.address}:${r.remote.port}`;

describe.skipIf(process.platform !== 'linux')('sock_diag with a state mask and a port filter (skip reason: not Linux)', () => {
  const servers: Server[] = [];
  const open: Socket[] = [];
  let a = 0;
  let b = 0;
  let bound: ReturnType<typeof boundOnly> | undefined;
  /** This file's sockets, by local and remote endpoint (tests alongside may reuse the port numbers on other tuples). */
  const ours = new Set<string>();
  const endpoints = (s: Socket) => `${s.localAddress}:${s.localPort} ${s.remoteAddress}:${s.remotePort}`;

  beforeAll(async () => {
    const listen = async (host: string) => {
      const s = createServer((c) => {
        open.push(c);
        // The accepted side closes as soon as its client does: the client, closing first, keeps TIME_WAIT.
        c.on('end', () => c.end());
      });
      servers.push(s);
      return listenBelowEphemeral(s, host);
    };
    a = await listen('127.0.0.1');
    b = await listen('::1');
    ours.add(`127.0.0.1:${a} 0.0.0.0:0`).add(`::1:${b} :::0`);
    const dial = (port: number, host: string) => new Promise<Socket>((r) => { const c = connect(port, host, () => r(c)); });
    for (const [port, host] of [[a, '127.0.0.1'], [a, '127.0.0.1'], [b, '::1']] as const) {
      const c = await dial(port, host);
      open.push(c);
      ours.add(endpoints(c)).add(`${c.remoteAddress}:${c.remotePort} ${c.localAddress}:${c.localPort}`);
    }
    const closing = await dial(a, '127.0.0.1');
    ours.add(endpoints(closing));
    // The server answers our FIN with its own (allowHalfOpen off: 'close' comes
    // once that FIN was read), so by 'close' this end is in TIME_WAIT.
    await new Promise<void>((r) => closing.once('close', () => r()).end());
    bound = boundOnly();
    ours.add(`127.0.0.1:${bound.port} 0.0.0.0:0`);
  });
  afterAll(async () => {
    bound?.close();
    for (const s of open) s.destroy();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  const rowsOf = async (how: SockDiagRequest, query?: SockDiagQuery) => {
    const diag = await readSockDiag(how, query);
    if (!('records' in diag)) throw new Error(`sock_diag unavailable here: ${diag.unavailable}`);
    return diag.records.toRows();
  };
  const mine = (rows: SocketRow[]) => rows.filter((r) => ours.has(`${r.local.address}:${r.local.port} ${r.remote.address}:${r.remote.port}`)).map(tuple).sort();

  const queries: Array<[string, () => SockDiagQuery, number]> = [
    ['local port A', () => ({ localPort: a }), 3],
    ['remote port A', () => ({ remotePort: a }), 3],
    ['either end on A', () => ({ port: a }), 6],
    ['either end on B', () => ({ port: b }), 3],
    ['LISTEN', () => ({ states: ['LISTEN'] }), 2],
    ['TIME_WAIT toward A', () => ({ states: ['TIME_WAIT'], remotePort: a }), 1],
    ['ESTABLISHED on A', () => ({ states: ['ESTABLISHED'], port: a }), 4],
    ['local port A or B', () => ({ localPortRanges: [[a, a], [b, b]] }), 5],
    ['local port B or A, either end on A', () => ({ localPortRanges: [[b, b], [a, a]], port: a }), 3],
    ['no local port at all', () => ({ localPortRanges: [] }), 0],
    // A user trial: `sockets --state CLOSED` missed the bound-only socket the whole table showed as CLOSED.
    ['CLOSED (a bound-only socket)', () => ({ states: ['CLOSED'] }), BOUND_DUMPED ? 1 : 0],
  ];

  for (const how of ['one-walk', 'per-family'] as const) {
    it.each(queries)(`${how}: %s`, async (_, query, expected) => {
      const [all, asked] = [await rowsOf(how), await rowsOf(how, query())];
      expect(mine(all)).toHaveLength(2 + 6 + 1 + (BOUND_DUMPED ? 1 : 0));
      expect(mine(all).filter((t) => t.startsWith('TIME_WAIT '))).toHaveLength(1);
      // Nothing the query leaves out comes back, from any socket of the host...
      expect(asked.filter((r) => !meets(r, query()))).toEqual([]);
      // ...and every socket of ours that meets it does.
      expect(mine(asked)).toEqual(mine(all).filter((t) => meets(all.find((r) => tuple(r) === t)!, query())));
      expect(mine(asked)).toHaveLength(expected);
    });
  }
});
