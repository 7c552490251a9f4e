// One round: with `pending` attempts to the target open, does a new connect
// get through? A control slower than the hold threshold is either held or
// lost (a lost SYN or SYN-ACK costs one retransmit gap), and the two look
// the same until the retransmits: a lost control connects at one of them, a
// held one does not while the attempts stay pending. So the control is held
// only when it got through none of its SYNs (two on a clean path, four where
// SYNs may be lost: a lost one passes for a hold with a chance of 4 % or
// 0.16 % at 20 % loss, and only in the one round where it can take the last
// free place), and then a fresh control, an independent chance wherever
// there is room, got through none of its two either. Nothing a filter may
// count is closed while the round is open: a control that got through a
// filter and was then lost is counted like a pending attempt, and closing it
// would leave it counted (conntrack keeps closed SYN_SENT entries for
// minutes).

import { synSentAtMs } from '../os/syn-schedule.js';
import { LATE_SHARE } from './baseline.js';
import { HELPER_GONE, type Channel, type ControlAttempt, type HostPending, type RaceEnv, type Round } from './types.js';
import { firstToEnd, Stop, type Ended } from './wait.js';

export interface RoundState {
  holdMs: number;
  /** Controls that connected only after a retransmit, so far in the run. */
  lossSeen: number;
  /** Controls given up unanswered, so far in the run. */
  unresolved: number;
  waits: Array<{ ms: number; why: string }>;
}

export interface RoundResult {
  round: Round;
  /** The helper process's control in a held round: the scope check. Null when not held, no helper, or the helper died. */
  scopeRound: Round | null;
  /** Held controls, still open: they show the release later. */
  held: ControlAttempt[];
  /** Who else was pending in a held round, from the socket table as the round slowed down and as it was judged. */
  census: HostPending | null;
}

export async function judgeRound(env: RaceEnv, st: RoundState, pending: number, channel: Channel): Promise<RoundResult> {
  const first = env.startControl(channel, 'self', `control, ${pending} pending`);
  const quick = await firstToEnd(env, [first], first.startMs + st.holdMs);
  if (quick?.end.ok) return free(round(pending, channel, 'self', 1, quick.end.atMs - first.startMs, false, null));
  if (quick && rejected(quick)) return rejectedRound(env, st, pending, channel, first, quick);
  // Slow. Who else is pending is read now, close to when this control's SYN went
  // out (another program's attempt may end before the round is judged).
  const early = env.census();
  // A path that may lose SYNs (the given control's, or any once one was lost): more retransmits.
  const lossy = st.lossSeen > 0 || channel === 'given';
  const alone = lossy ? 4 : 2;
  // The first control gets its retransmits alone. A lost control that got
  // through a filter holds the last free place; another connect dropped
  // meanwhile stays counted in Linux's `ct count` (nf_conncount adds an
  // attempt before judging it and forgets a dropped one only on a later full
  // scan, which the lost control's own retransmits cut short): measured here,
  // it kept the lost control from ever getting through.
  const e = await firstToEnd(env, [first], first.startMs + retransmitWindow(env, alone) + st.holdMs);
  if (e && rejected(e)) return rejectedRound(env, st, pending, channel, first, e, early);
  if (e?.end.ok) return throughAfterAll(env, st, pending, first, e, [first], null, channel);

  // Not through after its retransmits: held, or lost every time. A fresh
  // control is an independent chance where there is room; the helper
  // process's control asks whether another process is held too.
  const own = [first, env.startControl(channel, 'self', `2nd control, ${pending} pending`)];
  const children = await helperControls(env, channel, pending);
  const through = await firstToEnd(env, own.filter((c) => c !== e?.control), own[1]!.startMs + retransmitWindow(env, 2) + st.holdMs);
  if (through && rejected(through)) return rejectedRound(env, st, pending, channel, first, through, early, children);
  if (through?.end.ok) return throughAfterAll(env, st, pending, first, through, own, children, channel);
  const waitedMs = Math.round(env.now() - first.startMs);
  st.waits.push({
    ms: waitedMs,
    why: `no control got through with ${pending} pending: the first was given ${alone} SYNs alone${lossy ? ' (not 2: this path may lose SYNs)' : ''}, then a second one 2 more, so a lost SYN could not pass for a hold`,
  });
  const census = merged(await early, await env.census());
  const scopeRound = children.length ? await judgeScope(env, children, pending, channel, children[0]!.startMs + retransmitWindow(env, lossy ? 3 : 2) + st.holdMs) : null;
  return { round: round(pending, channel, 'self', own.length, null, false, waitedMs), scopeRound, held: own, census };
}

/**
 * The scope check's controls: one in each of two helper processes, started
 * together, so that where a limit is per process a lost control holds only
 * its own process's place and the other is an independent chance.
 */
async function helperControls(env: RaceEnv, channel: Channel, pending: number): Promise<ControlAttempt[]> {
  if (!(await env.helperReady())) return [];
  return [env.startControl(channel, 'child', `helper 1, ${pending} pending`), env.startControl(channel, 'child', `helper 2, ${pending} pending`)];
}

const free = (r: Round): RoundResult => ({ round: r, scopeRound: null, held: [], census: null });

/**
 * A control that ended without connecting, as a rejection (refused,
 * unreachable, a local rule), not as a timeout: the OS gave up, or a helper
 * that is gone, say nothing about the host.
 */
function rejected(e: Ended): boolean {
  return !e.end.ok && e.end.errorCode !== 'ETIMEDOUT' && e.end.errorCode !== HELPER_GONE;
}

