// `tcpdiag backlog --json` (probes/backlog.ts).

import * as z from 'zod';
import type { BacklogData as BacklogDataType } from '../../probes/backlog.js';
import { Count, ms, Port } from './common.js';
import { reportSchema } from './envelope.js';
import { TcpState } from './socket-row.js';
import type { Assert, Same } from './same-type.js';

const Client = z.strictObject({
  id: Count.describe('1, 2, ... in the order the clients connected.'),
  localPort: Port.nullable().describe('The client\'s local port; null when it never got one.'),
  outcome: z.enum(['queued', 'syn-sent', 'refused', 'timeout']).describe('Where the client was when the hold ended.'),
  connectMs: ms('When its connect completed, from the start').nullable().describe('null: it never did.'),
  acceptedMs: ms('When the server accepted it, from the start').nullable().describe('null: it never was (see the SYN-cookie finding).'),
  errorCode: z.string().nullable(),
  states: z.array(z.strictObject({ atMs: ms('When seen, from the start'), state: TcpState })).describe('State changes seen in the socket table.'),
});

export const BacklogData = z.strictObject({
  backlog: Count.describe('The listen backlog asked for.'),
  effectiveBacklog: Count.nullable().describe('The backlog after the OS cap (Linux somaxconn); null where the cap is unknown.'),
  holdMs: ms('How long the listener did not accept: --hold, or a little longer, just past a resend of the waiting clients\' SYN that fell around it (docs/commands/backlog.md)'),
  announcedMs: ms('How long the run was announced to take at most, from its start: the hold, then the wait for the waiting clients\' next SYN'),
  port: Port.describe('The loopback port of the listener.'),
  observedQueueCapacity: z.int().describe('Most connections seen waiting in the accept queue.'),
  queueSamples: z.array(z.strictObject({ atMs: ms('When sampled, from the start'), length: Count })).describe('The accept queue\'s length over time.'),
  clients: z.array(Client),
  connectedNotAccepted: Count.describe('Clients whose connect completed but whom the server never accepted.'),
  counters: z
    .strictObject({ listenOverflows: z.int(), listenDrops: z.int() })
    .nullable()
    .describe('How much the kernel\'s listen-overflow counters grew during the run; null where there are none.'),
  os: z.record(z.string(), z.number()).describe('Kernel settings that decide what a full queue does (Linux: somaxconn, tcpSyncookies, ...); empty where unknown.'),
  expectation: z
    .strictObject({
      queueCapacity: Count.nullable().describe('Connections the queue holds before it counts as full; null when the OS gives no firm number.'),
      beyond: z.enum(['dropped', 'refused']).describe('What happens to the connections beyond it.'),
      text: z.string(),
    })
    .describe('What this OS is expected to do with a full accept queue.'),
});

type _Backlog = Assert<Same<z.infer<typeof BacklogData>, BacklogDataType>>;

export const BacklogReport = reportSchema('backlog', BacklogData);
