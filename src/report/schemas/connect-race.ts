// `tcpdiag connect-race <host> <port> --json` (race/data.ts, filled by probes/connect-race.ts).

import * as z from 'zod';
import type { RaceData as RaceDataType } from '../../race/data.js';
import { Count, ms, Port, TimeStats } from './common.js';
import { reportSchema } from './envelope.js';
import type { Assert, Same } from './same-type.js';

const RaceEndpoint = z.strictObject({ address: z.string(), port: Port });
const Channel = z.enum(['own', 'given']).describe("own: tcpdiag's own listener on this host; given: the server named with --control.");

const Round = z.strictObject({
  pending: Count.describe("tcpdiag's attempts to the target pending during this round."),
  channel: Channel,
  by: z.enum(['self', 'child']).describe("Whose control connect: tcpdiag's process, or a helper process (the scope check). The pending attempts are always tcpdiag's."),
  controls: Count.describe('Control connects started in this round: more than one when the first was slow.'),
  controlMs: ms('The first control that connected, from its own start').nullable().describe('Null when none did.'),
  late: z.boolean().describe('A control connected only after a SYN retransmit: a lost SYN or SYN-ACK, not a hold.'),
  held: z.boolean().describe('No control got through while the attempts were pending: none through its SYN retransmits, or each refused (see errorCode).'),
  waitedMs: ms('How long the round waited before calling the control held').nullable().describe('Null when not held.'),
  errorCode: z.string().nullable().describe('A held control that ended with this error instead of connecting (ECONNREFUSED: a limit that rejects); null otherwise.'),
});

const Control = RaceEndpoint.extend({
  channel: Channel,
  baselineMs: TimeStats.nullable().describe('Connect times alone, without a retransmit; null when none got through.'),
  lostSyns: Count.describe('Baseline connects that needed a SYN retransmit.'),
});

export const RaceData = z.strictObject({
  target: RaceEndpoint.describe('The endpoint that does not answer.'),
  control: RaceEndpoint.describe("The control given with --control, else tcpdiag's own listener."),
  controls: z.array(Control).describe("Every control endpoint used: tcpdiag's own listener first, then the given one."),
  maxPending: Count.describe('Most attempts kept pending at once.'),
  limit: Count.nullable().describe('Pending attempts that hold other connects, when pinned; null when nothing was held up to maxPending, or when only a range is known (see limitRange).'),
  limitRange: z
    .strictObject({ min: Count, max: Count.nullable().describe('Null: no upper bound known (a holder that remembers closed attempts, whose record cannot be read).') })
    .nullable()
    .describe("Set whenever connects were held: min = max when pinned; wider when other programs' attempts, closed attempts connection tracking still counts, or controls lost on the path may also count."),
  heldAtPending: Count.nullable().describe("tcpdiag's own pending attempts in the held round (0: held before any); null when nothing was held."),
  scope: z.enum(['process', 'host']).nullable().describe('Whether the limit is per process or host-wide; null without a hold, or when the helper process could not run (see notJudged).'),
  heldOn: Channel.nullable().describe('The control the hold was seen on.'),
  alreadyLimited: z.boolean().describe('The host held new connects before tcpdiag opened any attempt.'),
  holdKind: z
    .enum(['hang', 'refuse'])
    .nullable()
    .describe("How new connects were held: hang (their SYNs went unanswered while the attempts were pending: a limit that drops), refuse (they ended at once with an error, the held round's errorCode, ECONNREFUSED for a TCP reset: a limit that rejects); null when nothing was held."),
  hostPending: z
    .strictObject({
      ours: Count.describe("tcpdiag's pending attempts the socket table showed in SYN_SENT."),
      others: z.array(z.strictObject({ pid: z.int().nullable(), process: z.string().nullable(), remote: z.string() })).describe("Other programs' SYN_SENT sockets."),
      remembered: Count.nullable().describe('Attempts whose socket is closed that connection tracking still holds (Linux /proc/net/nf_conntrack); null where it cannot be read.'),
    })
    .nullable()
    .describe('Who else was pending when the hold was seen (or at the end); null where the socket table could not be read.'),
  release: z
    .strictObject({
      waitedMs: ms('How long the release was watched'),
      releasedAfterMs: ms('After the attempts were closed, when a control got through').nullable().describe('Null: none got through while watched.'),
    })
    .nullable()
    .describe('After the verdict the attempts are closed: how soon new connects get through again tells whether the holder counts live attempts or remembers closed ones.'),
  baselineMs: TimeStats.nullable().describe('All controls alone, without retransmits; null when none got through.'),
  holdMs: ms('A control slower than this starts the checks for a hold').nullable(),
  lossSeen: Count.describe('Control connects that got through only after a SYN retransmit.'),
  unresolved: Count.describe('Control connects given up unanswered.'),
  synSchedule: z
    .strictObject({
      initialRtoMs: ms('The wait before the first SYN resend'),
      resendsAtMs: z.array(z.number()).describe('When an unanswered SYN is sent again, from the first one, in milliseconds.'),
      basis: z.string().describe('Where the schedule comes from (OS, settings), or what was assumed.'),
    })
    .describe("This host's SYN retransmit schedule, which the waits are built on."),
  rounds: z.array(Round).describe('Every round in order; empty when inconclusive before the first.'),
  waits: z.array(z.strictObject({ ms: ms('How long'), why: z.string() })).describe('What the run waited for and why, in order.'),
  attempts: z
    .array(
      z.strictObject({
        label: z.string(),
        kind: z.enum(['control', 'pending']),
        startMs: ms('Start, from the start of the probe'),
        endMs: ms('End, from the start of the probe').nullable(),
        outcome: z.string().describe('connected, closed, abandoned, pending, or an error code'),
      }),
    )
    .describe('Every attempt with its start and end, for the timeline.'),
  timeToVerdictMs: ms('Time to the verdict (the release check comes after)'),
});

type _Race = Assert<Same<z.infer<typeof RaceData>, RaceDataType>>;

export const ConnectRaceReport = reportSchema('connect-race', RaceData);
