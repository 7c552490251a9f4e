// The data of `keepalive selftest` and `keepalive connect`: one type in the
// code (probes/keepalive-data.ts KeepaliveData), where only `connect`
// fills `target` and `probe`.

import * as z from 'zod';
import type { KeepaliveData as KeepaliveDataType } from '../../probes/keepalive-data.js';
import { Count, ms, Port } from './common.js';
import { KeepaliveApplied, KeepaliveDefaultSeconds } from './keepalive-common.js';
import type { Assert, Same } from './same-type.js';

const Where = z.strictObject({ address: z.string(), port: Port });

export const KeepaliveData = z.strictObject({
  requested: z.strictObject({
    idleMs: ms('Idle time asked for'),
    intervalMs: ms('Interval asked for'),
    count: Count,
    userTimeoutMs: ms('TCP_USER_TIMEOUT asked for').nullable(),
  }),
  applied: KeepaliveApplied,
  pendingData: z.boolean().describe('Whether data the dead peer never acknowledges was in flight (--pending-data).'),
  expectedDetectionMs: ms('idle + interval x count, or the user timeout with data in flight').nullable().describe('null when nothing bounds it.'),
  peerUnreachableAtMs: ms('When the peer became unreachable, from the connection\'s establishment').nullable(),
  endedAtMs: ms('When the connection ended (or tcpdiag stopped watching), from its establishment'),
  detectedAfterMs: ms('From the last activity (the connect, or the unacknowledged write) to the end').nullable().describe('null: not detected within the wait.'),
  endReason: z.string().nullable().describe('The error that ended the connection (ETIMEDOUT: declared dead); null: closed by the peer; "not-detected": still open when tcpdiag stopped.'),
  defaults: KeepaliveDefaultSeconds.nullable().describe('The system-wide keepalive defaults (Linux sysctls, Windows KeepAliveTime/KeepAliveInterval with 10 probes); null where unknown.'),
  target: Where.optional().describe('keepalive connect: the peer.'),
  probe: Where.optional().describe('keepalive connect: the endpoint the liveness probe connects to.'),
});

type _Keepalive = Assert<Same<z.infer<typeof KeepaliveData>, KeepaliveDataType>>;
