// `tcpdiag sockets` live on Linux, on sockets the tests make: owners, the
// 4-tuple point, a held accept queue, hidden owners, the ss oracle, and
// overflow counters sampled in a namespace.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';
import { startHeldListener } from '../helpers/held-listener.js';
import { createNetns, skipWithoutNetns } from '../helpers/netns.js';
import { nodeInNetns } from '../helpers/node-in-netns.js';
import { listenBelowEphemeral } from '../helpers/quiet-port.js';
import { linesWiderThan } from '../helpers/width.js';
import { asNobody } from '../helpers/unprivileged-cli.js';

const onLinux = process.platform === 'linux';
const SCRIPTS = join(__dirname, '..', 'helpers', 'scripts');

interface Row { state: string; family: string; local: { address: string; port: number }; remote: { address: string; port: number }; pid: number | null; process: string | null; owner: string; acceptQueue?: { length: number; max: number | null } }

describe.skipIf(!onLinux)('sockets on this host (skip reason: not Linux)', () => {
  let server: Server;
  let port: number;
  const open: Socket[] = [];
  beforeAll(async () => {
    server = createServer((s) => open.push(s));
    port = await listenBelowEphemeral(server, '127.0.0.1');
    for (let i = 0; i < 3; i++) open.push(await new Promise<Socket>((r) => { const c = connect(port, '127.0.0.1', () => r(c)); }));
  });
  afterAll(async () => {
    for (const s of open) s.destroy();
    await new Promise((r) => server.close(r));
  });

  it('lists the listener, its accepted sockets and the clients, each owned by this process', () => {
    const r = runCli(['sockets', '--port', String(port), '--json']);
    expect(r.code).toBe(0);
    const rows: Row[] = r.json().data.rows;
    expect(rows).toHaveLength(7);
    expect(rows.filter((x) => x.state === 'LISTEN')).toEqual([expect.objectContaining({ local: { address: '127.0.0.1', port }, pid: process.pid, owner: 'found' })]);
    // The program's name (basename of /proc/<pid>/exe), not the main thread's (Node 24: "MainThread").
    const exe = basename(readlinkSync('/proc/self/exe'));
    expect(rows.every((x) => x.pid === process.pid && x.process === exe)).toBe(true);
    expect(rows.filter((x) => x.state === 'ESTABLISHED')).toHaveLength(6);
  });

  it('groups by local port: accepted sockets share the listener\'s port, clients each have their own', () => {
    const groups: Array<{ key: string; count: number }> = runCli(['sockets', '--port', String(port), '--group-by', 'local-port', '--json']).json().data.groups;
    expect(groups[0]).toEqual({ key: String(port), count: 4, states: { LISTEN: 1, ESTABLISHED: 3 } });
    expect(groups.slice(1).map((g) => g.count)).toEqual([1, 1, 1]);
  });

  it('filters by pid and by state', () => {
    const byPid: Row[] = runCli(['sockets', '--pid', String(process.pid), '--local-port', String(port), '--json']).json().data.rows;
    expect(byPid.map((x) => x.state).sort()).toEqual(['ESTABLISHED', 'ESTABLISHED', 'ESTABLISHED', 'LISTEN']);
    const listen: Row[] = runCli(['sockets', '--port', String(port), '--state', 'listen', '--json']).json().data.rows;
    expect(listen).toHaveLength(1);
  });

  it('--pid finds a socket a forked child shares with its parent', async () => {
    // Its own server: the connection's TIME_WAIT afterwards must not reach the other tests' counts.
    const own = createServer();
    await new Promise<void>((r) => own.listen(0, '127.0.0.1', r));
    const ownPort = (own.address() as { port: number }).port;
    const client = await new Promise<Socket>((r) => { const c = connect(ownPort, '127.0.0.1', () => r(c)); });
    // The child inherits the client socket as its fd 3: two processes hold one socket.
    const child = spawn('sleep', ['30'], { stdio: ['ignore', 'ignore', 'ignore', client] });
    try {
      const rows: Row[] = runCli(['sockets', '--pid', String(child.pid), '--json']).json().data.rows;
      expect(rows).toEqual([expect.objectContaining({ pid: child.pid, process: 'sleep', local: { address: '127.0.0.1', port: client.localPort }, remote: { address: '127.0.0.1', port: ownPort } })]);
    } finally {
      child.kill('SIGKILL');
      client.destroy();
      own.close();
    }
  });

  it('--pid of a process that has ended: no rows, and a note that no such process runs (a user trial: a bare "0 sockets match")', () => {
    const gone = spawnSync('true').pid!;
    const r = runCli(['sockets', '--pid', String(gone), '--json']).json();
    expect(r.data.rows).toEqual([]);
    expect(r.data.notes).toContain(`no process ${gone} runs on this host (it may have ended)`);
    // A process that runs, with no socket: no such note.
    expect(runCli(['sockets', '--pid', String(process.ppid), '--json']).json().data.notes).not.toContainEqual(expect.stringMatching(/^no process /));
  });

  it('counts client sockets per destination against the ephemeral range', () => {
    const u = runCli(['sockets', '--remote-port', String(port), '--json']).json().data.ephemeralUsage;
    const [start, end] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    expect(u.range).toEqual({ start, end, count: end! - start! + 1 });
    expect(u.destinations).toEqual([{ remote: { address: '127.0.0.1', port }, count: 3, headroom: end! - start! + 1 - 3, usedPercent: Math.round((3 / (end! - start! + 1)) * 1000) / 10 }]);
  });

  it('prints a table a person can read', () => {
    const r = runCli(['sockets', '--port', String(port)]);
    expect(r.stdout).toMatch(new RegExp(`LISTEN\\s+│ 127\\.0\\.0\\.1:${port}\\s+│ \\*`));
    expect(r.stdout).toMatch(/^OK {2}7 sockets match \(of \d+\): 6 ESTABLISHED, 1 LISTEN/);
    expect(linesWiderThan(r.stdout)).toEqual([]);
  });

  it('shows connections waiting in the accept queue of a listener that does not accept', async () => {
    const held = await startHeldListener('127.0.0.1', 16);
    const clients = await Promise.all([0, 1, 2].map(() => new Promise<Socket>((r) => { const c = connect(held.port, '127.0.0.1', () => r(c)); })));
    try {
      // The queued connections are complete but unaccepted: rows without an owner, marked as such.
      const queued = (runCli(['sockets', '--local-port', String(held.port), '--state', 'ESTABLISHED', '--json']).json().data.rows as Array<Row & { inAcceptQueue?: boolean }>);
      expect(queued.map((x) => [x.owner, x.inAcceptQueue])).toEqual([['none', true], ['none', true], ['none', true]]);
      const r = runCli(['sockets', '--listen', '--local-port', String(held.port), '--json']);
      const [row] = r.json().data.rows as Row[];
      expect(row).toMatchObject({ pid: held.pid, acceptQueue: { length: 3, max: 16 } });
      // The host's own overflow history (listen-overflow-since-boot) is not this test's business.
      const queue = r.json().findings.filter((f: { code: string }) => f.code.startsWith('accept-queue'));
      expect(queue).toEqual([expect.objectContaining({ code: 'accept-queue-waiting', severity: 'info' })]);
      expect(queue[0].message).toMatch(new RegExp(`^3 connections were waiting in the accept queue of node \\(pid ${held.pid}\\) on 127\\.0\\.0\\.1:${held.port} \\(limit 16\\)`));
    } finally {
      for (const c of clients) c.destroy();
      held.kill();
    }
  });

  it.skipIf(process.getuid?.() !== 0)('keeps rows with pid null when an unprivileged user cannot see the owner (skip reason: needs root to switch user)', () => {
    const out = spawnSync('setpriv', asNobody(['sockets', '--port', String(port), '--json']), { encoding: 'utf8' });
    expect(out.status).toBe(0);
    const rep = JSON.parse(out.stdout);
    expect(rep.data.rows).toHaveLength(7);
    expect(rep.data.rows.every((x: Row) => x.pid === null && x.owner === 'hidden')).toBe(true);
    expect(rep.data.owners).toMatchObject({ collected: true, found: 0, hidden: 7 });
    expect(rep.findings.filter((f: { code: string }) => f.code !== 'listen-overflow-since-boot')).toEqual([expect.objectContaining({ code: 'owners-hidden', remedy: ['sudo tcpdiag sockets'] })]);
  });
});