/**
 * A control refused while attempts are pending, after it answered alone. To
 * tcpdiag's own listener (it is listening: nothing else refuses it) that is
 * a limit that rejects (iptables connlimit with a reject, a filter that
 * fails the connect), confirmed by a second control. To the given server it
 * may as well be the server going away: not judged as a limit.
 */
async function rejectedRound(env: RaceEnv, st: RoundState, pending: number, channel: Channel, first: ControlAttempt, e: Ended, early?: Promise<HostPending | null>, started: ControlAttempt[] = []): Promise<RoundResult> {
  const code = e.end.errorCode;
  if (channel === 'given') {
    throw new Stop('control-failed', code, `it answered alone but ended with ${code} with ${pending} attempts pending: the server stopped answering, or a limit on connects leaving this host rejects them`);
  }
  const again = env.startControl(channel, 'self', `2nd control, ${pending} pending`);
  const second = await firstToEnd(env, [again], again.startMs + st.holdMs);
  if (second?.end.ok) {
    st.waits.push({ ms: Math.round(second.end.atMs - first.startMs), why: `the control with ${pending} pending ended with ${code}, a second one got through: not a limit` });
    return free(round(pending, channel, 'self', 2, second.end.atMs - again.startMs, false, null));
  }
  const waitedMs = Math.round(env.now() - first.startMs);
  st.waits.push({ ms: waitedMs, why: `with ${pending} pending the control to tcpdiag's own listener ended with ${code}, and a second one did not get through: a limit that rejects` });
  const census = merged(early ? await early : null, await env.census());
  const children = started.length ? started : await helperControls(env, channel, pending);
  const scopeRound = children.length ? await judgeScope(env, children, pending, channel, children[0]!.startMs + retransmitWindow(env, 2) + st.holdMs) : null;
  return { round: { ...round(pending, channel, 'self', 2, null, false, waitedMs), errorCode: code }, scopeRound, held: [first, again], census };
}

/**
 * The two readings of a held round, as the round slowed down and as it was
 * judged: the one that saw more (an attempt that ended in between moves from
 * the others to what conntrack remembers, or is gone): never both added up.
 */
function merged(a: HostPending | null, b: HostPending | null): HostPending | null {
  if (!a || !b) return a ?? b;
  const seen = (p: HostPending) => p.others.length + (p.remembered ?? 0);
  return seen(a) > seen(b) ? a : b;
}

/** A slow round that got through after all: a slow or lost SYN, not a hold. */
async function throughAfterAll(env: RaceEnv, st: RoundState, pending: number, first: ControlAttempt, through: Ended, own: ControlAttempt[], children: ControlAttempt[] | null, channel: Channel): Promise<RoundResult> {
  const ms = through.end.atMs - through.control.startMs;
  const late = ms >= LATE_SHARE * env.syn.initialRtoMs;
  if (late) st.lossSeen++;
  st.waits.push({ ms: Math.round(through.end.atMs - first.startMs), why: `the control with ${pending} pending was slow; it got through ${late ? 'after a SYN retransmit (a lost SYN, not a hold)' : 'before its retransmit'}` });
  await settle(env, st, [...own, ...(children ?? [])]);
  return free(round(pending, channel, 'self', own.length, ms, late, null));
}

/** From a control's start until it has sent `syns` SYNs, at most 4 initial gaps (Windows doubles from 3 s). */
function retransmitWindow(env: RaceEnv, syns: number): number {
  return Math.min(synSentAtMs(env.syn, syns - 1), 4 * env.syn.initialRtoMs);
}

/**
 * The helper processes' controls: one through (another process is not held:
 * per process), or none, refused included (host-wide). Null when a helper
 * died before its control was through: the scope is then not judged, never
 * taken for host-wide.
 */
async function judgeScope(env: RaceEnv, children: ControlAttempt[], pending: number, channel: Channel, deadline: number): Promise<Round | null> {
  let open = [...children];
  let error: string | null = null;
  while (open.length > 0) {
    const e = await firstToEnd(env, open, deadline);
    if (!e) break;
    open = open.filter((c) => c !== e.control);
    if (e.end.ok) {
      for (const c of open) c.abandon();
      const ms = e.end.atMs - e.control.startMs;
      return round(pending, channel, 'child', children.length, ms, ms >= LATE_SHARE * env.syn.initialRtoMs, null);
    }
    if (e.end.errorCode === HELPER_GONE) return (children.forEach((c) => c.abandon()), null);
    error ??= e.end.errorCode;
  }
  for (const c of open) c.abandon(); // held by the same limit: never counted by it
  return { ...round(pending, channel, 'child', children.length, null, false, Math.round(env.now() - children[0]!.startMs)), errorCode: error };
}

/**
 * After a slow round turned out free, its other controls are let through
 * too (each at a later retransmit, once the place is free) before the next
 * round adds an attempt: one that got through a filter and was lost is
 * counted like a pending attempt until it connects. One still open after four
 * more SYNs is given up and counted as unresolved.
 */
async function settle(env: RaceEnv, st: RoundState, controls: ControlAttempt[]): Promise<void> {
  const until = env.now() + retransmitWindow(env, 5) + st.holdMs;
  let open = [...controls];
  while (open.length > 0) {
    const e = await firstToEnd(env, open, until);
    if (!e) break;
    open = open.filter((c) => c !== e.control);
  }
  if (open.length > 0) {
    for (const c of open) c.abandon();
    st.unresolved += open.length;
  }
}

function round(pending: number, channel: Channel, by: Round['by'], controls: number, controlMs: number | null, late: boolean, waitedMs: number | null): Round {
  return { pending, channel, by, controls, controlMs: controlMs === null ? null : Math.round(controlMs * 10) / 10, late, held: controlMs === null, waitedMs, errorCode: null };
}
