// `tcpdiag connect <host> <port> --json` (probes/connect.ts).

import * as z from 'zod';
import type { ConnectData as ConnectDataType } from '../../probes/connect.js';
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
  deadlineBy: z.string().describe('What ends a timed-out attempt: the kernel option named here (its ETIMEDOUT), or "timer" (tcpdiag\'s own timer).'),
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
});

type _Connect = Assert<Same<z.infer<typeof ConnectData>, ConnectDataType>>;

export const ConnectReport = reportSchema('connect', ConnectData);
