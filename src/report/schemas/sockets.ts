// `tcpdiag sockets --json` (probes/sockets.ts).

import * as z from 'zod';
import type { ListenCounters as ListenCountersType } from '../../os/backend.js';
import type { SocketsData as SocketsDataType } from '../../probes/sockets.js';
import type { EphemeralUsage as EphemeralUsageType } from '../../sockets/ephemeral-usage.js';
import { Count, ms, Notes, Port, Sources } from './common.js';
import { reportSchema } from './envelope.js';
import { Endpoint, SocketRow, TcpState } from './socket-row.js';
import type { Assert, Same } from './same-type.js';
import type { SocketRow as SocketRowType } from '../../os/sockets.js';

export const StateCounts = z.record(z.string(), Count).describe('Sockets per TCP state (only states that occur).');

export const ListenCounters = z
  .strictObject({
    listenOverflows: Count.describe('Connections turned away because an accept queue was full.'),
    listenDrops: Count.describe('SYNs listeners dropped for any reason (overflows included).'),
    source: z.string(),
  })
  .meta({ id: 'ListenCounters', title: 'ListenCounters', description: 'Kernel counters since boot (Linux /proc/net/netstat).' });

export const EphemeralUsage = z
  .strictObject({
    range: z.strictObject({ start: Port, end: Port, count: Count }).nullable().describe('The ephemeral range used; null when unknown.'),
    clientSockets: Count.describe('Sockets whose local port lies in the ephemeral range and is not a listening port.'),
    destinations: z
      .array(
        z.strictObject({
          remote: Endpoint,
          count: Count.describe('Client sockets toward this destination (all states, TIME_WAIT included).'),
          headroom: Count.describe('Ports of the range still free toward this destination.'),
          usedPercent: z.number().min(0).describe('Share of the range used toward this destination, in percent.'),
        }),
      )
      .describe('Busiest first; at most 10.'),
  })
  .describe('Ephemeral port use per destination (exhaustion happens per remote address and port).');

type _ListenCounters = Assert<Same<z.infer<typeof ListenCounters>, ListenCountersType>>;
type _EphemeralUsage = Assert<Same<z.infer<typeof EphemeralUsage>, EphemeralUsageType>>;

export const SocketsData = z.strictObject({
  rows: z.array(SocketRow).describe('The matching sockets (at most --limit; --json shows all by default).'),
  matched: Count.describe('Rows that matched the filters (rows may hold fewer: --limit).'),
  total: Count.describe('Sockets in the whole table. Linux with a --port/--state/--listen/--pid filter: the kernel\'s own count of the namespace\'s TCP sockets (/proc/net/sockstat), read instead of the whole table; it leaves out connection requests not yet answered (SYN_RECEIVED).'),
  filters: z
    .strictObject({
      port: Port.optional().describe('--port: either end.'),
      localPort: Port.optional(),
      remotePort: Port.optional(),
      states: z.array(TcpState).optional(),
      pid: z.int().min(0).optional(),
      listen: z.boolean().optional(),
    })
    .describe('The filters given; absent keys were not given.'),
  states: StateCounts,
  groups: z
    .array(
      z.strictObject({
        key: z.string().describe('The state, local port, remote endpoint or process of the group.'),
        count: Count,
        states: StateCounts.optional().describe('Per state within the group; absent with --group-by state.'),
      }),
    )
    .optional()
    .describe('Only with --group-by: counts per group, largest first (at most --limit; --json shows all by default).'),
  groupsMatched: Count.optional().describe('Only with --group-by: how many groups there are (groups may hold fewer: --limit).'),
  owners: z
    .strictObject({
      collected: z.boolean().describe('Whether owners were looked up (false with --no-owners or a source without owners).'),
      found: Count,
      hidden: Count,
      none: Count,
      notCollected: Count,
    })
    .describe('How many rows have each owner status.'),
  listenCounters: z.strictObject({
    sinceBoot: ListenCounters.nullable().describe('The kernel\'s listen-overflow counters since boot; null where unknown (not Linux, --from).'),
    sample: z
      .strictObject({ windowMs: ms('The sampling window'), listenOverflows: z.int(), listenDrops: z.int() })
      .nullable()
      .describe('Only with --sample: how much the counters grew during the window.'),
  }),
  ephemeralUsage: EphemeralUsage,
  sources: Sources.optional(),
  readFrom: z.array(z.string()).describe('What the table was read from: netlink sock_diag or /proc/net/tcp (Linux), GetExtendedTcpTable or netstat -ano (Windows), netstat (macOS), ...; with --from the files.'),
  notes: Notes,
});

// A compact table in data.rows is written as the array of its rows (cli/output.ts).
type _Sockets = Assert<Same<z.infer<typeof SocketsData>, Omit<SocketsDataType, 'rows'> & { rows: SocketRowType[] }>>;

export const SocketsReport = reportSchema('sockets', SocketsData);
