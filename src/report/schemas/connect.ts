// `tcpdiag connect <host> <port> --json` (probes/connect.ts).

import * as z from 'zod';
import type { ConnectData as ConnectDataType } from '../../probes/connect-data.js';
import { Count, Family, ms, Port, TimeStats } from './common.js';
import { reportSchema } from './envelope.js';
import type { Assert, Same } from './same-type.js';

const ConnectAttempt = z.strictObject({
  address: z.string(),
  family: Family,
  port: Port,
  outcome: z.enum(['connected', 'refused', 'timeout', 'unreachable', 'no-local-port', 'reset', 'error', 'abandoned']),
  errorCode: z.string().nullable().describe('The error code (ECONNREFUSED, ETIMEDOUT, ...); null when connected.'),
  meaning: z.string().nullable().describe('What the error means, in words; null when connected.'),
  startMs: ms('When the attempt started, from the start of the probe'),
  durationMs: ms('Time to the outcome (connected, error or deadline)'),
  deadlineBy: z
    .enum(['TCP_USER_TIMEOUT', 'os', 'timer'])
    .nullable()
    .describe(
      'What ended a timed-out attempt: "TCP_USER_TIMEOUT" (the kernel at the deadline, told through that option only when the deadline comes before the OS would give up by itself), ' +
        '"os" (the OS gave up on its own SYN schedule before the deadline, as it would for any client: Linux tcp_syn_retries), or "timer" (tcpdiag\'s own timer at the deadline); ' +
        'null when no deadline ended the attempt (it connected, or another error came first).',
    ),
});

export const ConnectData = z.strictObject({
  host: z.string().describe('The host as given.'),
  port: Port,
  resolved: z.array(z.strictObject({ address: z.string(), family: Family })).describe('The addresses tried, in resolver order (after -4 / -6).'),
  dnsMs: ms('Name resolution time').nullable().describe('Name resolution time in milliseconds; null when the host was an address.'),
  timeoutMs: ms('The deadline of each attempt'),
  perAddress: z.array(
    z.strictObject({
      address: z.string(),
      family: Family,
      connected: Count,
      failed: Count,
      connectMs: TimeStats.nullable().describe('Connect times of the successful attempts; null when none succeeded.'),
    }),
  ),
  attempts: z.array(ConnectAttempt).describe('Every attempt, in the order made.'),
  synSchedule: z
    .strictObject({
      initialRtoMs: ms('The wait before an unanswered SYN is sent again the first time'),
      resendsAtMs: z.array(z.number()).describe('When the OS sends an unanswered SYN again, in milliseconds from the first one, as many times as it does.'),
      basis: z.string().describe('Where the schedule comes from: the OS and its settings, in words.'),
    })
    .nullable()
    .describe("This OS's SYN resend schedule, the yardstick for synResends; null where it is not known (notJudged then says so when an attempt was slow)."),
  synResends: z
    .array(
      z.strictObject({
        attempt: Count.describe('Index of the attempt in attempts (0 is the first).'),
        address: z.string(),
        durationMs: ms('The attempt\'s time'),
        resends: z.int().min(1).describe('How many times the SYN was sent again before the answer came.'),
        resendAtMs: ms('When the OS sent it for the last time, from the attempt\'s start'),
        baselineMs: ms('The fastest attempt to the same address that lost nothing').nullable().describe('The fastest attempt to the same address that lost nothing, in milliseconds; null when there was none.'),
      }),
    )
    .describe('Answered attempts whose time matches a SYN resend: the first SYN or its SYN-ACK was lost or dropped (finding syn-lost).'),
});

type _Connect = Assert<Same<z.infer<typeof ConnectData>, ConnectDataType>>;

export const ConnectReport = reportSchema('connect', ConnectData);
