// The connect-race decision (issue: "does a pending attempt to a dead
// endpoint delay other connects?"):
//  1. baseline: control connects alone;
//  2. rounds with k = 1, 2, 4 ... maxPending attempts to the target pending
//     and a control connect meanwhile; slower than `holdMs` means held. The
//     first round is also the target check: attempts that connect, are
//     refused or fail before the control is judged make the run
//     inconclusive (a refused attempt is not pending). Before each further
//     round a control alone must get through, so what held the last round
//     cannot hold the next;
//  3. in a held round the attempts are abandoned and the time until the
//     control completes is recorded: the causal evidence;
//  4. a binary search narrows the limit between the last free and the first
//     held round;
//  5. scope: the limit's round with the attempts opened by a child process.
//     Held again: host-wide. Not held: the self round is repeated, and only
//     if it holds again is the limit per process; a hold that does not repeat
//     (a lost SYN can delay one control by a second) is inconclusive.

import type { InconclusiveReason, Opener, PendingGroup, RaceEnv, RaceResult, Round } from './types.js';

export interface RaceSettings {
  maxPending: number;
  baselineCount: number;
  /** How long a held control may wait for release after the attempts are abandoned. */
  releaseWaitMs: number;
}

export const DEFAULT_RACE: RaceSettings = { maxPending: 16, baselineCount: 5, releaseWaitMs: 3000 };

const CONTROL_DEADLINE_MS = 2000;
// Baseline connects are spaced, not a burst: the control is someone's server,
// and a firewall that counts connections may not have seen the last one close.
const BASELINE_GAP_MS = 20;

/** "Far slower than baseline": 10x the slowest baseline connect, and at least 300 ms. */
export function holdThreshold(baseline: readonly number[]): number {
  return Math.max(300, Math.ceil(Math.max(...baseline) * 10) + 100);
}

/** 1, 2, 4, ... up to max, max included. */
export function doublings(max: number): number[] {
  const out: number[] = [];
  for (let k = 1; k < max; k *= 2) out.push(k);
  out.push(max);
  return out;
}

/** Ends the run as inconclusive from anywhere inside it. */
class Stop {
  constructor(
    readonly reason: InconclusiveReason,
    readonly errorCode: string | null,
  ) {}
}

export async function runRace(env: RaceEnv, s: RaceSettings = DEFAULT_RACE): Promise<RaceResult> {
  const baseline: number[] = [];
  try {
    for (let i = 0; i < s.baselineCount; i++) {
      if (i > 0) await env.sleep(BASELINE_GAP_MS);
      const r = await env.control(CONTROL_DEADLINE_MS, `baseline ${i + 1}`);
      if (!r.ok) throw new Stop('control-failed', r.errorCode);
      baseline.push(r.ms);
    }
    const holdMs = holdThreshold(baseline);
    const rounds: Round[] = [];
    const round = async (k: number, by: Opener) => {
      if (rounds.length > 0) await settle(env, holdMs + s.releaseWaitMs);
      // Only the first held round waits for the release (the causal evidence);
      // later rounds need only "held or not" and give up the control at holdMs.
      const r = await runRound(env, k, by, holdMs, s.releaseWaitMs, !rounds.some((x) => x.held));
      rounds.push(r);
      return r;
    };
    let free = 0;
    let held: number | null = null;
    for (const k of doublings(s.maxPending)) {
      if ((await round(k, 'self')).held) {
        held = k;
        break;
      }
      free = k;
    }
    while (held !== null && held - free > 1) {
      const mid = Math.floor((free + held) / 2);
      if ((await round(mid, 'self')).held) held = mid;
      else free = mid;
    }
    let scope: 'process' | 'host' | null = null;
    if (held !== null) {
      if ((await round(held, 'child')).held) scope = 'host';
      else if ((await round(held, 'self')).held) scope = 'process';
      else throw new Stop('unstable', null);
    }
    return { kind: 'measured', baseline, holdMs, rounds, limit: held, scope };
  } catch (err) {
    if (err instanceof Stop) return { kind: 'inconclusive', reason: err.reason, errorCode: err.errorCode, baseline };
    throw err;
  }
}

/** A control alone must get through before a round, so leftovers of the last one cannot hold it. */
async function settle(env: RaceEnv, deadlineMs: number): Promise<void> {
  const r = await env.control(deadlineMs, 'control alone');
  if (!r.ok) throw new Stop('control-failed', r.errorCode);
  await env.sleep(BASELINE_GAP_MS); // let it close before the round's own attempts go out
}

async function runRound(env: RaceEnv, k: number, by: Opener, holdMs: number, releaseWaitMs: number, measureRelease: boolean): Promise<Round> {
  const group = await env.openPending(k, by, `${k} pending${by === 'child' ? ' (child process)' : ''}`);
  const giveUp = new AbortController();
  const control = env.control(holdMs + releaseWaitMs, `control with ${k} pending`, giveUp.signal);
  const timer = new AbortController();
  const early = await Promise.race([control, env.sleep(holdMs, timer.signal).then(() => null)]);
  timer.abort();
  const ended = group.firstEnded();
  if (ended || group.pending() < k) {
    await group.abandon();
    await control;
    throw targetStop(ended);
  }
  if (early) {
    await group.abandon();
    if (!early.ok) throw new Stop('control-failed', early.errorCode);
    return { pending: k, by, synSent: group.synSent, controlMs: early.ms, held: false, releasedAfterMs: null };
  }
  if (!measureRelease) giveUp.abort();
  const abandonedAt = env.now();
  await group.abandon();
  const late = await control;
  if (!measureRelease) return { pending: k, by, synSent: group.synSent, controlMs: null, held: true, releasedAfterMs: null };
  return { pending: k, by, synSent: group.synSent, controlMs: late.ok ? late.ms : null, held: true, releasedAfterMs: late.ok ? Math.round(env.now() - abandonedAt) : null };
}

function targetStop(ended: ReturnType<PendingGroup['firstEnded']>): Stop {
  if (ended?.outcome === 'connected') return new Stop('target-connects', null);
  if (ended?.outcome === 'refused') return new Stop('target-refuses', ended.errorCode);
  return new Stop('target-fails', ended?.errorCode ?? null);
}
