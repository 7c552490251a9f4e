// `tcpdiag bind` live on Linux: real listens, real holders, in namespaces
// where the test sets the situation up.
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';
import { createNetns, setSysctl, skipWithoutNetns } from '../helpers/netns.js';
import { nodeInNetns } from '../helpers/node-in-netns.js';
import { listenBelowEphemeral } from '../helpers/quiet-port.js';
import { humanOutput, linesWiderThan } from '../helpers/width.js';
import { renderBind } from '../../src/render/bind.js';
import { asNobody } from '../helpers/unprivileged-cli.js';

const SCENARIO = join(__dirname, '..', 'helpers', 'scripts', 'port-scenario-then.cjs');
const onLinux = process.platform === 'linux';

async function freePort(): Promise<number> {
  const s = createServer();
  const port = await listenBelowEphemeral(s, '127.0.0.1');
  await new Promise((r) => s.close(r));
  return port;
}

describe.skipIf(!onLinux)('bind on this host (skip reason: not Linux)', () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (server) await new Promise((r) => server!.close(r));
    server = undefined;
  });

  it('a free port: both wildcard listens succeed, exit 0', async () => {
    const port = await freePort();
    const r = runCli(['bind', String(port), '--json']);
    expect(r.code).toBe(0);
    const d = r.json().data;
    expect(d.attempts).toEqual([
      { address: '0.0.0.0', family: 'ipv4', dualStack: false, ok: true, errorCode: null },
      { address: '::', family: 'ipv6', dualStack: true, ok: true, errorCode: null },
    ]);
    expect(d.holders).toEqual([]);
    expect(d.bindSemantics).toMatch(/^SO_REUSEADDR/);
  });

  it('a port held by a listener of this process: EADDRINUSE, holder pid is ours, exit 1', async () => {
    server = createServer();
    const port = await listenBelowEphemeral(server, '0.0.0.0');
    const r = runCli(['bind', String(port), '--json']);
    expect(r.code).toBe(1);
    const rep = r.json();
    expect(rep.data.attempts.map((a: { errorCode: string }) => a.errorCode)).toEqual(['EADDRINUSE', 'EADDRINUSE']);
    expect(rep.data.holders).toEqual([expect.objectContaining({ role: 'listener', pid: process.pid, owners: [{ pid: process.pid, process: expect.any(String) }], local: { address: '0.0.0.0', port }, blocks: 'yes' })]);
    // What the process is, before it is ended.
    expect(rep.findings[0]).toMatchObject({ code: 'port-in-use', severity: 'error', remedy: [`ps -o pid,user,etime,args -p ${process.pid}`, `kill ${process.pid}`] });
    expect(rep.summary).toBe(`port ${port} cannot be bound on 0.0.0.0 and [::] (EADDRINUSE): a listener holds it`);
  });

  it('a listening socket shared with a child process: both holders named, and both in the fix', async () => {
    server = createServer();
    const port = await listenBelowEphemeral(server, '127.0.0.1');
    // The child gets the same socket over IPC (SCM_RIGHTS): one inode, two processes, as after fork.
    const child = spawn(process.execPath, ['-e', "process.on('message', (m, h) => { if (h) process.send('held'); }); setInterval(() => {}, 1000)"], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    try {
      await new Promise<void>((r) => { child.once('message', () => r()); child.send('server', server!); });
      const rep = runCli(['bind', String(port), '--host', '127.0.0.1', '--json']).json();
      const h = rep.data.holders[0];
      expect(h.owners.map((o: { pid: number }) => o.pid).sort()).toEqual([process.pid, child.pid].sort());
      expect(h.otherOwners).toHaveLength(1);
      const pids = h.owners.map((o: { pid: number }) => o.pid);
      expect(rep.findings[0].remedy).toEqual([`ps -o pid,user,etime,args -p ${pids.join(',')}`, `kill ${pids.join(' ')}`]);
      expect(rep.findings[0].message).toMatch(/shared by 2 processes/);
    } finally {
      child.kill();
    }
  });

  it('--host asks one address; a name resolves to its addresses', async () => {
    const port = await freePort();
    const one = runCli(['bind', String(port), '--host', '127.0.0.1', '--json']).json().data.attempts;
    expect(one.map((a: { address: string }) => a.address)).toEqual(['127.0.0.1']);
    const named = runCli(['bind', String(port), '--host', 'localhost', '--json']).json().data.attempts;
    expect(named.map((a: { address: string }) => a.address).sort()).toEqual(expect.arrayContaining(['127.0.0.1']));
  });

  it('an address not on this host is a finding (EADDRNOTAVAIL), not bad input', () => {
    // 192.0.2.1 is TEST-NET-1: never a local address; a bind sends no traffic.
    const r = runCli(['bind', '8080', '--host', '192.0.2.1', '--json']);
    expect(r.code).toBe(1);
    expect(r.json().data.attempts[0]).toMatchObject({ ok: false, errorCode: 'EADDRNOTAVAIL' });
    expect(r.json().findings[0]).toMatchObject({ code: 'address-not-available', severity: 'error' });
  });

  it.skipIf(process.getuid?.() !== 0)('a privileged port asked as root: ok, with a note that a server running as another user gets EACCES (skip reason: needs root)', () => {
    // A user trial: "OK" as root said nothing of the server, which seldom runs as root.
    const r = runCli(['bind', '81', '--host', '127.0.0.1', '--json']);
    expect(r.code).toBe(0);
    const rep = r.json();
    expect(rep.data.privileged).toEqual({ below: 1024, asRoot: true });
    expect(rep.findings).toEqual([expect.objectContaining({ code: 'port-privileged', severity: 'info', message: expect.stringMatching(/^port 81 is below 1024: tcpdiag ran as root, so its listen says nothing of a server that runs as another user/) })]);
  });

  it.skipIf(process.getuid?.() !== 0)('a privileged port asked as an unprivileged user: EACCES, explained (skip reason: needs root to switch user)', () => {
    const out = spawnSync('setpriv', asNobody(['bind', '80', '--host', '127.0.0.1', '--json']), { encoding: 'utf8' });
    expect(out.status).toBe(1);
    const rep = JSON.parse(out.stdout);
    expect(rep.data.attempts[0]).toMatchObject({ ok: false, errorCode: 'EACCES' });
    expect(rep.data.privileged).toEqual({ below: 1024, asRoot: false });
    expect(rep.findings.map((f: { code: string }) => f.code)).toEqual(['port-privileged']);
    // Narrowest first: a copy of node for this server, node itself, then the host-wide limit.
    expect(rep.findings[0].remedy).toEqual([
      'sudo cp "$(readlink -f "$(command -v node)")" /usr/local/bin/node-port80 && sudo setcap cap_net_bind_service=+ep /usr/local/bin/node-port80',
      'sudo setcap cap_net_bind_service=+ep "$(readlink -f "$(command -v node)")"',
      'sudo sysctl -w net.ipv4.ip_unprivileged_port_start=80',
    ]);
  });
});

