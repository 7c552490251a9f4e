// What `tcpdiag connect-race --json` reports under `data` (the zod schema in
// report/schemas/connect-race.ts is checked against it). Shared by the
// probe that fills it and the explainer and renderer that read it.

import type { TimeStats } from '../net/time-stats.js';
import type { SynSchedule } from '../os/syn-schedule.js';
import type { Channel, Endpoint, RaceConclusion, Round, TimelineEntry } from './types.js';

export interface RaceControl extends Endpoint {
  channel: Channel;
  /** Connect times alone, without a retransmit; null when none got through. */
  baselineMs: TimeStats | null;
  /** Baseline connects that needed a SYN retransmit. */
  lostSyns: number;
}

export interface RaceData extends RaceConclusion {
  target: Endpoint;
  /** The control the user gave (--control), else tcpdiag's own listener. */
  control: Endpoint;
  controls: RaceControl[];
  maxPending: number;
  baselineMs: TimeStats | null;
  holdMs: number | null;
  lossSeen: number;
  unresolved: number;
  synSchedule: SynSchedule;
  rounds: Round[];
  waits: Array<{ ms: number; why: string }>;
  attempts: TimelineEntry[];
  timeToVerdictMs: number;
}

