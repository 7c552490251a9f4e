// `tcpdiag doctor --json` (probes/doctor.ts). Check ids and finding codes are
// not enumerated: new checks and codes appear in minor versions.

import * as z from 'zod';
import type { DoctorData as DoctorDataType } from '../../probes/doctor.js';
import type { SocketSummary as SocketSummaryType } from '../../sockets/summary.js';
import { Count, Sources } from './common.js';
import { Finding, reportSchema } from './envelope.js';
import { Endpoint } from './socket-row.js';
import { EphemeralUsage, ListenCounters, StateCounts } from './sockets.js';
import type { Assert, Same } from './same-type.js';

const SocketSummary = z.strictObject({
  total: Count.describe('Sockets in the table.'),
  states: StateCounts,
  ephemeralUsage: EphemeralUsage,
  listenCounters: ListenCounters.nullable().describe('Kernel counters since boot (Linux); null where the OS has none.'),
  acceptQueues: z
    .array(z.strictObject({ local: Endpoint, length: Count.describe('Connections waiting to be accepted.'), max: Count.nullable().describe("The queue's limit where the source shows it.") }))
    .describe("Every listener's accept queue."),
});

type _SocketSummary = Assert<Same<z.infer<typeof SocketSummary>, SocketSummaryType>>;

export const DoctorData = z.strictObject({
  checks: z.array(
    z.strictObject({
      id: z.string().describe('Stable identifier of the check, e.g. "port-ranges"; new checks appear in minor versions.'),
      title: z.string(),
      status: z.enum(['ok', 'problem', 'not-judged', 'could-not-run']).describe('not-judged: the check ran but had nothing it could decide (Windows listen-backlog-cap: no setting to read); notJudged says why.'),
      lookedAt: z.array(z.string()).describe('What the check read: files, commands, counts ("no findings" means "looked and found nothing").'),
      findings: z.array(Finding).describe('This check\'s findings (the envelope\'s findings are all checks\' findings, most severe first).'),
      reason: z.string().optional().describe('Why the check could not run, when it could not.'),
    }),
  ),
  sources: Sources.optional(),
  sockets: SocketSummary.nullable().describe('The socket table in numbers, for graphs over time (also --format prometheus); null when it could not be read.'),
});

type _Doctor = Assert<Same<z.infer<typeof DoctorData>, DoctorDataType>>;

export const DoctorReport = reportSchema('doctor', DoctorData);
