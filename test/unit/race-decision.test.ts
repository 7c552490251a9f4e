// The connect-race decision logic with a fake clock and fake connectors.
import { describe, expect, it } from 'vitest';
import { doublings, holdThreshold, runRace } from '../../src/race/run-race.js';
import { FakeClock, fakeEnv, type FakeWorld } from '../helpers/fake-race-env.js';

const world = (w: Partial<FakeWorld>): FakeWorld => ({ limit: null, scope: 'process', target: 'pending', controlMs: 2, releaseDelayMs: 5, ...w });

async function race(w: Partial<FakeWorld>, maxPending = 16) {
  const clock = new FakeClock();
  const env = fakeEnv(world(w), clock);
  const result = await clock.run(runRace(env, { maxPending, baselineCount: 5, releaseWaitMs: 3000 }));
  return { result, clock, env };
}

describe('connect-race decision', () => {
  it('a clean host: no limit up to maxPending, rounds 1, 2, 4, 8, 16', async () => {
    const { result } = await race({});
    expect(result).toMatchObject({ kind: 'measured', limit: null, scope: null, holdMs: 300 });
    if (result.kind !== 'measured') throw new Error();
    expect(result.rounds.map((r) => [r.pending, r.held])).toEqual([[1, false], [2, false], [4, false], [8, false], [16, false]]);
    expect(result.baseline).toEqual([2, 2, 2, 2, 2]);
  });

  it('one attempt per process: limit 1, per-process scope (confirmed by repeating), released after abandoning', async () => {
    const { result } = await race({ limit: 1, scope: 'process' });
    if (result.kind !== 'measured') throw new Error(result.reason);
    expect(result.limit).toBe(1);
    expect(result.scope).toBe('process');
    expect(result.rounds[0]).toEqual({ pending: 1, by: 'self', synSent: 1, controlMs: 300 + 5 + 2, held: true, releasedAfterMs: 7 });
    expect(result.rounds.map((r) => `${r.pending}${r.by === 'child' ? 'c' : ''}:${r.held ? 'held' : 'free'}`)).toEqual(['1:held', '1c:free', '1:held']);
  });

  it('a control slow once (a lost SYN) gives no verdict: the hold does not repeat', async () => {
    // Controls 1-5 are the baseline; the 6th is round 1's.
    const { result } = await race({ slowControls: [6] });
    expect(result).toMatchObject({ kind: 'inconclusive', reason: 'unstable' });
  });

  it('a control that stops answering mid-run ends it as inconclusive, never as "no limit"', async () => {
    const { result } = await race({ controlDownFrom: 8 });
    expect(result).toMatchObject({ kind: 'inconclusive', reason: 'control-failed', errorCode: 'ECONNREFUSED' });
  });

  it('a control alone must get through before each round after the first', async () => {
    const { env } = await race({});
    const order = env.log.map((l) => l.replace(/ @\d+$/, ''));
    expect(order.slice(5, 10)).toEqual(['1 pending', 'control with 1 pending', 'control alone', '2 pending', 'control with 2 pending']);
  });

  it('a host-wide limit of 10 (old Windows half-open limit): found by doubling then bisection, host scope', async () => {
    const { result } = await race({ limit: 10, scope: 'host' });
    if (result.kind !== 'measured') throw new Error(result.reason);
    expect(result.limit).toBe(10);
    expect(result.scope).toBe('host');
    expect(result.rounds.map((r) => `${r.pending}${r.by === 'child' ? 'c' : ''}:${r.held ? 'held' : 'free'}`)).toEqual([
      '1:free', '2:free', '4:free', '8:free', '16:held', '12:held', '10:held', '9:free', '10c:held',
    ]);
  });

  it('a limit above maxPending is not found', async () => {
    const { result } = await race({ limit: 32 }, 16);
    expect(result).toMatchObject({ kind: 'measured', limit: null });
  });

  it('stops as inconclusive when the target connects', async () => {
    expect((await race({ target: 'connects' })).result).toMatchObject({ kind: 'inconclusive', reason: 'target-connects' });
  });

  it('stops as inconclusive when the target refuses at once', async () => {
    expect((await race({ target: 'refuses' })).result).toMatchObject({ kind: 'inconclusive', reason: 'target-refuses', errorCode: 'ECONNREFUSED' });
  });

  it('reaches a verdict within seconds of virtual time on a serializing host', async () => {
    const { clock } = await race({ limit: 1, releaseDelayMs: 2000 });
    expect(clock.t).toBeLessThan(5000);
  });

  it('derives its thresholds from the baseline', () => {
    expect(holdThreshold([1, 2, 3])).toBe(300);
    expect(holdThreshold([40, 55, 60])).toBe(700);
    expect(doublings(16)).toEqual([1, 2, 4, 8, 16]);
    expect(doublings(10)).toEqual([1, 2, 4, 8, 10]);
    expect(doublings(1)).toEqual([1]);
  });
});
