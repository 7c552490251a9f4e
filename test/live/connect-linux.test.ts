// `tcpdiag connect` on loopback and in namespaces: a listener, a refused
// port, localhost resolving to ::1 first while the server listens on
// 127.0.0.1 only, a port whose SYNs are dropped, and connects that lost their
// first SYN or SYN-ACK to a firewall rule that drops exactly those.
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/cli.js';
import { cliWithoutKoffi } from '../helpers/bundle-without.js';
import { createNetns, nft, setNetnsHosts, setSysctl, skipWithoutNetns } from '../helpers/netns.js';
import { nodeInNetns } from '../helpers/node-in-netns.js';
import { humanOutput, linesWiderThan } from '../helpers/width.js';
import { renderConnect } from '../../src/render/connect.js';

const LISTEN_THEN = join(__dirname, '..', 'helpers', 'scripts', 'listen-then.cjs');

describe('connect on loopback', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((c) => c.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('connects, and repeats give min/median/p95/max', () => {
    const r = runCli(['connect', '127.0.0.1', String(port), '--count', '3', '--interval', '10ms', '--json']);
    expect(r.code).toBe(0);
    const d = r.json().data;
    expect(d.dnsMs).toBeNull(); // an address: no lookup
    expect(d.attempts).toHaveLength(3);
    expect(d.attempts.every((a: { outcome: string; family: string }) => a.outcome === 'connected' && a.family === 'ipv4')).toBe(true);
    // No deadline ended them: deadlineBy names none.
    expect(d.attempts.map((a: { deadlineBy: string | null }) => a.deadlineBy)).toEqual([null, null, null]);
    expect(d.perAddress[0]).toMatchObject({ address: '127.0.0.1', connected: 3, failed: 0, connectMs: { count: 3 } });
    const t = d.perAddress[0].connectMs;
    expect(t.min <= t.median && t.median <= t.p95 && t.p95 <= t.max).toBe(true);
    // Nothing lost on loopback: no resent SYN claimed, and the yardstick is there.
    expect(r.json().findings).toEqual([]);
    expect(d.synResends).toEqual([]);
    expect(d.synSchedule.resendsAtMs[0]).toBe(1000);
  });

  it('explains a refused port and exits 1', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const free = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    const r = runCli(['connect', '127.0.0.1', String(free), '--json']);
    expect(r.code).toBe(1);
    expect(r.json().data.attempts[0]).toMatchObject({ outcome: 'refused', errorCode: 'ECONNREFUSED' });
    expect(r.json().findings[0]).toMatchObject({ code: 'connect-refused', severity: 'error' });
    expect(r.json().findings[0].message).toMatch(/nothing listens on that address and port/);
  });

  it('-6 on an IPv4-only target says it has no IPv6 address (exit 1)', () => {
    const r = runCli(['connect', '127.0.0.1', String(port), '-6', '--json']);
    expect(r.code).toBe(1);
    expect(r.json().findings).toEqual([expect.objectContaining({ code: 'no-address-for-family', message: '127.0.0.1 has no IPv6 address (it resolves to 127.0.0.1)' })]);
  });

  it('a name that does not resolve is a finding (exit 1)', () => {
    const r = runCli(['connect', 'no-such-host.invalid', '80', '--json']);
    expect(r.code).toBe(1);
    expect(r.json().findings[0]).toMatchObject({ code: 'host-not-resolved', severity: 'error' });
    expect(r.json().data.attempts).toEqual([]);
  });
});

/**
 * A listener on 127.0.0.1:8080 in a fresh namespace whose firewall drops the
 * first `n` packets a rule matches (numgen counts from 0 per rule, so exactly
 * those: no timing, no flakiness), then `tcpdiag connect ...`. `address`:
 * another one to listen on and connect to, given to the namespace's lo (an
 * address of the test's own namespace that is not a loopback one).
 */
function connectLosing(rule: string, n: number, args: string[], linearTimeouts?: number, address = '127.0.0.1'): { code: number; report: any; human: string } { // eslint-disable-line @typescript-eslint/no-explicit-any
  const ns = createNetns();
  if (address !== '127.0.0.1') execFileSync('ip', ['-n', ns, 'addr', 'add', `${address}/32`, 'dev', 'lo']);
  if (linearTimeouts !== undefined) setSysctl(ns, 'net/ipv4/tcp_syn_linear_timeouts', String(linearTimeouts));
  nft(ns, `table inet tdg {\n  chain ${rule} numgen inc mod 1000000 < ${n} counter drop; }\n}\n`);
  const { code, stdout } = nodeInNetns(ns, LISTEN_THEN, { args: [address, '8080', CLI, 'connect', address, '8080', '--json', ...args] });
  const report = JSON.parse(stdout);
  return { code, report, human: humanOutput(renderConnect, report) };
}
const DROP_SYN = 'input { type filter hook input priority 0; tcp dport 8080 tcp flags & (syn|ack) == syn';
const DROP_SYNACK = 'output { type filter hook output priority 0; tcp sport 8080 tcp flags & (syn|ack) == syn|ack';

