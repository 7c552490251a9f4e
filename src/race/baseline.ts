// The control alone, before any attempt is pending: how fast it answers
// (which sets how slow counts as held), whether its path loses SYNs (a
// connect that needed a retransmit), and whether it answers at all. A
// control that does not answer before tcpdiag opened anything is either
// down or already held: the caller tells them apart.

import { synSentAtMs } from '../os/syn-schedule.js';
import type { Baseline, Channel, ControlAttempt, RaceEnv } from './types.js';
import { failIfRefused, firstToEnd } from './wait.js';

// Spaced, not a burst: the control may be someone's server, and a firewall
// that counts connections must see each one closed before the next SYN.
// Linux's `ct count` drops closed connections from its count lazily, at most
// once a jiffy (nf_conncount): measured here, an attempt opened right after a
// control was reset was dropped as if the control still counted.
export const CONTROL_GAP_MS = 20;

/** Connects that took this share of the first retransmit gap or more needed a retransmit. */
export const LATE_SHARE = 0.8;

export interface BaselineRun {
  baseline: Baseline;
  /** Controls still unanswered: left open (closing one a filter counted would keep it counted). */
  open: ControlAttempt[];
}

// A baseline connect may take four SYNs: a control lost three times in a row
// and then given up could still be counted by a filter (0.16 % at 20 % loss).
const BASELINE_SYNS = 4;

export async function measureBaseline(env: RaceEnv, channel: Channel, count: number): Promise<BaselineRun> {
  const rto = env.syn.initialRtoMs;
  const baseline: Baseline = { channel, prompt: [], late: 0, unanswered: 0 };
  const open: ControlAttempt[] = [];
  for (let i = 0; i < count; i++) {
    // Also before the first: the other channel's last connect may have just closed.
    await env.sleep(CONTROL_GAP_MS);
    const c = env.startControl(channel, 'self', `baseline ${i + 1}`);
    // Through the retransmits: a lost SYN is late, not unanswered.
    const e = await firstToEnd(env, [c], c.startMs + synSentAtMs(env.syn, BASELINE_SYNS - 1) + 500);
    failIfRefused(e, `baseline connect ${i + 1}`);
    if (!e) {
      baseline.unanswered++;
      open.push(c);
      // Nothing through after the retransmits: the control does not answer now.
      if (baseline.prompt.length === 0 && baseline.late === 0) break;
      continue;
    }
    const ms = e.end.atMs - c.startMs;
    if (ms >= LATE_SHARE * rto) baseline.late++;
    else baseline.prompt.push(Math.round(ms * 10) / 10);
  }
  return { baseline, open };
}

/**
 * "Far slower than alone": 10x the slowest prompt connect and at least
 * 300 ms, but below the first retransmit gap, so that a hold and a lost SYN
 * are told apart by waiting through the gap.
 */
export function holdThreshold(prompt: readonly number[], rtoMs: number): number {
  const slowest = Math.max(0, ...prompt);
  return Math.min(Math.floor(rtoMs * 0.5), Math.max(300, Math.ceil(slowest * 10) + 100));
}
