// `tcpdiag connect-race <host> <port>`: does a pending attempt to a
// non-answering endpoint hold up other new connections of this host?

import { explainRace } from '../explain/connect-race.js';
import type { OsBackend } from '../os/backend.js';
import { liveRaceEnv, type Endpoint, type TimelineEntry } from '../race/live-env.js';
import { DEFAULT_RACE, runRace } from '../race/run-race.js';
import type { Round } from '../race/types.js';
import { summarizeTimes, type TimeStats } from '../net/time-stats.js';
import type { ProbeResult, Verdict } from '../report/types.js';
import { formatEndpoint } from '../sockets/address.js';
import { plural } from '../explain/words.js';

export interface RaceInput {
  target: Endpoint;
  control: Endpoint;
  maxPending: number;
  backend: () => OsBackend;
  now: () => number;
  progress: (message: string) => void;
}

export interface RaceData {
  target: Endpoint;
  control: Endpoint;
  maxPending: number;
  /** Pending attempts that hold other connects; null when none up to maxPending (or inconclusive). */
  limit: number | null;
  scope: 'process' | 'host' | null;
  baselineMs: TimeStats | null;
  /** A control slower than this while attempts are pending counts as held. */
  holdMs: number | null;
  rounds: Round[];
  /** Every attempt with its start and end (ms from the start), for the timeline. */
  attempts: TimelineEntry[];
  timeToVerdictMs: number;
}

export async function probeConnectRace(input: RaceInput): Promise<ProbeResult<RaceData>> {
  const env = liveRaceEnv(input.target, input.control, input.backend(), input.now);
  input.progress(`racing ${formatEndpoint(input.control)} against up to ${input.maxPending} pending attempts to ${formatEndpoint(input.target)}`);
  const r = await runRace(env, { ...DEFAULT_RACE, maxPending: input.maxPending });
  const measured = r.kind === 'measured';
  const data: RaceData = {
    target: input.target,
    control: input.control,
    maxPending: input.maxPending,
    limit: measured ? r.limit : null,
    scope: measured ? r.scope : null,
    baselineMs: summarizeTimes(r.baseline),
    holdMs: measured ? r.holdMs : null,
    rounds: measured ? r.rounds : [],
    attempts: env.timeline,
    timeToVerdictMs: Math.round(input.now()),
  };
  const verdict: Verdict = !measured ? 'inconclusive' : r.limit !== null ? 'problem' : 'ok';
  const summary = !measured
    ? `inconclusive: ${r.reason.replace('-', ' ')}`
    : r.limit !== null
      ? `${plural(r.limit, 'pending attempt')} to ${formatEndpoint(input.target)} ${r.limit === 1 ? 'holds' : 'hold'} other connects (${r.scope === 'host' ? 'host-wide' : 'per process'})`
      : `no limit on pending connection attempts up to ${input.maxPending}`;
  return { verdict, summary, findings: explainRace(r, input.target, input.control, input.maxPending, DEFAULT_RACE.releaseWaitMs), data };
}
