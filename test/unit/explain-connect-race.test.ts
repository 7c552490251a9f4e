// connect-race's words (explain/connect-race.ts) for each OS and scope, on
// results of the simulated host (test/helpers/race-world.ts): where to look,
// and on Windows what EnableConnectionRateLimiting says (KB969710).
import { describe, expect, it } from 'vitest';
import { explainRace, raceSummary, raceVerdict, type RateLimitSetting } from '../../src/explain/connect-race.js';
import type { OsName } from '../../src/os/port-ranges.js';
import type { RaceData } from '../../src/race/data.js';
import { DEFAULT_RACE, runRace } from '../../src/race/run-race.js';
import { renderConnectRace } from '../../src/render/connect-race.js';
import { makeReport } from '../../src/report/envelope.js';
import type { RaceResult } from '../../src/race/types.js';
import { FakeClock, LINUX_618, simulatedEnv, world, type World } from '../helpers/race-world.js';
import { humanOutput } from '../helpers/width.js';

async function race(w: Partial<World>): Promise<RaceResult> {
  const clock = new FakeClock();
  return clock.run(runRace(simulatedEnv(world(w), clock), DEFAULT_RACE));
}

/** The report data the explainer reads, from a result (as the probe builds it). */
function dataOf(r: RaceResult): RaceData {
  const m = r.kind === 'measured' ? r : null;
  const alone = { count: 6, min: 0.2, median: 0.3, p95: 0.4, max: 0.4 };
  return {
    target: { address: '10.0.0.99', port: 389 }, control: { address: '10.0.0.7', port: 41000 },
    controls: [{ channel: 'own', address: '10.0.0.7', port: 41000, baselineMs: alone, lostSyns: 0 }],
    maxPending: 16, limit: m?.limit ?? null, limitRange: m?.limitRange ?? null, heldAtPending: m?.heldAtPending ?? null, scope: m?.scope ?? null, heldOn: m?.heldOn ?? null,
    alreadyLimited: m?.alreadyLimited ?? false, holdKind: m?.holdKind ?? null, hostPending: m?.hostPending ?? null, release: m?.release ?? null, baselineMs: alone, holdMs: r.holdMs, lossSeen: r.lossSeen, unresolved: r.unresolved,
    synSchedule: LINUX_618, rounds: r.rounds, waits: r.waits, attempts: [], timeToVerdictMs: r.verdictAtMs,
  };
}

async function explain(w: Partial<World>, os: OsName, rateLimit: RateLimitSetting = null) {
  const r = await race(w);
  return explainRace(r, dataOf(r), os, null, rateLimit);
}