describe.skipIf(process.platform !== 'linux' || skipWithoutNetns())('connects that lost a SYN or a SYN-ACK (skip reason printed above)', () => {
  it('the first SYN dropped: 1 of 3 attempts took about 1 s, the first resend, against 1 s of initial RTO; a warning, exit 1', () => {
    const { code, report, human } = connectLosing(DROP_SYN, 1, ['--count', '3', '--interval', '10ms']);
    expect(code).toBe(1);
    const d = report.data;
    expect(d.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['connected', 'connected', 'connected']);
    expect(d.synResends).toHaveLength(1);
    const [lost] = d.synResends;
    expect(lost).toMatchObject({ attempt: 0, address: '127.0.0.1', resends: 1, resendAtMs: 1000 });
    // The evidence: the attempt's time sits just after the resend, the others took a round trip.
    expect(lost.durationMs).toBeGreaterThanOrEqual(970);
    expect(lost.durationMs).toBe(d.attempts[0].durationMs);
    expect(lost.baselineMs).toBe(Math.min(d.attempts[1].durationMs, d.attempts[2].durationMs));
    expect(d.synSchedule).toMatchObject({ initialRtoMs: 1000, resendsAtMs: [1000, 2000, 3000, 4000, 5000, 7000, 11_000, 19_000, 35_000, 67_000] });
    expect(report.summary).toBe(`127.0.0.1:8080 connects (${d.perAddress[0].connectMs.median} ms), 1 of 3 after a resent SYN`);
    const [f] = report.findings;
    expect(f).toMatchObject({ code: 'syn-lost', severity: 'warning', remedy: ['tcpdiag connect 127.0.0.1 8080 --count 20 --interval 100ms'] });
    expect(f.message).toMatch(new RegExp(`^127\\.0\\.0\\.1:8080: 1 of 3 attempts waited for a resent SYN: attempt 1 took ${lost.durationMs} ms, [\\d.]+ ms after the SYN was sent again at 1 s, where a connect without loss took ${lost.baselineMs} ms\\. Linux resends an unanswered SYN after its initial RTO of 1 s`));
    expect(f.message).toMatch(/the first SYN or the SYN-ACK answering it was lost or dropped on the way/);
    expect(report.notJudged).toEqual([]);
    expect(linesWiderThan(human)).toEqual([]);
    expect(human).toMatch(/1 attempt waited for a resent SYN; this OS resends an unanswered SYN at 1, 2,\s+3, 4, 5, 7, 11, 19, 35, 67 s/);
  });

  it('the first SYN-ACK dropped, one attempt, to an address off loopback: the same signature, but with nothing faster to compare only info and not judged, exit 0', () => {
    const { code, report, human } = connectLosing(DROP_SYNACK, 1, [], undefined, '10.200.0.1');
    expect(code).toBe(0);
    expect(report.data.synResends).toEqual([expect.objectContaining({ attempt: 0, resends: 1, resendAtMs: 1000, baselineMs: null })]);
    expect(report.summary).toMatch(/^10\.200\.0\.1:8080 connects \([\d.]+ ms: a resent SYN, or a round trip that long\)$/);
    expect(report.findings[0]).toMatchObject({ code: 'syn-lost', severity: 'info' });
    expect(report.notJudged).toEqual([expect.stringMatching(/^whether the connect to 10\.200\.0\.1:8080 lost a SYN: it took as long as a resent SYN, but no attempt there came back sooner/)]);
    expect(report.findings[0].message).toMatch(/^10\.200\.0\.1:8080: the connect may have waited for a resent SYN: took [\d.]+ ms, [\d.]+ ms after the SYN was sent again at 1 s\./);
    expect(report.findings[0].message).toMatch(/No attempt to 10\.200\.0\.1:8080 came back sooner, so a round trip that long would look the same: --count 10 tells them apart\.$/);
    expect(human).toMatch(/1 attempt took as long as a resent SYN; this OS resends/);
  });

  it('the same on loopback, one attempt: no round trip there takes 1 s, so the lost SYN-ACK is certain: a warning, exit 1', () => {
    const { code, report, human } = connectLosing(DROP_SYNACK, 1, []);
    expect(code).toBe(1);
    expect(report.data.synResends).toEqual([expect.objectContaining({ attempt: 0, resends: 1, resendAtMs: 1000, baselineMs: null })]);
    expect(report.summary).toMatch(/^127\.0\.0\.1:8080 connects \([\d.]+ ms\), after a resent SYN$/);
    expect(report.findings[0]).toMatchObject({ code: 'syn-lost', severity: 'warning' });
    expect(report.findings[0].message).toMatch(/^127\.0\.0\.1:8080: the connect waited for a resent SYN: took [\d.]+ ms, [\d.]+ ms after the SYN was sent again at 1 s, to a loopback address, where no round trip takes anywhere near 1 s\./);
    expect(report.notJudged).toEqual([]);
    expect(human).toMatch(/1 attempt waited for a resent SYN; this OS resends/);
  });

  // A user trial: every other SYN to a listening port dropped, so every
  // attempt of three waited for the resend and none was faster to compare
  // with; it said OK, exit 0, "a resent SYN, or a round trip that long".
  it('every other SYN to a loopback listener dropped, --count 3: each attempt waited for a resend, a warning naming SYN loss, exit 1', () => {
    const ns = createNetns();
    nft(ns, 'table inet tdg {\n  chain input { type filter hook input priority 0; tcp dport 15004 tcp flags syn numgen inc mod 2 == 0 drop; }\n}\n');
    const { code, stdout } = nodeInNetns(ns, LISTEN_THEN, { args: ['127.0.0.1', '15004', CLI, 'connect', '127.0.0.1', '15004', '--count', '3', '--json'] });
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    const d = report.data;
    expect(d.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['connected', 'connected', 'connected']);
    expect(d.synResends.map((r: { attempt: number; resends: number; baselineMs: number | null }) => [r.attempt, r.resends, r.baselineMs])).toEqual([[0, 1, null], [1, 1, null], [2, 1, null]]);
    expect(report.summary).toBe(`127.0.0.1:15004 connects (${d.perAddress[0].connectMs.median} ms), each after a resent SYN`);
    expect(report.findings).toEqual([expect.objectContaining({ code: 'syn-lost', severity: 'warning' })]);
    expect(report.findings[0].message).toMatch(/^127\.0\.0\.1:15004: all 3 attempts waited for a resent SYN: .*, to a loopback address, where no round trip takes anywhere near 1 s\. .* So the first SYN or the SYN-ACK answering it was lost or dropped/);
    expect(report.notJudged).toEqual([]);
    expect(linesWiderThan(humanOutput(renderConnect, report))).toEqual([]);
  });

  it('two SYNs dropped on a kernel that doubles at once (tcp_syn_linear_timeouts 0): about 3 s, the second resend', () => {
    const { report } = connectLosing(DROP_SYN, 2, [], 0);
    expect(report.data.synSchedule.resendsAtMs.slice(0, 3)).toEqual([1000, 3000, 7000]);
    expect(report.data.synResends).toEqual([expect.objectContaining({ resends: 2, resendAtMs: 3000 })]);
    expect(report.data.attempts[0].durationMs).toBeGreaterThanOrEqual(2970);
    expect(report.findings[0].message).toMatch(/took [\d.]+ ms, [\d.]+ ms after the SYN was sent for the third time at 3 s, to a loopback address, where no round trip takes anywhere near 1 s\. Linux resends an unanswered SYN after its initial RTO of 1 s, then twice as long each time/);
  });

  it('two SYNs dropped with the default 1 s spacing (tcp_syn_linear_timeouts 4): about 2 s, the second resend', () => {
    const { report } = connectLosing(DROP_SYN, 2, [], 4);
    expect(report.data.synResends).toEqual([expect.objectContaining({ resends: 2, resendAtMs: 2000 })]);
  });
});