describe.skipIf(!onLinux || skipWithoutNetns())('bind in namespaces (skip reason printed above)', () => {
  it('a port a client socket took as its ephemeral source port: EADDRINUSE, the client named, exit 1', () => {
    const ns = createNetns();
    const { code, stdout, pid } = nodeInNetns(ns, SCENARIO, { args: ['client-ephemeral', '40000', CLI, 'bind', '40000', '--json'] });
    expect(code).toBe(1);
    const rep = JSON.parse(stdout);
    expect(rep.data.attempts.every((a: { errorCode: string }) => a.errorCode === 'EADDRINUSE')).toBe(true);
    expect(rep.data.holders).toEqual([expect.objectContaining({ role: 'client', state: 'ESTABLISHED', pid, remote: { address: '127.0.0.1', port: 5000 } })]);
    expect(rep.data).toMatchObject({ inEphemeralRange: true, ephemeralRange: { start: 40000, end: 40000 } });
    const held = rep.findings.find((f: { code: string }) => f.code === 'port-held-by-client-socket');
    // The reservation first (freeing the port would let the next client take it), then
    // closing just that socket (this kernel has SOCK_DESTROY); not ending the process too,
    // which a fix block pasted whole would do (a user trial).
    expect(held).toMatchObject({
      severity: 'error',
      remedy: [
        'sudo sysctl -w net.ipv4.ip_local_reserved_ports=40000',
        "echo 'net.ipv4.ip_local_reserved_ports = 40000' | sudo tee /etc/sysctl.d/99-tcpdiag-reserved-ports.conf",
        'sudo ss -K -t -4 state established src 127.0.0.1:40000 dst 127.0.0.1:5000',
      ],
    });
    expect(held.message).toMatch(new RegExp(`; the fix closes just that socket and leaves node \\(pid ${pid}\\) running; only if it cannot be closed, end the process instead \\(\`ps -o pid,user,etime,args -p ${pid}\`, then \`kill ${pid}\`\\)$`));
    const risk = rep.findings.find((f: { code: string }) => f.code === 'port-in-ephemeral-range');
    expect(risk.remedy).toEqual([]);
    expect(rep.summary).toBe('port 40000 cannot be bound on 0.0.0.0 and [::] (EADDRINUSE): a client socket holds it');
    expect(held.message).toMatch(/uses 127\.0\.0\.1:40000 as its source, connected to 127\.0\.0\.1:5000 \(ESTABLISHED\)/);
    // What a person gets from this run fits 80 columns (rendered from its report: no second run).
    expect(linesWiderThan(humanOutput(renderBind, rep))).toEqual([]);
  });

  it("a Node server's TIME_WAIT leftover does not stop a Node listen on Linux (both set SO_REUSEADDR), and is explained", () => {
    const ns = createNetns();
    const { code, stdout } = nodeInNetns(ns, SCENARIO, { args: ['time-wait', '7100', CLI, 'bind', '7100', '--host', '127.0.0.1', '--json'] });
    expect(code).toBe(0);
    const rep = JSON.parse(stdout);
    expect(rep.data.attempts).toEqual([expect.objectContaining({ ok: true })]);
    expect(rep.data.holders).toEqual([expect.objectContaining({ role: 'time-wait', state: 'TIME_WAIT', owner: 'none', owners: [], blocks: 'no', timeWaitRemainingMs: expect.any(Number) })]);
    expect(rep.data.holders[0].timeWaitRemainingMs).toBeGreaterThan(50_000);
    expect(rep.data.holders[0].timeWaitRemainingMs).toBeLessThanOrEqual(60_000);
    expect(rep.findings.map((f: { code: string; severity: string }) => `${f.severity}:${f.code}`)).toEqual(['info:port-time-wait']);
    expect(rep.findings[0].message).toMatch(/it does not keep a Node listen off: a listen on 127\.0\.0\.1 succeeded; a server that does not set SO_REUSEADDR would still get EADDRINUSE/);
    expect(rep.findings[0].remedy).toEqual([]);
  });

  // The next two share no port with the host: there a listen(0) on 127.0.0.2
  // could get a port P whose 127.0.0.1:P another test held (a listener, a
  // TIME_WAIT), one holder more; a connect from such a P failed (it hung the
  // test once, for 30 s, in a full parallel run).
  it('a listener on another address does not block the address asked about (info, exit 0)', () => {
    const ns = createNetns();
    const { code, stdout } = nodeInNetns(ns, SCENARIO, { args: ['other-address', '40000', CLI, 'bind', '40000', '--host', '127.0.0.1', '--json'] });
    expect(code).toBe(0);
    const rep = JSON.parse(stdout);
    expect(rep.data.attempts).toEqual([expect.objectContaining({ address: '127.0.0.1', ok: true })]);
    expect(rep.data.holders).toEqual([expect.objectContaining({ role: 'listener', local: { address: '127.0.0.2', port: 40000 } })]);
    // 40000 is in the namespace's ephemeral range (32768-60999), so that risk is a finding too.
    expect(rep.findings.map((f: { code: string; severity: string }) => `${f.severity}:${f.code}`)).toEqual(['info:port-in-use', 'warning:port-in-ephemeral-range']);
    expect(rep.findings[0].message).toMatch(/listens on 127\.0\.0\.2:40000: it does not keep a Node listen off/);
    // The port can be bound: nothing to kill.
    expect(rep.findings[0].remedy).toEqual([]);
  });

  it('a client socket on 127.0.0.1:P is a client, not an accepted connection of a listener on 127.0.0.2:P', () => {
    const ns = createNetns();
    const { stdout } = nodeInNetns(ns, SCENARIO, { args: ['client-beside', '40000', CLI, 'bind', '40000', '--host', '127.0.0.1', '--json'] });
    const holders = JSON.parse(stdout).data.holders;
    expect(holders.map((h: { role: string; local: { address: string } }) => `${h.role} ${h.local.address}`).sort()).toEqual(['client 127.0.0.1', 'listener 127.0.0.2']);
  });

  it('a reserved port is protected from the allocator: said, exit 0', () => {
    const ns = createNetns();
    setSysctl(ns, 'net/ipv4/ip_local_reserved_ports', '40500');
    const r = runCli(['bind', '40500', '--json'], { netns: ns });
    expect(r.code).toBe(0);
    expect(r.json().data.reservedRange).toMatchObject({ start: 40500, end: 40500, blocksBind: false });
    expect(r.json().findings.map((f: { code: string }) => f.code)).toEqual(['port-reserved']);
  });
});
