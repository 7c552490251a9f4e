// connect-race in namespaces (TESTING.md recipes): a port that drops SYNs on
// the namespace's loopback, on a clean host and on one whose firewall lets
// one new connection attempt through at a time.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { createNetns, nft, setSysctl, skipWithoutNetns } from '../helpers/netns.js';
import { nodeInNetns } from '../helpers/node-in-netns.js';
import { humanOutput, linesWiderThan } from '../helpers/width.js';
import { renderConnectRace } from '../../src/render/connect-race.js';

const RACE_THEN = join(__dirname, '..', 'helpers', 'scripts', 'race-then.cjs');
const BLACKHOLE = 'table inet tdg {\n  chain input { type filter hook input priority 0; tcp dport 15000 drop; }\n}\n';
const SERIALIZE = 'table inet tdg {\n  chain output { type filter hook output priority 0; tcp flags syn ct state new ct count over 1 counter drop; }\n}\n';

function race(ns: string) {
  const { code, stdout, stderr } = nodeInNetns(ns, RACE_THEN, { args: [BIN, 'connect-race', '127.0.0.1', '15000', '--control', '127.0.0.1:8080', '--json'] });
  return { code, report: JSON.parse(stdout), stderr };
}

describe.skipIf(process.platform !== 'linux' || skipWithoutNetns())('connect-race in namespaces (skip reason printed above)', () => {
  it('a clean host: no limit up to 16 pending attempts (exit 0)', () => {
    const ns = createNetns();
    nft(ns, BLACKHOLE);
    const { code, report, stderr } = race(ns);
    expect(code).toBe(0);
    expect(report.data).toMatchObject({ limit: null, scope: null, maxPending: 16 });
    expect(report.data.rounds.map((r: { pending: number; held: boolean; synSent: number }) => [r.pending, r.held, r.synSent])).toEqual([
      [1, false, 1], [2, false, 2], [4, false, 4], [8, false, 8], [16, false, 16],
    ]);
    expect(report.findings[0]).toMatchObject({ code: 'connect-attempts-independent', severity: 'info' });
    // A pipe is no terminal: no progress without --verbose (issue #20, --json from cron).
    expect(stderr).toBe('');
    // What a person gets from this run fits 80 columns (rendered from its report: no second run).
    expect(linesWiderThan(humanOutput(renderConnectRace, report))).toEqual([]);
  });

  it('a host that lets one attempt through at a time: limit 1, host-wide, the control held until the pending attempt ends', () => {
    const ns = createNetns();
    nft(ns, BLACKHOLE);
    nft(ns, SERIALIZE);
    // Abandoned attempts' conntrack entries expire after 2 s (TESTING.md).
    setSysctl(ns, 'net/netfilter/nf_conntrack_tcp_timeout_syn_sent', '2');
    const { code, report } = race(ns);
    expect(code).toBe(1);
    expect(report.data).toMatchObject({ limit: 1, scope: 'host' });
    const [held, scope] = report.data.rounds;
    expect(held).toMatchObject({ pending: 1, by: 'self', synSent: 1, held: true });
    expect(held.controlMs).toBeGreaterThan(report.data.holdMs);
    // Released only after the pending attempt was abandoned (here: once its conntrack entry expired).
    expect(held.releasedAfterMs).toBeGreaterThan(0);
    expect(scope).toMatchObject({ pending: 1, by: 'child', held: true });
    expect(report.findings[0]).toMatchObject({ code: 'connect-attempts-serialized', severity: 'error' });
    expect(report.findings[0].message).toMatch(/^while 1 connection attempt to the dead endpoint 127\.0\.0\.1:15000 was pending, a connect to 127\.0\.0\.1:8080 took \d+(\.\d+)? ms/);
    // Every pending attempt is closed at the end.
    expect(report.data.attempts.filter((a: { outcome: string }) => a.outcome === 'pending')).toEqual([]);
    expect(linesWiderThan(humanOutput(renderConnectRace, report))).toEqual([]);
  });

  it('a target that answers is inconclusive (exit 4), and says what to pick instead', () => {
    const ns = createNetns();
    const { code, stdout } = nodeInNetns(ns, RACE_THEN, { args: [BIN, 'connect-race', '127.0.0.1', '8080', '--control', '127.0.0.1:8080', '--json'] });
    expect(code).toBe(4);
    const report = JSON.parse(stdout);
    expect(report.verdict).toBe('inconclusive');
    expect(report.findings[0]).toMatchObject({ code: 'race-target-connects' });
  });

  it('a target that refuses at once is inconclusive', () => {
    const ns = createNetns();
    const { code, stdout } = nodeInNetns(ns, RACE_THEN, { args: [BIN, 'connect-race', '127.0.0.1', '15001', '--control', '127.0.0.1:8080', '--json'] });
    expect(code).toBe(4);
    expect(JSON.parse(stdout).findings[0]).toMatchObject({ code: 'race-target-refuses' });
  });
});

describe.skipIf(process.platform !== 'linux' || skipWithoutNetns())('connect-race on Ctrl-C (skip reason printed above)', () => {
  it('closes every pending attempt and its child process, and exits 130', async () => {
    const ns = createNetns();
    nft(ns, BLACKHOLE);
    nft(ns, SERIALIZE);
    setSysctl(ns, 'net/netfilter/nf_conntrack_tcp_timeout_syn_sent', '2');
    const control = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', "require('net').createServer((c) => c.on('error', () => {})).listen(8080, '127.0.0.1')"], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 300));
      // `ip netns exec` execs node in place: this pid is tcpdiag's.
      const race = spawn('ip', ['netns', 'exec', ns, process.execPath, BIN, 'connect-race', '127.0.0.1', '15000', '--control', '127.0.0.1:8080', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const exited = new Promise<number | null>((r) => race.once('exit', (code) => r(code)));
      // Interrupt while the child process holds its pending attempt (the scope round).
      const childSeen = await waitFor(() => pgrep('tcpdiag-pending-child'), 15_000);
      expect(childSeen).toBe(true);
      race.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(await waitFor(() => !pgrep('tcpdiag-pending-child'), 2000)).toBe(true);
      const synSent = execFileSync('ip', ['netns', 'exec', ns, 'ss', '-tanH', 'state', 'syn-sent'], { encoding: 'utf8' }).trim();
      expect(synSent).toBe('');
    } finally {
      control.kill('SIGKILL');
    }
  });
});

function pgrep(marker: string): boolean {
  return spawnSync('pgrep', ['-f', marker]).status === 0;
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}
