// `tcpdiag keepalive listen <port> --json` (probes/keepalive-listen.ts).

import * as z from 'zod';
import type { KeepaliveListenData as KeepaliveListenDataType } from '../../probes/keepalive-listen.js';
import { Count, ms, Port } from './common.js';
import { reportSchema } from './envelope.js';
import { KeepaliveApplied, KeepaliveSeconds } from './keepalive-common.js';
import type { Assert, Same } from './same-type.js';

export const KeepaliveListenData = z.strictObject({
  port: Port,
  listener: z
    .strictObject({ set: z.boolean().describe('Whether the listening socket got every setting (then accepted sockets inherit them).'), note: z.string().describe('How, or why not, in words.') })
    .describe('The listening socket.'),
  requested: z.strictObject({ idleMs: ms('Idle time asked for'), intervalMs: ms('Interval asked for'), count: Count }),
  expectedDetectionMs: ms('idle + interval x count'),
  clients: z.array(
    z.strictObject({
      remote: z.strictObject({ address: z.string(), port: Port }),
      acceptedAtMs: ms('When accepted, from the start'),
      inherited: KeepaliveSeconds.extend({ enabled: z.boolean() }).nullable().describe('What the accepted socket held before tcpdiag set anything (inherited from the listening socket); null where it cannot be read (no koffi, Windows).'),
      applied: KeepaliveApplied,
      endedAtMs: ms('When it ended, from the start').nullable().describe('null: still open at the end.'),
      detectedAfterMs: ms("From the client's last activity (accept, or data) to the end").nullable(),
      endReason: z.string().nullable().describe('The error code that ended it (ETIMEDOUT: declared dead by keepalive); null: closed by the peer; "not-ended": still open at the end.'),
    }),
  ).describe('Every accepted connection.'),
});

type _Listen = Assert<Same<z.infer<typeof KeepaliveListenData>, KeepaliveListenDataType>>;

export const KeepaliveListenReport = reportSchema('keepalive listen', KeepaliveListenData);
