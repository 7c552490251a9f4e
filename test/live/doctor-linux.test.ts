// `tcpdiag doctor` live on Linux: each check against a situation the test
// builds in a private namespace, with settings and sockets the test chose.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';
import { createNetns, nft, setSysctl, skipWithoutNetns } from '../helpers/netns.js';
import { nodeInNetns } from '../helpers/node-in-netns.js';
import { humanOutput, linesWiderThan } from '../helpers/width.js';
import { renderDoctor } from '../../src/render/doctor.js';

const SCENARIO = join(__dirname, '..', 'helpers', 'scripts', 'doctor-scenario-then.cjs');
const FULL_QUEUE = join(__dirname, '..', 'helpers', 'scripts', 'full-queue-then.cjs');

interface Check { id: string; status: string; lookedAt: string[]; findings: Array<{ code: string }>; reason?: string }
interface Finding { code: string; severity: string; message: string; remedy: string[] }

const DROP_6000 = 'table inet tdg {\n  chain input { type filter hook input priority 0; tcp dport 6000 drop; }\n}\n';

const ALL_CHECKS = ['port-ranges', 'listening-ports', 'accept-queues', 'ephemeral-use', 'socket-states', 'keepalive-defaults', 'listen-backlog-cap'];

type Report = { findings: Finding[]; notJudged: string[]; data: { checks: Check[] } };
function scenario(ns: string, name: string, count = 0): { code: number; report: Report; pid: number } {
  const { code, stdout, pid } = nodeInNetns(ns, SCENARIO, { args: [name, String(count), CLI] });
  return { code, report: JSON.parse(stdout), pid };
}
const check = (rep: { data: { checks: Check[] } }, id: string) => rep.data.checks.find((c) => c.id === id)!;
const finding = (rep: { findings: Finding[] }, code: string) => rep.findings.find((f) => f.code === code);

