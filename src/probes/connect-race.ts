// `tcpdiag connect-race <host> <port>`: does a pending attempt to a
// non-answering endpoint hold up other new connections of this host?
// The decision is src/race/run-race.ts; this runs it live and reports.

import { explainRace, raceSummary, raceVerdict, type RateLimitSetting } from '../explain/connect-race.js';
import { readTcpipDword } from '../os/windows/tcpip-values.js';
import type { OsBackend } from '../os/backend.js';
import { scheduleToWaitThrough } from '../os/syn-schedule.js';
import { startLiveRace } from '../race/live-env.js';
import { DEFAULT_RACE, runRace } from '../race/run-race.js';
import type { Channel, Endpoint } from '../race/types.js';
import type { RaceControl, RaceData } from '../race/data.js';
import { summarizeTimes } from '../net/time-stats.js';
import type { ProbeResult } from '../report/types.js';
import { formatEndpoint } from '../sockets/address.js';

export interface RaceInput {
  target: Endpoint;
  /** The control the user gave (--control); tcpdiag's own listener is used either way. */
  given: Endpoint | null;
  maxPending: number;
  backend: () => OsBackend;
  now: () => number;
  progress: (message: string) => void;
}

/**
 * Windows: whether the OS's own half-open limit is on (KB969710: 1 turns the
 * limit of 10 on; absent or 0 leaves it off, the default from Vista SP2 /
 * Server 2008 SP2). Elsewhere there is no such setting: null.
 */
async function readRateLimitSetting(backend: OsBackend): Promise<RateLimitSetting> {
  if (!backend.readTcpipParameters) return null;
  try {
    const v = readTcpipDword(await backend.readTcpipParameters(), 'EnableConnectionRateLimiting');
    if (v.state === 'absent') return { state: 'off', said: 'EnableConnectionRateLimiting is not set in Tcpip\\Parameters' };
    if (v.state === 'dword' && (v.value === 0 || v.value === 1)) return { state: v.value === 1 ? 'on' : 'off', said: `EnableConnectionRateLimiting is ${v.value}` };
    return { state: 'unknown', said: `EnableConnectionRateLimiting holds ${v.state === 'dword' ? v.value : `a ${v.type}`}, which KB969710 does not document` };
  } catch (err) {
    return { state: 'unknown', said: `the registry could not be read (${(err as Error).message})` };
  }
}

export async function probeConnectRace(input: RaceInput): Promise<ProbeResult<RaceData>> {
  const backend = input.backend();
  const settings = backend.readBacklogSettings ? await backend.readBacklogSettings().catch(() => ({})) : {};
  const syn = scheduleToWaitThrough(backend.os, settings);
  const env = await startLiveRace(input.target, input.given, backend, syn, input.now);
  try {
    const against = input.given ? `${formatEndpoint(input.given)} and tcpdiag's own listener ${formatEndpoint(env.own)}` : `tcpdiag's own listener ${formatEndpoint(env.own)}`;
    input.progress(`racing connects to ${against} against up to ${input.maxPending} pending attempts to ${formatEndpoint(input.target)}`);
    const r = await runRace(env, { ...DEFAULT_RACE, maxPending: input.maxPending });
    const measured = r.kind === 'measured';
    const baselineOf = (channel: Channel) => r.baselines.find((b) => b.channel === channel);
    const controls: RaceControl[] = env.channels.map((channel) => {
      const b = baselineOf(channel);
      return { channel, ...(channel === 'own' ? env.own : input.given!), baselineMs: summarizeTimes(b?.prompt ?? []), lostSyns: b?.late ?? 0 };
    });
    const data: RaceData = {
      target: input.target,
      control: input.given ?? env.own,
      controls,
      maxPending: input.maxPending,
      limit: measured ? r.limit : null,
      limitRange: measured ? r.limitRange : null,
      heldAtPending: measured ? r.heldAtPending : null,
      scope: measured ? r.scope : null,
      heldOn: measured ? r.heldOn : null,
      alreadyLimited: measured && r.alreadyLimited,
      holdKind: measured ? r.holdKind : null,
      hostPending: measured ? r.hostPending : null,
      release: measured ? r.release : null,
      baselineMs: summarizeTimes(r.baselines.flatMap((b) => b.prompt)),
      holdMs: r.holdMs,
      lossSeen: r.lossSeen,
      unresolved: r.unresolved,
      synSchedule: syn,
      rounds: r.rounds,
      waits: r.waits,
      attempts: env.timeline,
      timeToVerdictMs: r.verdictAtMs,
    };
    const rateLimit = r.kind === 'measured' && (r.limitRange !== null || r.alreadyLimited) ? await readRateLimitSetting(backend) : null;
    const { findings, notJudged } = explainRace(r, data, backend.os, env.helperProblem(), rateLimit);
    return { verdict: raceVerdict(r), summary: raceSummary(r, data), findings, notJudged, data };
  } finally {
    env.dispose();
  }
}