describe.skipIf(!onLinux || skipWithoutNetns())('sockets in a private namespace (skip reason printed above)', () => {
  it('matches ss -tan on every socket of the namespace (oracle)', () => {
    const ns = createNetns();
    const { tcpdiag, ss } = nodeInNetns(ns, join(SCRIPTS, 'oracle-scenario.cjs'), { args: [CLI] });
    expect(tcpdiag.data.notes).toEqual([]); // read through netlink sock_diag, no fallback
    const ours = (tcpdiag.data.rows as Row[]).map((r) => `${r.state} ${r.local.address}:${r.local.port} ${r.remote.address}:${r.remote.port}`).sort();
    const theirs = (ss as string)
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .map(([state, , , l, r]) => {
        const ep = (s: string) => s.replace(/^\[(.*)\]:/, '$1:').replace(/:\*$/, ':0');
        const st = state === 'ESTAB' ? 'ESTABLISHED' : state!.replace(/-/g, '_');
        return `${st} ${ep(l!)} ${ep(r!)}`;
      })
      .sort();
    expect(ours).toHaveLength(3 + 2 * 8);
    expect(ours).toEqual(theirs);
    expect(ours.filter((x) => /^(FIN_WAIT_2|CLOSE_WAIT) /.test(x))).toHaveLength(2);
  });

  it('writes the whole table from kernel records (--no-owners --json) exactly as from row objects', () => {
    const ns = createNetns();
    const { tcpdiag, everyState } = nodeInNetns(ns, join(SCRIPTS, 'oracle-scenario.cjs'), { args: [CLI] });
    const compact = tcpdiag.data;
    const rows = everyState.data;
    expect(compact.rows).toHaveLength(3 + 2 * 8);
    expect(compact.rows).toEqual(rows.rows);
    // The two connections the held listener never accepted, and its queue.
    expect(compact.rows.filter((r: Row & { inAcceptQueue?: boolean }) => r.inAcceptQueue)).toHaveLength(2);
    expect(compact.rows.filter((r: Row) => r.state === 'LISTEN').map((r: Row) => r.acceptQueue)).toContainEqual({ length: 2, max: 2 });
    for (const field of ['matched', 'total', 'states', 'owners', 'listenCounters', 'ephemeralUsage', 'notes']) expect(compact[field], field).toEqual(rows[field]);
    expect(tcpdiag.findings).toEqual(everyState.findings);
    expect(tcpdiag.findings.map((f: { code: string }) => f.code)).toContain('accept-queue-waiting');
  });

  it('sees an accept queue overflow happen during --sample: backlog 1 holds 2, the rest are dropped', () => {
    const ns = createNetns();
    const { code, report } = nodeInNetns(ns, join(SCRIPTS, 'overflow-scenario.cjs'), { args: [CLI] });
    expect(code).toBe(1);
    expect(report.data.rows).toEqual([expect.objectContaining({ local: { address: '127.0.0.1', port: 7001 }, acceptQueue: { length: 2, max: 1 } })]);
    expect(report.data.listenCounters.sample.listenOverflows).toBeGreaterThanOrEqual(3);
    // Linux counts each overflow in ListenDrops too.
    expect(report.data.listenCounters.sample.listenDrops).toBeGreaterThanOrEqual(report.data.listenCounters.sample.listenOverflows);
    expect(report.data.listenCounters.sample.windowMs).toBeGreaterThanOrEqual(2000);
    expect(report.findings.map((f: { code: string }) => f.code)).toEqual(['accept-queue-overflow', 'accept-queue-full']);
    expect(report.findings[1].message).toMatch(/^2 connections were waiting in the accept queue of node \(pid \d+\) on 127\.0\.0\.1:7001 \(limit 1\) when the table was read: the queue is full/);
  });
});
