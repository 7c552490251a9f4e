// The connect-race decision: does a pending attempt to a dead endpoint hold
// up other new connects of this host, from how many on, and for whom?
//
// 1. Baseline: the controls alone (tcpdiag's own listener first, then the
//    one the user gave): their speed sets the hold threshold; a control
//    that needs a SYN retransmit shows a lossy path; one that does not
//    answer before anything is pending means the host already holds new
//    connects (own listener) or the control is down (given one).
// 2. Grow: open attempts to the target one at a time and never close one
//    until the verdict. After each, a control connect: through means the
//    host takes one more attempt with that many pending. The first round
//    whose control is held is the limit. Closing nothing is what makes the
//    number right whatever the host remembers: a firewall that keeps
//    counting closed attempts (conntrack: minutes) would make a search that
//    abandons rounds and starts again count the old rounds too.
// 3. Scope: in the held round a helper process connects too. Through: the
//    limit is per process; held: host-wide.
// 4. Release: the attempts are closed and controls retried for a while;
//    when they get through again says whether the holder counts live
//    attempts (at once) or remembers closed ones (seconds to minutes).

import { CONTROL_GAP_MS, holdThreshold, measureBaseline, type BaselineRun } from './baseline.js';
import { judgeRound, type RoundState } from './judge-round.js';
import type { Channel, ControlAttempt, HostPending, PendingAttempt, RaceConclusion, RaceEnv, RaceResult, Round } from './types.js';
import { firstToEnd, Stop } from './wait.js';

export interface RaceSettings {
  maxPending: number;
  /** Baseline connects per channel: more for a given control, whose path may lose SYNs. */
  baselineOwn: number;
  baselineGiven: number;
  /** How long the release is watched after the attempts are closed. */
  releaseWaitMs: number;
  /** The whole run ends by then (inconclusive), whatever happens. */
  maxRunMs: number;
}

export const DEFAULT_RACE: RaceSettings = { maxPending: 16, baselineOwn: 6, baselineGiven: 5, releaseWaitMs: 2000, maxRunMs: 50_000 };

export async function runRace(env: RaceEnv, s: RaceSettings = DEFAULT_RACE): Promise<RaceResult> {
  const st: RoundState = { holdMs: 0, lossSeen: 0, unresolved: 0, waits: [] };
  /** Own controls of the baseline still open unanswered: a filter may count them while they stay open. */
  let openUnanswered = 0;
  const rounds: Round[] = [];
  const baselines: BaselineRun[] = [];
  const common = () => ({ baselines: baselines.map((b) => b.baseline), holdMs: st.holdMs || null, rounds, lossSeen: st.lossSeen, unresolved: st.unresolved, waits: st.waits, verdictAtMs: Math.round(env.now()) });
  const leftOpen: ControlAttempt[] = [];
  try {
    for (const channel of env.channels) {
      const b = await measureBaseline(env, channel, channel === 'own' ? s.baselineOwn : s.baselineGiven);
      baselines.push(b);
      leftOpen.push(...b.open);
      st.lossSeen += b.baseline.late;
      // Unanswered among answered ones: lost on every SYN, and maybe counted as long as they are open.
      if (b.baseline.prompt.length + b.baseline.late > 0) openUnanswered += b.open.length;
    }
    const prompt = baselines.flatMap((b) => b.baseline.prompt);
    const silent = baselines.find((b) => b.baseline.prompt.length === 0 && b.baseline.late === 0);
    if (silent) return await notAnswering(env, st, silent.baseline.channel, common);
    const rto = env.syn.initialRtoMs;
    if (Math.max(...prompt) > rto * 0.4) throw new Stop('control-slow', null, `${Math.round(Math.max(...prompt))} ms`);
    st.holdMs = holdThreshold(prompt, rto);

    const attempts: PendingAttempt[] = [];
    for (let n = 1; n <= s.maxPending; n++) {
      if (env.now() > s.maxRunMs) throw new Stop('out-of-time', null, `${n - 1} attempts pending`);
      // Every new SYN, the attempt's too, waits for the last control's close to be seen (baseline.ts).
      await env.sleep(CONTROL_GAP_MS);
      attempts.push(await env.openPending(`pending #${n}`));
      for (const [i, channel] of env.channels.entries()) {
        if (i > 0) await env.sleep(CONTROL_GAP_MS);
        const r = await judgeRound(env, st, n, channel);
        checkTarget(attempts);
        rounds.push(r.round);
        if (!r.round.held) continue;
        if (r.scopeRound) rounds.push(r.scopeRound);
        leftOpen.push(...r.held);
        return await held(env, s, st, { n, channel, refused: r.round.errorCode !== null, scopeRound: r.scopeRound, heldControls: r.held, hostPending: r.census, openUnanswered }, common);
      }
    }
    const hostPending = await env.census();
    return { ...common(), kind: 'measured', limit: null, limitRange: null, heldAtPending: null, scope: null, heldOn: null, alreadyLimited: false, holdKind: null, hostPending, release: null };
  } catch (err) {
    if (err instanceof Stop) return { ...common(), kind: 'inconclusive', reason: err.reason, errorCode: err.errorCode, detail: err.detail };
    throw err;
  } finally {
    env.closePending();
    for (const c of leftOpen) c.abandon();
  }
}

