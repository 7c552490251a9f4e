// connect-race against real kernels, in namespaces (test/helpers/race-netns.ts):
// limits 1, 2, 4 and 10, host-wide and per process, with conntrack
// forgetting closed attempts after 2 s or remembering them past the run
// (120 s, the default); a limit that rejects; a lossy control path; a host already at its limit;
// attempts left over from before the run; targets and controls that answer
// wrongly; Ctrl-C.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderConnectRace } from '../../src/render/connect-race.js';
import { cliArgv } from '../helpers/cli.js';
import { skipWithoutNetns } from '../helpers/netns.js';
import { perProcessSkipReason, raceHost } from '../helpers/race-netns.js';
import { humanOutput, linesWiderThan } from '../helpers/width.js';

const HOLD = join(__dirname, '..', 'helpers', 'scripts', 'hold-attempts.cjs');
const RACE = ['connect-race', '127.0.0.1', '15000', '--json'];
const GIVEN = [...RACE, '--control', '127.0.0.1:8080'];

const skip = process.platform !== 'linux' || skipWithoutNetns();
const noCgroup = skip ? null : perProcessSkipReason();
if (noCgroup && process.env.TCPDIAG_REQUIRE_NETNS === '1') throw new Error(`TCPDIAG_REQUIRE_NETNS=1 but ${noCgroup}`);
// Per-process limits are namespace tests too: CI (TCPDIAG_REQUIRE_NETNS=1) fails instead of skipping them.
if (noCgroup && process.env.TCPDIAG_REQUIRE_NETNS === '1') throw new Error(`TCPDIAG_REQUIRE_NETNS=1 but ${noCgroup}`);
if (noCgroup) console.warn(`skipping the per-process cases: ${noCgroup}`);

