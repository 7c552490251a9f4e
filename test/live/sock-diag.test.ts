// The two Linux socket-table mechanisms: netlink sock_diag (through koffi) and
// /proc/net/tcp. They must agree on the same sockets; without koffi the CLI
// must fall back to procfs and say so.
import { readFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSockDiag } from '../../src/os/linux/sock-diag.js';
import { prepareOwnerWalk } from '../../src/os/linux/owner-walk.js';
import { readProcessName } from '../../src/os/linux/owners.js';
import { matchRecordOwners } from '../../src/os/linux/sock-diag-owners.js';
import { writeSocketRowsJson } from '../../src/report/socket-rows-json.js';
import { parseProcNetTcp } from '../../src/os/parse/procfs-tcp.js';
import { emptySocketTable, type SocketRow } from '../../src/os/sockets.js';
import { runCli } from '../helpers/cli.js';
import { cliWithoutKoffi } from '../helpers/bundle-without.js';

describe.skipIf(process.platform !== 'linux')('netlink sock_diag and /proc/net/tcp (skip reason: not Linux)', () => {
  let server: Server;
  let port: number;
  const open: Socket[] = [];
  beforeAll(async () => {
    server = createServer((s) => open.push(s));
    await new Promise<void>((r) => server.listen({ port: 0, host: '::1', backlog: 7 }, r));
    port = (server.address() as { port: number }).port;
    for (let i = 0; i < 2; i++) open.push(await new Promise<Socket>((r) => { const c = connect(port, '::1', () => r(c)); }));
  });
  afterAll(async () => {
    for (const s of open) s.destroy();
    await new Promise((r) => server.close(r));
  });

  const key = (r: SocketRow) => `${r.state} ${r.family} ${r.local.address}:${r.local.port} ${r.remote.address}:${r.remote.port} inode=${r.inode} uid=${r.uid}`;
  // Exact 4-tuples: tests running alongside may reuse this port number on another tuple.
  const tuple = (la: string, lp: number, ra: string, rp: number) => `${la}:${lp} ${ra}:${rp}`;
  const ours = (rows: SocketRow[]) => {
    const tuples = new Set([tuple('::1', port, '::', 0), ...open.map((s) => tuple(s.localAddress!, s.localPort!, s.remoteAddress!, s.remotePort!))]);
    return rows.filter((r) => tuples.has(tuple(r.local.address, r.local.port, r.remote.address, r.remote.port))).map(key).sort();
  };

  it('give the same rows for the same sockets; only netlink knows the backlog limit', async () => {
    const diag = await readSockDiag();
    if (!('records' in diag)) throw new Error(`sock_diag unavailable here: ${diag.unavailable}`);
    const diagRows = diag.records.toRows();
    const proc = emptySocketTable();
    parseProcNetTcp(readFileSync('/proc/net/tcp6', 'latin1'), 'tcp6', proc);
    expect(ours(diagRows)).toHaveLength(5);
    expect(ours(diagRows)).toEqual(ours(proc.rows));
    const listener = (rows: SocketRow[]) => rows.find((r) => r.state === 'LISTEN' && r.local.port === port)!.acceptQueue;
    expect(listener(diagRows)).toEqual({ length: 0, max: 7 });
    expect(listener(proc.rows)).toEqual({ length: 0, max: null });
  });

  it('the one-walk request and the per-family requests return the same sockets', async () => {
    const rowsOf = async (how: 'one-walk' | 'per-family') => {
      const diag = await readSockDiag(how);
      if (!('records' in diag)) throw new Error(`sock_diag (${how}) unavailable here: ${diag.unavailable}`);
      return diag.records.toRows();
    };
    const [one, per] = [await rowsOf('one-walk'), await rowsOf('per-family')];
    expect(ours(one)).toHaveLength(5);
    expect(ours(one)).toEqual(ours(per));
    // Both families come from the one walk.
    expect(new Set(one.map((r) => r.family))).toEqual(new Set(per.map((r) => r.family)));
  });

  it('writes its records as JSON byte for byte as the row writer writes the same rows', async () => {
    const diag = await readSockDiag();
    if (!('records' in diag)) throw new Error(`sock_diag unavailable here: ${diag.unavailable}`);
    const text = (writeRows: (write: (chunk: Uint8Array) => boolean) => void) => {
      const chunks: Buffer[] = [];
      writeRows((c) => (chunks.push(Buffer.from(c)), true));
      return Buffer.concat(chunks).toString('utf8');
    };
    const direct = text((write) => diag.records.writeJsonRows('  ', write));
    // This host's table holds this file's IPv6 sockets, a listener among them.
    expect(direct).toContain('"family":"ipv6","local":{"address":"::1"');
    expect(direct).toContain(`"port":${port}},"remote":{"address":"::","port":0},"state":"LISTEN"`);
    expect(direct).toBe(text((write) => writeSocketRowsJson(diag.records.toRows(), '  ', write)));
  });

  it('with owners too: records matched with the owner walk are written byte for byte as the row writer writes their rows', async () => {
    const diag = await readSockDiag();
    if (!('records' in diag)) throw new Error(`sock_diag unavailable here: ${diag.unavailable}`);
    const t = diag.records;
    const walk = prepareOwnerWalk();
    walk.begin(null);
    t.owners = matchRecordOwners(t.length, (i) => t.inodeAt(i), (await walk.finish()).pairs, readProcessName);
    const text = (writeRows: (write: (chunk: Uint8Array) => boolean) => void) => {
      const chunks: Buffer[] = [];
      writeRows((c) => (chunks.push(Buffer.from(c)), true));
      return Buffer.concat(chunks).toString('utf8');
    };
    const direct = text((write) => t.writeJsonRows('  ', write));
    // This file's listener is owned by this process.
    expect(direct).toContain(`"port":${port}},"remote":{"address":"::","port":0},"state":"LISTEN","pid":${process.pid},"process":`);
    expect(direct).toBe(text((write) => writeSocketRowsJson(t.toRows(), '  ', write)));
  });

  it('the CLI falls back to /proc/net/tcp where koffi is not installed, and says so', () => {
    const noKoffi = cliWithoutKoffi();
    // --pid: only this process's sockets, so another test's leftovers on the same port number do not count.
    const r = runCli(['sockets', '--port', String(port), '--pid', String(process.pid), '--json'], { bin: noKoffi.bin, env: noKoffi.env });
    noKoffi.remove();
    expect(r.code).toBe(0);
    const d = r.json().data;
    expect(d.rows).toHaveLength(5);
    expect(d.rows.find((x: SocketRow) => x.state === 'LISTEN').acceptQueue).toEqual({ length: 0, max: null });
    // The reason: koffi not installed (npm), or why the executable's copy did not load.
    const note = new RegExp(`^read /proc/net/tcp instead of netlink sock_diag \\(${noKoffi.reason}\\): slower on busy hosts, and listeners' backlog limits are unknown$`);
    expect(d.notes).toContainEqual(expect.stringMatching(note));
  });
});