describe('connect-race explained per OS and scope', () => {
  it('Windows, per process: endpoint protection and the commands that show filter drivers (the seed case)', async () => {
    const { findings } = await explain({ limit: 1, scope: 'process' }, 'win32');
    expect(findings[0]!.message).toMatch(/The limit is per process: .*endpoint-protection software or a filter driver \(a WFP callout\)/);
    expect(findings[0]!.remedy).toEqual(['fltmc filters', 'netsh wfp show filters', 'netsh wfp show state']);
  });

  it('Windows, host-wide, EnableConnectionRateLimiting 1: the OS half-open limit is named as the likely holder', async () => {
    const { findings, notJudged } = await explain({ limit: 10 }, 'win32', { state: 'on', said: 'EnableConnectionRateLimiting is 1' });
    expect(findings[0]!.message).toMatch(/EnableConnectionRateLimiting is 1: Windows' own half-open limit \(10 pending attempts, KB969710\) is on/);
    expect(findings[0]!.remedy[0]).toMatch(/reg query "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters" \/v EnableConnectionRateLimiting/);
    expect(notJudged).toEqual([]);
  });

  it('Windows, EnableConnectionRateLimiting 1 but a measured limit other than 10: something else holds connects too', async () => {
    const { findings } = await explain({ limit: 4 }, 'win32', { state: 'on', said: 'EnableConnectionRateLimiting is 1' });
    expect(findings[0]!.message).toMatch(/EnableConnectionRateLimiting is 1, which turns on Windows' own half-open limit of 10 pending attempts .*the limit measured here is not 10, so something else holds connects too/);
  });

  it('Windows, host-wide, the value absent: the OS limit is off, a filter driver is the likely holder', async () => {
    const { findings } = await explain({ limit: 4 }, 'win32', { state: 'off', said: 'EnableConnectionRateLimiting is not set in Tcpip\\Parameters' });
    expect(findings[0]!.message).toMatch(/is off, so a filter driver \(endpoint protection, a WFP callout\) is the likely holder/);
  });

  it('Windows, the registry unreadable: both holders named, and what was not judged said', async () => {
    const { findings, notJudged } = await explain({ limit: 4 }, 'win32', { state: 'unknown', said: 'the registry could not be read (access denied)' });
    expect(findings[0]!.message).toMatch(/Windows' own half-open limit \(EnableConnectionRateLimiting, KB969710\) or a filter driver/);
    expect(notJudged).toEqual(["whether Windows' own half-open limit is on: the registry could not be read (access denied)"]);
  });

  it('Linux: host-wide points at the firewall and conntrack, per process at cgroup rules and connect() shims', async () => {
    const host = await explain({ limit: 2 }, 'linux');
    expect(host.findings[0]!.message).toMatch(/host-wide: .*nftables ct count, iptables connlimit/);
    expect(host.findings[0]!.remedy.join('\n')).toMatch(/conntrack -S/);
    const proc = await explain({ limit: 2, scope: 'process' }, 'linux');
    expect(proc.findings[0]!.message).toMatch(/per process: .*socket cgroupv2.*LD_PRELOAD/);
  });

  it('a limit pinned only as a range says why, and the summary of the range is in the message', async () => {
    const { findings } = await explain({ limit: 4, othersPending: 2 }, 'linux');
    expect(findings[0]!.message).toMatch(/The host's limit is between 2 and 4: 2 attempts of other programs were pending too/);
  });

  it('no limit with only its own listener as control: what was not judged is said', async () => {
    const { findings, notJudged } = await explain({}, 'linux');
    expect(findings.map((f) => f.code)).toEqual(['connect-attempts-independent']);
    expect(notJudged[0]).toMatch(/^connects that leave this host: the control was tcpdiag's own listener/);
  });
});

/** The findings and the human report of one simulated run, on Linux. */
async function report(w: Partial<World>) {
  const r = await race(w);
  const data = dataOf(r);
  const { findings, notJudged } = explainRace(r, data, 'linux', null);
  const rep = makeReport('connect-race', new Date(0), { verdict: raceVerdict(r), summary: raceSummary(r, data), findings, notJudged, data });
  return { r, findings, human: humanOutput(renderConnectRace, rep) };
}

describe('connect-race: a limit that rejects is told from one that holds', () => {
  it('rejecting (ECONNREFUSED over the limit): new connects are refused at once while the attempts are pending, never "stall" or "through its SYN resends"', async () => {
    const { r, findings, human } = await report({ limit: 5, rejects: true });
    expect(r).toMatchObject({ kind: 'measured', limit: 5, scope: 'host', holdKind: 'refuse' });
    const m = findings.find((f) => f.code === 'connect-attempts-serialized')!.message;
    expect(m).toMatch(/with 5 attempts to the dead endpoint 10\.0\.0\.99:389 pending, a new connect to tcpdiag's own listener on 10\.0\.0\.7:41000 was refused at once \(ECONNREFUSED\) instead of waiting: 2 tries, none through, in \d+ ms; with 4 pending it connected in/);
    expect(m).toMatch(/new connections of every process on this host are refused at once \("connection refused", ECONNREFUSED\) while the pending attempts last/);
    expect(m).toMatch(/The limit is host-wide: a connect from another process was refused too/);
    expect(m).toMatch(/After the attempts were closed, new connects were still refused for 2\.0 s/);
    expect(m).not.toMatch(/stall|SYN resends|held for/);
    expect(human).toMatch(/│ 5 +│ own +│ this process +│ refused: 2 tries in \d+ ms +│/);
    expect(human).toMatch(/│ 5 +│ own +│ 2 helpers +│ refused +│/);
    expect(human).toMatch(/after the pending attempts were closed: still refused 2\.0 s later/);
    expect(human).not.toMatch(/held: |none through in 0\.0 s/);
  });

  it('dropping (SYNs unanswered over the limit): the hang wording stays', async () => {
    const { r, findings, human } = await report({ limit: 5 });
    expect(r).toMatchObject({ kind: 'measured', limit: 5, holdKind: 'hang' });
    const m = findings.find((f) => f.code === 'connect-attempts-serialized')!.message;
    expect(m).toMatch(/did not get through in \d+ ms \(2 tries, each through its SYN resends\)/);
    expect(m).toMatch(/new connections of every process on this host stall until the pending attempts end \(21 s on Windows, about 130 s on Linux\)/);
    expect(m).toMatch(/still held for 2\.0 s/);
    expect(m).toMatch(/The limit is host-wide: a connect from another process was held too/);
    expect(m).not.toMatch(/refused/);
    expect(human).toMatch(/│ 5 +│ own +│ this process +│ held: 2 tries, none through in \d\.\d s +│/);
    expect(human).toMatch(/still held 2\.0 s later/);
  });

  it('no limit, or held before any attempt: no hold kind, or a hang', async () => {
    expect(await race({})).toMatchObject({ holdKind: null });
    expect(await race({ limit: 2, othersPending: 2 })).toMatchObject({ alreadyLimited: true, holdKind: 'hang' });
  });
});

describe('connect-race: the baseline alone, with the statistic named', () => {
  it('Setup and the findings give the same median and maximum, each named', async () => {
    const held1 = await report({ limit: 1 });
    expect(held1.human).toMatch(/control +tcpdiag's own listener 10\.0\.0\.7:41000: alone 0\.3 ms median, at most\s+0\.4 ms/);
    expect(held1.findings[0]!.message).toMatch(/; alone it connects in 0\.3 ms median, at most 0\.4 ms\./);
    const free = await report({});
    expect(free.findings[0]!.message).toMatch(/\(slowest [\d.]+ ms; alone 0\.3 ms median, at most 0\.4 ms\)/);
    expect(free.human).toMatch(/alone 0\.3 ms median, at most\s+0\.4 ms/);
  });
});