describe.skipIf(process.platform !== 'linux' || skipWithoutNetns())('doctor in a namespace (skip reason printed above, or not Linux)', () => {
  it('a default namespace: every check ran and found nothing to fix; it says what each looked at', () => {
    const ns = createNetns();
    setSysctl(ns, 'net/ipv4/tcp_keepalive_time', '600');
    const r = runCli(['doctor', '--json'], { netns: ns });
    expect(r.code).toBe(0);
    const rep = r.json();
    expect(rep.data.checks.map((c: Check) => `${c.id}:${c.status}`)).toEqual(ALL_CHECKS.map((id) => `${id}:ok`));
    expect(check(rep, 'socket-states').lookedAt[0]).toBe('0 sockets from netlink sock_diag: 0 SYN_SENT, 0 CLOSE_WAIT, 0 TIME_WAIT');
    expect(check(rep, 'accept-queues').lookedAt).toEqual(['the accept queues of 0 listeners', '/proc/net/netstat over 0.5 s: 0 dropped connection attempts (0 since boot)']);
    expect(check(rep, 'keepalive-defaults').lookedAt).toEqual(['idle 600 s, interval 75 s, 9 probes']);
    expect(rep.findings.map((f: Finding) => f.code)).toEqual(['privileged-ports']);
  });

  it('the human output lists every check with what it looked at', () => {
    const ns = createNetns();
    const r = runCli(['doctor'], { netns: ns });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^OK {2}7 checks: no problems found/);
    expect(r.stdout).toMatch(/ok {7}sockets piling up in SYN_SENT, CLOSE_WAIT or TIME_WAIT\n {4}looked at 0 sockets from netlink sock_diag/);
    // The stock keepalive defaults are worth knowing, not a problem: info, exit 0.
    expect(r.stdout).toMatch(/info {5}keepalive-defaults-slow\n {4}with the system keepalive defaults \(idle 7200 s, then 9 probes 75 s apart\)[^]*is noticed after 2 h 11 min/);
    expect(linesWiderThan(r.stdout)).toEqual([]);
  });

  it('a listener inside the ephemeral range: named with its owner, and the command that reserves its port', () => {
    const ns = createNetns();
    setSysctl(ns, 'net/ipv4/ip_local_reserved_ports', '3000');
    const { code, report, pid } = scenario(ns, 'listener-ephemeral');
    // 40000 is no common server port: it may have come from a listen on port 0, so info (exit 0).
    expect(code).toBe(0);
    const f = finding(report, 'listener-in-ephemeral-range')!;
    expect(f.severity).toBe('info');
    expect(f.message).toMatch(new RegExp(`^listening port 40000 \\(node \\(pid ${pid}\\)\\) lies inside the ephemeral range 32768-60999`));
    // The reserved list is replaced on write: the port already reserved stays in it.
    expect(f.remedy[0]).toBe('sudo sysctl -w net.ipv4.ip_local_reserved_ports=3000,40000');
  });

  it('a reserved listening port is not reported', () => {
    const ns = createNetns();
    setSysctl(ns, 'net/ipv4/ip_local_reserved_ports', '40000');
    const { report } = scenario(ns, 'listener-ephemeral');
    expect(check(report, 'listening-ports')).toMatchObject({ status: 'ok', lookedAt: ['1 listening port'] });
  });

  it('CLOSE_WAIT piling up in one process: an application bug, with the process named', () => {
    const ns = createNetns();
    const { code, report, pid } = scenario(ns, 'close-wait', 12);
    expect(code).toBe(1);
    const f = finding(report, 'close-wait-pileup')!;
    expect(f.message).toMatch(new RegExp(`^node \\(pid ${pid}\\) holds 12 connections in CLOSE_WAIT \\(peers: client 127\\.0\\.0\\.1 \\(12\\)\\): their peers closed`));
    expect(f.message).toMatch(/a bug in the program/);
    expect(f.remedy).toEqual([`tcpdiag sockets --state CLOSE_WAIT --pid ${pid}`]);
    expect(check(report, 'socket-states').lookedAt[0]).toMatch(/: 0 SYN_SENT, 12 CLOSE_WAIT, 0 TIME_WAIT$/);
  });

  it('a few CLOSE_WAIT sockets are work in progress, not a pile-up', () => {
    const ns = createNetns();
    const { report } = scenario(ns, 'close-wait', 3);
    expect(check(report, 'socket-states').status).toBe('ok');
  });

  it('SYN_SENT piling up toward a port of this host that nothing listens on: a rule drops the SYNs, with the command that tests it', () => {
    const ns = createNetns();
    nft(ns, DROP_6000);
    const { code, report, pid } = scenario(ns, 'syn-sent', 6);
    expect(code).toBe(1);
    const f = finding(report, 'syn-sent-pileup')!;
    expect(f.message).toBe(
      `127.0.0.1:6000: 6 connection attempts from node (pid ${pid}) wait for an answer (SYN_SENT). Nothing listens there on this host, ` +
        'and a SYN to a closed port here is answered with a reset at once: something on this host drops these SYNs (a firewall rule). ' +
        'The callers hang until their connect timeout.',
    );
    expect(f.remedy).toEqual(['tcpdiag connect 127.0.0.1 6000']);
    // No other connect was pending: nothing points to connect-race, nothing left unjudged.
    expect(report.notJudged).toEqual([]);
  });

  it('a SYN_SENT pile-up toward a local listener whose accept queue is empty is not blamed on that listener', () => {
    const ns = createNetns();
    nft(ns, DROP_6000);
    const { code, report, pid } = scenario(ns, 'syn-sent-listener', 6);
    expect(code).toBe(1);
    const f = finding(report, 'syn-sent-pileup')!;
    expect(f.message).toMatch(new RegExp(`^127\\.0\\.0\\.1:6000: 6 connection attempts from node \\(pid ${pid}\\) wait for an answer \\(SYN_SENT\\)\\. Its listener, node \\(pid ${pid}\\) on 127\\.0\\.0\\.1:6000, has room in its accept queue \\(0 waiting, limit 511\\), so a full queue is not the cause: something on this host drops these SYNs before they reach it`));
    expect(f.message).not.toMatch(/queue is full/);
    // The listener's accept queue is empty, so no accept-queue finding either.
    expect(finding(report, 'accept-queue-full')).toBeUndefined();
  });

  it('a SYN_SENT pile-up while a connect elsewhere waits too points to connect-race, with that endpoint as the control', () => {
    const ns = createNetns();
    // SYNs to 6000 are dropped; and only one new connection attempt may be pending at a time (TESTING.md).
    nft(ns, 'table inet tdg {\n  chain input { type filter hook input priority 0; tcp dport 6000 drop; }\n  chain output { type filter hook output priority 0; tcp flags syn ct state new ct count over 1 drop; }\n}\n');
    const { code, report } = scenario(ns, 'syn-sent-and-slow', 6);
    expect(code).toBe(1);
    const f = finding(report, 'syn-sent-pileup')!;
    expect(f.message).toMatch(/Meanwhile 1 attempt to another endpoint \(127\.0\.0\.1:8080\) has had to resend its SYN as well: if it answers when tried alone, the pending attempts to 127\.0\.0\.1:6000 may be holding up every new connection of this host/);
    expect(f.remedy).toEqual(['tcpdiag connect 127.0.0.1 6000', 'tcpdiag connect-race 127.0.0.1 6000 --control 127.0.0.1:8080']);
    expect(linesWiderThan(humanOutput(renderDoctor, report as unknown as Parameters<typeof renderDoctor>[1]))).toEqual([]);
  });

  it('TIME_WAIT toward one destination holding a fifth of a small ephemeral range', () => {
    const ns = createNetns();
    setSysctl(ns, 'net/ipv4/ip_local_port_range', '40000 40019');
    const { report } = scenario(ns, 'time-wait', 6);
    const f = finding(report, 'time-wait-pileup')!;
    expect(f.message).toMatch(/^6 closed connections to 127\.0\.0\.1:5000 wait in TIME_WAIT, holding 30% of the ephemeral range/);
    // The same sockets are ephemeral use toward that destination, below the 50% warning.
    expect(check(report, 'ephemeral-use').lookedAt).toEqual(['6 client sockets against the ephemeral range 40000-40019; the busiest destination uses 30%']);
  });

  it('a full accept queue, and the overflow counters rising during the sample', () => {
    const ns = createNetns();
    const { code, report } = scenario(ns, 'overflow');
    expect(code).toBe(1);
    expect(report.findings.map((f) => f.code).slice(0, 2)).toEqual(['accept-queue-overflow', 'accept-queue-full']);
    expect(check(report, 'accept-queues').lookedAt[1]).toMatch(/^\/proc\/net\/netstat over 0\.5 s: [1-9]\d* dropped connection attempts?/);
  });

  it('clients piling up in SYN_SENT toward a local server whose accept queue is full are that server\'s', () => {
    const ns = createNetns();
    const { code, report, pid } = scenario(ns, 'full-queue', 7);
    expect(code).toBe(1);
    expect(finding(report, 'syn-sent-pileup')!.message).toMatch(
      new RegExp(`^127\\.0\\.0\\.1:7004: 5 connection attempts from node \\(pid ${pid}\\) wait for an answer \\(SYN_SENT\\)\\. The accept queue of node \\(pid \\d+\\) on 127\\.0\\.0\\.1:7004 is full \\(2 waiting, limit 1\\), and a full queue drops SYNs silently`),
    );
    expect(finding(report, 'syn-sent-pileup')!.remedy).toEqual(['tcpdiag sockets --listen --sample 5s']);
  });

  it('a full accept queue read from the table alone', () => {
    const ns = createNetns();
    const { code, stdout } = nodeInNetns(ns, FULL_QUEUE, { args: [CLI, 'doctor', '--json'] });
    expect(code).toBe(1);
    const rep = JSON.parse(stdout);
    expect(check(rep, 'accept-queues').status).toBe('problem');
    // doctor looks up listeners' owners: the held listener is named.
    expect(finding(rep, 'accept-queue-full')!.message).toMatch(/^2 connections were waiting in the accept queue of node \(pid \d+\) on 127\.0\.0\.1:7002 \(limit 1\) when the table was read/);
  });

  it('somaxconn below Node\'s default backlog, and fast keepalive defaults are not reported', () => {
    const ns = createNetns();
    setSysctl(ns, 'net/core/somaxconn', '128');
    setSysctl(ns, 'net/ipv4/tcp_keepalive_time', '60');
    const r = runCli(['doctor', '--json'], { netns: ns });
    expect(r.code).toBe(1);
    const rep = r.json();
    expect(check(rep, 'listen-backlog-cap')).toMatchObject({ status: 'problem', lookedAt: ['somaxconn 128'] });
    expect(finding(rep, 'somaxconn-below-node-backlog')!.remedy[0]).toBe('sudo sysctl -w net.core.somaxconn=4096');
    expect(finding(rep, 'keepalive-defaults-slow')).toBeUndefined();
  });

  it('a port-range problem sorts first, with its remedy', () => {
    const ns = createNetns();
    setSysctl(ns, 'net/ipv4/ip_local_port_range', '1024 65000');
    const r = runCli(['doctor', '--json'], { netns: ns });
    expect(r.code).toBe(1);
    const rep = r.json();
    expect(check(rep, 'port-ranges')).toMatchObject({ status: 'problem', lookedAt: expect.arrayContaining(['/proc/sys/net/ipv4/ip_local_port_range']) });
    expect(rep.findings[0]).toMatchObject({ code: 'ephemeral-range-covers-common-ports', severity: 'warning' });
    expect(rep.findings[0].remedy[0]).toBe('sudo sysctl -w net.ipv4.ip_local_port_range="32768 60999"');
  });
});