describe.skipIf(skip)('connect-race: a clean host (skip reason printed above)', () => {
  it('no limit up to 16 with only its own listener as control, and says connects leaving the host were not judged', () => {
    // --verbose: a pipe is no terminal, and progress goes only to a terminal otherwise (issue #20).
    const { code, report, stderr } = raceHost().race([...RACE, '--verbose']);
    expect(code).toBe(0);
    expect(report.data).toMatchObject({ limit: null, limitRange: null, scope: null, alreadyLimited: false, maxPending: 16 });
    expect(report.data.controls.map((c: { channel: string }) => c.channel)).toEqual(['own']);
    expect(report.data.rounds).toHaveLength(16);
    expect(report.data.hostPending.ours).toBe(16);
    expect(report.findings.map((f: { code: string }) => f.code)).toEqual(['connect-attempts-independent']);
    expect(report.notJudged.join(' ')).toMatch(/connects that leave this host: the control was tcpdiag's own listener/);
    expect(stderr).toMatch(/racing connects to tcpdiag's own listener 127\.0\.0\.1:\d+ against up to 16 pending attempts to 127\.0\.0\.1:15000/);
    expect(report.data.timeToVerdictMs).toBeGreaterThan(0);
    expect(linesWiderThan(humanOutput(renderConnectRace, report))).toEqual([]);
  });

  it('with --control both controls are raced every round, and nothing is left "not judged"', () => {
    const { code, report } = raceHost().race(GIVEN);
    expect(code).toBe(0);
    expect(report.data.controls.map((c: { channel: string; port: number }) => [c.channel, c.channel === 'given' ? c.port : 'any'])).toEqual([['own', 'any'], ['given', 8080]]);
    expect(report.data.rounds).toHaveLength(32);
    expect(report.notJudged).toEqual([]);
  });
});

// Each limit, each scope, each memory: the number, the scope, and what the release shows.
const CASES = [1, 2, 4, 10].flatMap((limit) => (['host', 'process'] as const).flatMap((scope) => [2, 120].map((forgetS) => ({ limit, scope, forgetS }))));

describe.skipIf(skip)('connect-race: a limit on pending attempts (skip reason printed above)', () => {
  for (const c of CASES) {
    const skipThis = c.scope === 'process' && noCgroup !== null;
    it.skipIf(skipThis)(`${c.scope === 'host' ? 'host-wide' : 'per process'}, limit ${c.limit}, closed attempts ${c.forgetS === 2 ? 'forgotten after 2 s' : 'remembered (120 s)'}${c.scope === 'process' ? ' (skip reason printed above)' : ''}`, () => {
      const { code, report } = raceHost({ limit: c.limit, scope: c.scope, forgetS: c.forgetS }).race(GIVEN);
      expect(code).toBe(1);
      expect(report.verdict).toBe('problem');
      expect(report.data).toMatchObject({ limit: c.limit, limitRange: { min: c.limit, max: c.limit }, heldAtPending: c.limit, scope: c.scope, heldOn: 'own', alreadyLimited: false });
      // The round before the limit got through, the limit's round did not: on one host, nothing closed in between.
      const own = report.data.rounds.filter((r: { channel: string; by: string }) => r.channel === 'own' && r.by === 'self');
      expect(own.map((r: { pending: number; held: boolean }) => [r.pending, r.held]).at(-1)).toEqual([c.limit, true]);
      expect(own.filter((r: { held: boolean }) => r.held)).toHaveLength(1);
      const scopeRound = report.data.rounds.find((r: { by: string }) => r.by === 'child');
      expect(scopeRound).toMatchObject({ pending: c.limit, held: c.scope === 'host' });
      expect(report.data.hostPending).toMatchObject({ ours: c.limit, others: [] });
      // Forgetting: a connect gets through within the watch; remembering: none does.
      if (c.forgetS === 2) expect(report.data.release.releasedAfterMs).toBeGreaterThan(0);
      else expect(report.data.release.releasedAfterMs).toBeNull();
      const f = report.findings.find((x: { code: string }) => x.code === 'connect-attempts-serialized');
      expect(f.message).toMatch(c.scope === 'host' ? /The limit is host-wide/ : /The limit is per process/);
      expect(f.remedy.join('\n')).toMatch(c.scope === 'host' ? /nft list ruleset/ : /cgroup/);
      expect(report.data.attempts.filter((a: { outcome: string }) => a.outcome === 'pending')).toEqual([]);
      expect(linesWiderThan(humanOutput(renderConnectRace, report))).toEqual([]);
    });
  }
});

describe.skipIf(skip)('connect-race: a limit that rejects (skip reason printed above)', () => {
  it('host-wide limit 5 that answers a SYN over it with a TCP reset: the limit, and new connects said to be refused at once, not to stall through SYN resends', () => {
    const { code, report } = raceHost({ limit: 5, rejects: true }).race(GIVEN);
    expect(code).toBe(1);
    expect(report.data).toMatchObject({ limit: 5, limitRange: { min: 5, max: 5 }, heldAtPending: 5, scope: 'host', heldOn: 'own', holdKind: 'refuse' });
    const heldRound = report.data.rounds.find((r: { held: boolean; by: string }) => r.held && r.by === 'self');
    expect(heldRound).toMatchObject({ pending: 5, errorCode: 'ECONNREFUSED', controls: 2 });
    // Refused before the hold threshold: no SYN was resent.
    expect(heldRound.waitedMs).toBeLessThan(report.data.holdMs);
    expect(report.data.waits.map((w: { why: string }) => w.why).join('\n')).toMatch(/a limit that rejects/);
    const f = report.findings.find((x: { code: string }) => x.code === 'connect-attempts-serialized');
    expect(f.message).toMatch(/a new connect to tcpdiag's own listener on 127\.0\.0\.1:\d+ was refused at once \(ECONNREFUSED\) instead of waiting: 2 tries, none through, in \d+ ms; with 4 pending it connected in/);
    expect(f.message).toMatch(/new connections of every process on this host are refused at once \("connection refused", ECONNREFUSED\) while the pending attempts last/);
    expect(f.message).not.toMatch(/stall|SYN resends/);
    const human = humanOutput(renderConnectRace, report);
    expect(human).toMatch(/│ 5 +│ own +│ this process +│ refused: 2 tries in \d+ ms +│/);
    expect(human).not.toMatch(/held: /);
    expect(linesWiderThan(human)).toEqual([]);
  });
});

describe.skipIf(skip)('connect-race: a lossy control path (skip reason printed above)', () => {
  it('a free host with 1 in 5 SYNs to the given control lost at random: no limit', () => {
    const { code, report } = raceHost({ controlLoss: 'random' }).race(GIVEN);
    expect(code).toBe(0);
    expect(report.data).toMatchObject({ limit: null, limitRange: null });
  });

  it('a limit of 4 on connects leaving the host, every 5th SYN to the given control lost: limit 4, seen on the given control', () => {
    const { code, report } = raceHost({ limit: 4, counts: 'leaving', controlLoss: 'every-5th' }).race(GIVEN);
    expect(code).toBe(1);
    expect(report.data).toMatchObject({ limit: 4, limitRange: { min: 4, max: 4 }, heldOn: 'given', scope: 'host' });
    expect(report.findings.find((x: { code: string }) => x.code === 'connect-attempts-serialized').message).toMatch(/Connects to tcpdiag's own listener on this host were not held/);
  });
});

describe.skipIf(skip)('connect-race: a host that is not fresh (skip reason printed above)', () => {
  it('already at its limit (another program holds 3 attempts, host-wide limit 3): says so and names the program, exit 1', async () => {
    const host = raceHost({ limit: 3 });
    const holder = spawn('ip', ['netns', 'exec', host.ns, process.execPath, HOLD, '127.0.0.1', '15000', '3', 'hold'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      await new Promise((r) => holder.stdout!.once('data', r));
      const { code, report } = host.race(RACE);
      expect(code).toBe(1);
      expect(report.data).toMatchObject({ alreadyLimited: true, heldAtPending: 0, limit: null, scope: 'host' });
      expect(report.data.hostPending.others).toHaveLength(3);
      expect(report.data.hostPending.others[0]).toMatchObject({ process: 'node', remote: '127.0.0.1:15000' });
      expect(report.findings.find((x: { code: string }) => x.code === 'connects-already-held').message).toMatch(/3 attempts of other programs are pending \(node \(pid \d+\) to 127\.0\.0\.1:15000/);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('attempts closed before the run that conntrack still counts (limit 6, 2 remembered): held at 4, the limit given as 4-6', () => {
    const host = raceHost({ limit: 6 });
    execFileSync('ip', ['netns', 'exec', host.ns, process.execPath, HOLD, '127.0.0.1', '15000', '2', 'close']);
    const { code, report } = host.race(RACE);
    expect(code).toBe(1);
    expect(report.data).toMatchObject({ limit: null, limitRange: { min: 4, max: 6 }, heldAtPending: 4, scope: 'host' });
    expect(report.data.hostPending.remembered).toBe(2);
    expect(report.summary).toMatch(/^4-6 pending attempts/);
  });

  it('run twice in a row on a remembering filter: the second run finds the host held by the first run\'s closed attempts', () => {
    const host = raceHost({ limit: 3 });
    expect(host.race(RACE).report.data.limit).toBe(3);
    const { code, report } = host.race(RACE);
    expect(code).toBe(1);
    expect(report.data).toMatchObject({ alreadyLimited: true });
    expect(report.data.hostPending.remembered).toBeGreaterThanOrEqual(3);
  });
});

describe.skipIf(skip)('connect-race: inconclusive, with what to pick instead (skip reason printed above)', () => {
  it('a target that answers (exit 4)', () => {
    const { code, report } = raceHost().race(['connect-race', '127.0.0.1', '8080', '--json']);
    expect(code).toBe(4);
    expect(report.findings[0]).toMatchObject({ code: 'race-target-connects' });
  });

  it('a target that refuses at once', () => {
    const { code, report } = raceHost().race(['connect-race', '127.0.0.1', '15001', '--json']);
    expect(code).toBe(4);
    expect(report.findings[0]).toMatchObject({ code: 'race-target-refuses' });
  });

  it('a given control that refuses', () => {
    const { code, report } = raceHost().race([...RACE, '--control', '127.0.0.1:8081']);
    expect(code).toBe(4);
    expect(report.findings[0]).toMatchObject({ code: 'race-control-failed' });
    expect(report.findings[0].message).toMatch(/ECONNREFUSED/);
  });
});

describe.skipIf(skip)('connect-race on Ctrl-C (skip reason printed above)', () => {
  it('closes every pending attempt and the helper process, and exits 130', async () => {
    const host = raceHost({ limit: 2, forgetS: 2 });
    const race = spawn('ip', ['netns', 'exec', host.ns, ...cliArgv(RACE).flat()], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((r) => race.once('exit', (code) => r(code)));
    // Interrupt while the held round waits (its attempts and the helper's control are out).
    const held = await waitFor(() => execFileSync('ip', ['netns', 'exec', host.ns, 'ss', '-tanH', 'state', 'syn-sent'], { encoding: 'utf8' }).trim().split('\n').length >= 3, 15_000);
    expect(held).toBe(true);
    // `ip netns exec` execs node in place: race.pid is tcpdiag's, and the helper its child.
    const helper = childPid(race.pid!);
    expect(helper).not.toBeNull();
    race.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(await waitFor(() => !alive(helper!), 2000)).toBe(true);
    expect(execFileSync('ip', ['netns', 'exec', host.ns, 'ss', '-tanH', 'state', 'syn-sent'], { encoding: 'utf8' }).trim()).toBe('');
  });
});

function childPid(parent: number): number | null {
  const r = spawnSync('pgrep', ['-P', String(parent), '-f', '__race-helper'], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim().split('\n')[0]) : null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}
