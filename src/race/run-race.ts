// The connect-race decision (issue: "does a pending attempt to a dead
// endpoint delay other connects?"):
//  1. baseline: control connects alone;
//  2. the target must leave attempts pending (a refusal or a connect is not
//     pending: inconclusive, say what it did);
//  3. rounds with k = 1, 2, 4 ... maxPending attempts pending, a control
//     connect each: slower than `holdMs` means held; then a binary search
//     narrows the limit between the last free and the first held round;
//  4. in a held round the pending attempts are abandoned and the time until
//     the control completes is recorded: the causal evidence;
//  5. scope: the limit's round again with the attempts opened by a child
//     process: held again means host-wide, else per process.

import type { Opener, RaceEnv, RaceResult, Round } from './types.js';

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

export async function runRace(env: RaceEnv, s: RaceSettings = DEFAULT_RACE): Promise<RaceResult> {
  const baseline: number[] = [];
  for (let i = 0; i < s.baselineCount; i++) {
    if (i > 0) await env.sleep(BASELINE_GAP_MS);
    const r = await env.control(CONTROL_DEADLINE_MS, `baseline ${i + 1}`);
    if (!r.ok) return { kind: 'inconclusive', reason: 'control-failed', errorCode: r.errorCode, baseline };
    baseline.push(r.ms);
  }
  const holdMs = holdThreshold(baseline);

  const probe = await env.openPending(1, 'self', 'target check');
  await env.sleep(holdMs);
  const ended = probe.firstEnded();
  await probe.abandon();
  if (ended) {
    const reason = ended.outcome === 'connected' ? 'target-connects' : ended.outcome === 'refused' ? 'target-refuses' : 'target-fails';
    return { kind: 'inconclusive', reason, errorCode: ended.errorCode, baseline };
  }

  const rounds: Round[] = [];
  const round = async (k: number, by: Opener) => {
    const r = await runRound(env, k, by, holdMs, s.releaseWaitMs);
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
  const scope = held === null ? null : (await round(held, 'child')).held ? 'host' : 'process';
  return { kind: 'measured', baseline, holdMs, rounds, limit: held, scope };
}

async function runRound(env: RaceEnv, k: number, by: Opener, holdMs: number, releaseWaitMs: number): Promise<Round> {
  const group = await env.openPending(k, by, `${k} pending${by === 'child' ? ' (child process)' : ''}`);
  const control = env.control(holdMs + releaseWaitMs, `control with ${k} pending`);
  const early = await Promise.race([control, env.sleep(holdMs).then(() => null)]);
  if (early) {
    await group.abandon();
    return { pending: k, by, synSent: group.synSent, controlMs: early.ok ? early.ms : null, held: false, releasedAfterMs: null };
  }
  const abandonedAt = env.now();
  await group.abandon();
  const late = await control;
  return { pending: k, by, synSent: group.synSent, controlMs: late.ok ? late.ms : null, held: true, releasedAfterMs: late.ok ? Math.round(env.now() - abandonedAt) : null };
}
