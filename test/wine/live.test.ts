// Live commands on the win32 Node under Wine, in a private namespace (a
// Linux listener on 8080, port 15000 dropping SYNs): doctor, ports, bind,
// connect and connect-race keep the exit-code contract, never print a stack
// trace, and what they cannot do they say in words true for a live run (not
// the wording of --from). A smoke of the win32 code path: Wine's netsh
// prints nothing and its sockets are Linux's, so nothing here is evidence of
// Windows behaviour.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { netnsForFile, nft, skipWithoutNetns } from '../helpers/netns.js';
import { copyPrefix, removePrefix, runWin32Cli, runWin32Node, skipWithoutWine } from '../helpers/wine.js';

const skip = skipWithoutWine() || skipWithoutNetns();
const namespace = netnsForFile();

interface Check { id: string; status: string; lookedAt: string[]; reason?: string; findings: Array<{ code: string }> }

describe.skipIf(skip)('live commands on the win32 Node (under Wine) (skip reason printed above)', () => {
  let ns = '';
  let prefix = '';
  let server: ChildProcess | undefined;
  const run = (args: string[]) => runWin32Cli(args, { netns: ns, prefix });
  const noStack = (r: { stderr: string; stdout: string }) => expect(r.stderr + r.stdout).not.toMatch(/^ +at /m);

  beforeAll(async () => {
    ns = namespace();
    nft(ns, 'table inet tdg {\n chain input { type filter hook input priority 0; tcp dport 15000 drop; }\n}\n');
    prefix = copyPrefix();
    server = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', "const net=require('net');for(const h of ['127.0.0.1','::1'])net.createServer((c)=>c.on('error',()=>{})).listen(8080,h,()=>console.log(h));setTimeout(()=>{},600000)"], { stdio: ['ignore', 'pipe', 'inherit'] });
    let ready = 0;
    await new Promise<void>((resolve) => server!.stdout!.on('data', (d: Buffer) => ((ready += d.toString().trim().split('\n').length) >= 2 ? resolve() : undefined)));
  });
  afterAll(() => {
    server?.kill('SIGKILL');
    // Before the namespace goes (netnsForFile's afterAll runs after this one): its Wine server lives in it.
    if (prefix) removePrefix(prefix);
  });

  it('doctor: every check runs or says why in words for a live run; registry values read with reg query', () => {
    // What an administrator may have set: written into this prefix's registry with Wine's reg.exe.
    const add = (name: string, value: string) => expect(runWin32Node(['-e', `require('child_process').execFileSync('reg', ['add', 'HKLM\\\\SYSTEM\\\\CurrentControlSet\\\\Services\\\\Tcpip\\\\Parameters', '/v', '${name}', '/t', 'REG_DWORD', '/d', '${value}', '/f'])`], { netns: ns, prefix }).code).toBe(0);
    add('TcpTimedWaitDelay', '0xffffffff');
    const r = run(['doctor', '--json']);
    noStack(r);
    expect(r.code).toBe(1);
    const rep = r.json();
    const checks: Check[] = rep.data.checks;
    const byId = Object.fromEntries(checks.map((c) => [c.id, c]));
    for (const c of checks) if (c.reason) expect(c.reason, c.id).not.toMatch(/captured|the files/);
    // Wine's netsh prints nothing: said so, and the checks that need the ranges do not pass vacuously.
    expect(byId['port-ranges']).toMatchObject({ status: 'could-not-run', reason: expect.stringMatching(/^netsh printed no dynamic port range \(netsh int ipv4 show dynamicport tcp/) });
    for (const id of ['listening-ports', 'ephemeral-use']) expect(byId[id]!.status, id).toBe('could-not-run');
    expect(byId['socket-states']!.lookedAt[0]).toMatch(/from GetExtendedTcpTable \(IP Helper API/);
    expect(byId['tcp-parameters']).toMatchObject({ status: 'problem' });
    expect(byId['tcp-parameters']!.lookedAt[0]).toMatch(/reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters \/s/);
    expect(rep.findings.find((f: { code: string }) => f.code === 'tcpip-value-out-of-range').message).toMatch(/^TcpTimedWaitDelay is 0xffffffff/);
    // No KeepAliveTime / KeepAliveInterval in this prefix: the documented defaults, said as such.
    expect(byId['keepalive-defaults']!.lookedAt).toEqual(['idle 7200 s, interval 1 s, 10 probes', 'KeepAliveTime absent: the documented default 7200000 ms', 'KeepAliveInterval absent: the documented default 1000 ms', '10 probes: fixed from Windows Vista on (before it, TcpMaxDataRetransmissions)']);
    expect(byId['listen-backlog-cap']).toMatchObject({ status: 'not-judged', findings: [{ code: 'backlog-cap-undocumented' }] });
  });

  it('ports: could not run (exit 3), naming the netsh commands that printed nothing', () => {
    const r = run(['ports']);
    noStack(r);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^tcpdiag ports: cannot run: netsh printed no dynamic port range/);
  });

  it('bind: a free port binds (exit 0); the Linux listener\'s port is refused (exit 1) and explained', () => {
    const free = run(['bind', '43210', '--json']);
    noStack(free);
    expect(free.code).toBe(0);
    expect(free.json().data.bindSemantics).toMatch(/^neither SO_REUSEADDR nor SO_EXCLUSIVEADDRUSE/);
    const held = run(['bind', '8080', '--json']);
    noStack(held);
    expect(held.code).toBe(1);
    expect(held.json().findings.map((f: { code: string }) => f.code)).toContain('port-in-use');
  });

  it('connect: the listener connects (exit 0); a dropped port times out (exit 1)', () => {
    const ok = run(['connect', '127.0.0.1', '8080', '--json']);
    noStack(ok);
    expect(ok.code).toBe(0);
    const dropped = run(['connect', '127.0.0.1', '15000', '--timeout', '1s', '--json']);
    noStack(dropped);
    expect(dropped.code).toBe(1);
    expect(dropped.json().findings.map((f: { code: string }) => f.code)).toContain('connect-timeout');
  });

  it('keepalive connect: Node 20 sets only the idle time on Windows; the report says what the OS adds (interval, 10 probes) and why nothing is read back', () => {
    const r = run(['keepalive', 'connect', '127.0.0.1', '8080', '--idle', '2', '--interval', '1', '--count', '3', '--max-wait', '3', '--json']);
    noStack(r);
    const rep = r.json();
    // The peer stays alive (nothing to detect), and the settings are not verified: a problem, exit 1.
    expect(r.code).toBe(1);
    expect(rep.data.applied).toMatchObject({ via: 'node (idle only)', readBack: null, verified: false, osApplied: { idleS: 2, intervalS: 1, count: 10 } });
    expect(rep.data.applied.osApplied.source).toMatch(/^the system interval \(KeepAliveInterval absent|^the system interval \(the documented default 1 s/);
    expect(rep.data.applied.notes).toContain('requested, not verified: Node gives no socket descriptor on Windows, so the values the socket holds cannot be read back');
    // Expected from what the socket runs with: 2 s idle + 10 probes 1 s apart.
    expect(rep.data.expectedDetectionMs).toBe(12_000);
    expect(rep.data.defaults).toEqual({ idleS: 7200, intervalS: 1, count: 10 });
  });

  it('keepalive listen: on Windows the listening socket cannot be read, and the report says so; a client that closes ends the run', () => {
    const client = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', "const net=require('net');const t=setInterval(()=>{const c=net.connect(7600,'127.0.0.1',()=>{clearInterval(t);setTimeout(()=>c.end(),300)});c.on('error',()=>{})},200);setTimeout(()=>process.exit(0),60000)"], { stdio: 'ignore' });
    try {
      const r = run(['keepalive', 'listen', '7600', '--idle', '1', '--interval', '1', '--count', '3', '--clients', '1', '--max-wait', '30', '--json']);
      noStack(r);
      const rep = r.json();
      expect(rep.data.listener).toEqual({ set: false, note: expect.stringMatching(/^Node gives no socket descriptor on Windows/) });
      expect(rep.data.clients).toHaveLength(1);
      expect(rep.data.clients[0]).toMatchObject({ inherited: null, endReason: null, applied: { via: 'node (idle only)', osApplied: { idleS: 1, count: 10 } } });
      expect(rep.findings.map((f: { code: string }) => f.code)).toContain('keepalive-peer-closed');
    } finally {
      client.kill('SIGKILL');
    }
  });

  it('connect-race: no limit in this namespace (exit 0), up to the pending attempts asked for', () => {
    const r = run(['connect-race', '127.0.0.1', '15000', '--control', '127.0.0.1:8080', '--max-pending', '4', '--json']);
    noStack(r);
    expect(r.code).toBe(0);
    expect(r.json().findings.map((f: { code: string }) => f.code)).toEqual(['connect-attempts-independent']);
  });
});