/** An attempt to the target that ended is not pending: the target answers or fails. */
function checkTarget(attempts: readonly PendingAttempt[]): void {
  const ended = attempts.map((a) => a.ended()).find((e) => e !== null);
  if (!ended) return;
  if (ended.outcome === 'connected') throw new Stop('target-connects', null);
  if (ended.outcome === 'refused') throw new Stop('target-refuses', ended.errorCode);
  throw new Stop('target-fails', ended.errorCode);
}

/** The fields every result has, as of now. */
type Common = () => Omit<Extract<RaceResult, { kind: 'measured' }>, 'kind' | keyof RaceConclusion>;

interface Held {
  n: number;
  channel: Channel;
  /** The held round's controls were refused (a limit that rejects), not left unanswered. */
  refused: boolean;
  scopeRound: Round | null;
  heldControls: ControlAttempt[];
  /** Who else was pending as the held round was judged (judge-round.ts). */
  hostPending: HostPending | null;
  openUnanswered: number;
}

async function held(env: RaceEnv, s: RaceSettings, st: RoundState, h: Held, common: Common): Promise<RaceResult> {
  const { n, hostPending } = h;
  const scope = h.scopeRound === null ? null : h.scopeRound.held ? 'host' : 'process';
  const verdict = common();
  const release = await watchRelease(env, s, st, h.channel, h.heldControls);
  // A host-wide limit also counts other programs' pending attempts and what
  // connection tracking remembers of closed ones (earlier runs, controls given
  // up); without that record, the controls given up may count. Baseline
  // controls still open may count for any limit.
  const hostWide = scope !== 'process';
  const others = hostWide ? (hostPending?.others.length ?? 0) : 0;
  const remembered = hostWide && hostPending?.remembered != null ? hostPending.remembered : st.unresolved;
  // A holder that remembers closed attempts (nothing got through after closing)
  // whose record cannot be read may count attempts closed before the run: no upper bound.
  const unknownMemory = hostWide && hostPending?.remembered == null && release.releasedAfterMs === null;
  const max = unknownMemory ? null : n + others + remembered + h.openUnanswered;
  return {
    ...verdict,
    kind: 'measured',
    limit: max === n ? n : null,
    limitRange: { min: n, max },
    heldAtPending: n,
    scope,
    heldOn: h.channel,
    alreadyLimited: false,
    holdKind: h.refused ? 'refuse' : 'hang',
    hostPending,
    release,
  };
}

/**
 * After closing the attempts: how soon a new connect gets through. Fresh
 * controls every hold threshold, since a held one retries only at its next
 * retransmit.
 */
async function watchRelease(env: RaceEnv, s: RaceSettings, st: RoundState, channel: Channel, heldControls: ControlAttempt[]): Promise<{ waitedMs: number; releasedAfterMs: number | null }> {
  env.closePending();
  const closedAt = env.now();
  const until = closedAt + s.releaseWaitMs;
  let open = [...heldControls];
  while (env.now() < until) {
    open.push(env.startControl(channel, 'self', 'after closing'));
    // Each try gets a hold threshold: ended ones leave the watch (a refused one is no release).
    const tryUntil = Math.min(until, env.now() + st.holdMs);
    for (;;) {
      const e = await firstToEnd(env, open, tryUntil);
      if (!e) break;
      open = open.filter((c) => c !== e.control);
      if (e.end.ok) {
        for (const c of open) c.abandon();
        st.waits.push({ ms: Math.round(e.end.atMs - closedAt), why: 'after the pending attempts were closed, until a control got through again' });
        return { waitedMs: Math.round(e.end.atMs - closedAt), releasedAfterMs: Math.round(e.end.atMs - closedAt) };
      }
    }
  }
  for (const c of open) c.abandon();
  st.waits.push({ ms: s.releaseWaitMs, why: 'after the pending attempts were closed, for a control to get through again (none did)' });
  return { waitedMs: s.releaseWaitMs, releasedAfterMs: null };
}

/**
 * A control that did not answer before anything was pending. tcpdiag's own
 * listener always answers, so its silence means the host already holds new
 * connects; a given control's silence with the own listener answering means
 * that control is down (or only connects leaving the host are held).
 */
async function notAnswering(env: RaceEnv, st: RoundState, channel: Channel, common: Common): Promise<RaceResult> {
  const hostPending = await env.census();
  const others = (hostPending?.others.length ?? 0) + (hostPending?.remembered ?? 0);
  // Held by pending attempts needs pending attempts: with none on the host, something else stops the control.
  if (channel === 'given' || others === 0) throw new Stop('control-failed', null, others > 0 ? `${others} other attempts are pending or remembered on this host` : null);
  // A firewall rule against this host's own address looks the same: a listener of tcpdiag's on loopback tells.
  if (await env.loopbackAnswers(st.holdMs || 1000)) {
    throw new Stop('control-failed', null, `connects to tcpdiag's own listener on this host's address did not get through, but on loopback they do: a rule blocks connects to this host's own address, or a limit that does not count loopback connects is already full (${others} other attempts are pending or remembered)`);
  }
  let scope: 'process' | 'host' | null = null;
  if (await env.helperReady()) {
    const child = env.startControl(channel, 'child', 'helper, 0 pending');
    const e = await firstToEnd(env, [child], child.startMs + 2 * env.syn.initialRtoMs);
    child.abandon();
    // Held for another process too: host-wide. Through: only tcpdiag's process is held, by something outside this run.
    scope = e?.end.ok ? 'process' : 'host';
  }
  return { ...common(), kind: 'measured', limit: null, limitRange: null, heldAtPending: 0, scope, heldOn: channel, alreadyLimited: true, holdKind: 'hang', hostPending, release: null };
}
