// `tcpdiag connect-race <host> <port> --json` (probes/connect-race.ts).

import * as z from 'zod';
import type { RaceData as RaceDataType } from '../../probes/connect-race.js';
import { Count, ms, Port, TimeStats } from './common.js';
import { reportSchema } from './envelope.js';
import type { Assert, Same } from './same-type.js';

const RaceEndpoint = z.strictObject({ address: z.string(), port: Port });

const Round = z.strictObject({
  pending: Count.describe('Attempts kept pending to the target during this round.'),
  by: z.enum(['self', 'child']).describe('Who opened the pending attempts: tcpdiag itself, or a child process (the scope check).'),
  synSent: Count.nullable().describe('Pending attempts the socket table showed in SYN_SENT; null: not checked.'),
  controlMs: ms('Control connect time').nullable().describe('Control connect time in milliseconds; null when it never completed.'),
  held: z.boolean().describe('Whether the control connect was held up by the pending attempts.'),
  releasedAfterMs: ms('After the pending attempts were abandoned, how long until the held control connected').nullable(),
});

export const RaceData = z.strictObject({
  target: RaceEndpoint.describe('The endpoint that does not answer.'),
  control: RaceEndpoint.describe('The endpoint that answers.'),
  maxPending: Count.describe('Most attempts kept pending at once.'),
  limit: Count.nullable().describe('Pending attempts that hold other connects; null when none up to maxPending (or inconclusive).'),
  scope: z.enum(['process', 'host']).nullable().describe('Whether the limit is per process or host-wide; null without a limit.'),
  baselineMs: TimeStats.nullable().describe('Control connect times with nothing pending; null when none completed.'),
  holdMs: ms('A control slower than this while attempts are pending counts as held').nullable(),
  rounds: z.array(Round).describe('Empty when inconclusive.'),
  attempts: z
    .array(
      z.strictObject({
        label: z.string(),
        kind: z.enum(['control', 'pending']),
        startMs: ms('Start, from the start of the probe'),
        endMs: ms('End, from the start of the probe').nullable(),
        outcome: z.string().describe('connected, refused, timeout, abandoned, pending, ...'),
      }),
    )
    .describe('Every attempt with its start and end, for the timeline.'),
  timeToVerdictMs: ms('Time to the verdict'),
});

type _Race = Assert<Same<z.infer<typeof RaceData>, RaceDataType>>;

export const ConnectRaceReport = reportSchema('connect-race', RaceData);