describe.skipIf(process.platform !== 'linux' || skipWithoutNetns())('connect in namespaces (skip reason printed above)', () => {
  it('localhost gives ::1 first, the server listens on 127.0.0.1 only: ::1 refused, 127.0.0.1 works, the classic explained', () => {
    const ns = createNetns();
    setNetnsHosts(ns, '::1 localhost\n127.0.0.1 localhost\n');
    const { code, stdout } = nodeInNetns(ns, LISTEN_THEN, { args: ['127.0.0.1', '7400', CLI, 'connect', 'localhost', '7400', '--json'] });
    expect(code).toBe(1);
    const rep = JSON.parse(stdout);
    expect(rep.data.resolved).toEqual([{ address: '::1', family: 'ipv6' }, { address: '127.0.0.1', family: 'ipv4' }]);
    expect(rep.data.attempts.map((a: { address: string; outcome: string }) => `${a.address} ${a.outcome}`)).toEqual(['::1 refused', '127.0.0.1 connected']);
    expect(rep.findings.map((f: { code: string }) => f.code)).toEqual(['connect-refused', 'first-address-fails']);
    expect(rep.findings[1].message).toMatch(/fail with ECONNREFUSED on \[::1\]:7400/);
    expect(rep.findings[1].remedy).toEqual(['node --dns-result-order=ipv4first your-client.js']);
    // What a person gets from this run fits 80 columns (rendered from its report: no second run).
    expect(linesWiderThan(humanOutput(renderConnect, rep))).toEqual([]);
  });

  it('a port whose SYNs are dropped times out at the deadline, which the kernel enforces (TCP_USER_TIMEOUT)', () => {
    const ns = createNetns();
    nft(ns, 'table inet tdg {\n  chain input { type filter hook input priority 0; tcp dport 15000 drop; }\n}\n');
    const r = runCli(['connect', '127.0.0.1', '15000', '--timeout', '1500ms', '--json'], { netns: ns });
    expect(r.code).toBe(1);
    const [a] = r.json().data.attempts;
    expect(a).toMatchObject({ outcome: 'timeout', errorCode: 'ETIMEDOUT', deadlineBy: 'TCP_USER_TIMEOUT' });
    // Not cut short: the kernel ended it at the deadline, not before.
    expect(a.durationMs).toBeGreaterThanOrEqual(1400);
    expect(r.json().findings[0]).toMatchObject({ code: 'connect-timeout' });
  });

  // TCP_USER_TIMEOUT replaces the time bound of tcp_syn_retries (the kernel's
  // tcp_write_timeout()): set to 60 s with tcp_syn_retries 2, it made the
  // attempt end at 11.4 s, after the 6 resends it counts, where any client's
  // connect gives up at 7 s. A deadline past the OS's own end is left to the OS.
  it('a deadline longer than the OS gives a connect is not told to the kernel: the OS ends the attempt when it ends any client\'s, and says so (deadlineBy "os")', () => {
    const ns = createNetns();
    setSysctl(ns, 'net/ipv4/tcp_syn_retries', '2');
    setSysctl(ns, 'net/ipv4/tcp_syn_linear_timeouts', '4');
    nft(ns, 'table inet tdg {\n  chain input { type filter hook input priority 0; tcp dport 15000 drop; }\n}\n');
    const r = runCli(['connect', '127.0.0.1', '15000', '--timeout', '60s', '--json'], { netns: ns });
    expect(r.code).toBe(1);
    const report = r.json();
    expect(report.data.synSchedule.basis).toMatch(/gives up at 7 s/);
    const [a] = report.data.attempts;
    expect(a).toMatchObject({ outcome: 'timeout', errorCode: 'ETIMEDOUT', deadlineBy: 'os' });
    // The end at 7 s, plus at most 0.9 s the timer wheel fires late over these
    // waits (os/syn-schedule.ts timerWheelLateMs); with TCP_USER_TIMEOUT the
    // kernel went on to 11 s.
    expect(a.durationMs).toBeGreaterThanOrEqual(6970);
    expect(a.durationMs).toBeLessThan(9000);
    const human = humanOutput(renderConnect, report);
    expect(human).toMatch(/deadline 60000 ms per attempt; the OS gave up sooner by itself \(its SYN\s+resends ran out\), as it does for any client/);
    expect(human).not.toMatch(/enforced by/);
  });

  it('a deadline shorter than the OS gives a connect is the kernel\'s (TCP_USER_TIMEOUT), with the same settings', () => {
    const ns = createNetns();
    setSysctl(ns, 'net/ipv4/tcp_syn_retries', '2');
    setSysctl(ns, 'net/ipv4/tcp_syn_linear_timeouts', '4');
    nft(ns, 'table inet tdg {\n  chain input { type filter hook input priority 0; tcp dport 15000 drop; }\n}\n');
    const r = runCli(['connect', '127.0.0.1', '15000', '--timeout', '2500ms', '--json'], { netns: ns });
    const [a] = r.json().data.attempts;
    expect(a).toMatchObject({ outcome: 'timeout', errorCode: 'ETIMEDOUT', deadlineBy: 'TCP_USER_TIMEOUT' });
    expect(a.durationMs).toBeGreaterThanOrEqual(2400);
    expect(a.durationMs).toBeLessThan(6970);
    expect(humanOutput(renderConnect, r.json())).toMatch(/deadline 2500 ms per attempt, enforced by TCP_USER_TIMEOUT\n/);
  });

  it('without koffi the timer alone ends the attempt, on time', () => {
    const ns = createNetns();
    nft(ns, 'table inet tdg {\n  chain input { type filter hook input priority 0; tcp dport 15000 drop; }\n}\n');
    const noKoffi = cliWithoutKoffi();
    try {
      const r = runCli(['connect', '127.0.0.1', '15000', '--timeout', '800ms', '--json'], { netns: ns, bin: noKoffi.bin, env: noKoffi.env });
      const [a] = r.json().data.attempts;
      expect(a).toMatchObject({ outcome: 'timeout', errorCode: null, deadlineBy: 'timer' });
      expect(a.durationMs).toBeGreaterThanOrEqual(790);
    } finally {
      noKoffi.remove();
    }
  });
});
