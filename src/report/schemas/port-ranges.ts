// Port ranges as `ports`, `bind` and `sockets` report them (os/port-ranges.ts).

import * as z from 'zod';
import type { EphemeralRange as EphemeralRangeType, PortRanges as PortRangesType, ReservedRange as ReservedRangeType } from '../../os/port-ranges.js';
import { Count, Family, Notes, Port } from './common.js';
import type { Assert, Same } from './same-type.js';

export const OsName = z.enum(['linux', 'darwin', 'freebsd', 'win32']);
const Protocol = z.enum(['tcp', 'udp']);

export const EphemeralRange = z
  .strictObject({
    protocol: Protocol.nullable().describe('null: the source does not say (Linux: one range for tcp and udp).'),
    family: Family.nullable().describe('null: the source does not say (Linux: one range for IPv4 and IPv6).'),
    start: Port,
    end: Port,
    count: Count.describe('Ports in the range (end - start + 1).'),
    allocator: z
      .enum(['default', 'high', 'low'])
      .describe(
        'Which allocator hands out ports from this range. "default": what connect() and a bind to port 0 draw from (Linux ip_local_port_range, Windows dynamicport, macOS/FreeBSD net.inet.ip.portrange.first/last). "high": macOS/FreeBSD net.inet.ip.portrange.hifirst/hilast, only for sockets that set IP_PORTRANGE_HIGH. "low": macOS/FreeBSD lowfirst/lowlast, privileged ports for sockets that set IP_PORTRANGE_LOW. Findings about "the ephemeral range" mean the default one.',
      ),
    source: z.string().describe('Where the value came from: a procfs path, a command line, a --from file, or "<os> default".'),
  })
  .meta({ id: 'EphemeralRange', title: 'EphemeralRange', description: 'A range the OS hands out client (ephemeral) ports from, as its source gave it.' });

export const ReservedRange = z
  .strictObject({
    protocol: Protocol.nullable(),
    family: Family.nullable(),
    start: Port,
    end: Port,
    administered: z.boolean().describe('Windows "*" marker: added by an administrator (netsh add excludedportrange), not by a service.'),
    blocksBind: z.boolean().describe('Windows excluded ranges refuse binds (EACCES); Linux reserved ports only steer the ephemeral allocator.'),
    source: z.string(),
  })
  .meta({ id: 'ReservedRange', title: 'ReservedRange', description: 'An excluded (Windows) or reserved (Linux) port range.' });

export const PortRanges = z.strictObject({
  os: OsName.nullable().describe('The OS whose rules apply to these ranges (live: this host; --from: the formats read); null when mixed or unknown.'),
  ephemeral: z.array(EphemeralRange).describe('Each range exactly as its source gave it (Windows: one per protocol and family).'),
  reserved: z.array(ReservedRange),
  privileged: z
    .strictObject({
      below: Port.describe('Binding a port below this needs privilege (Linux ip_unprivileged_port_start, FreeBSD reservedhigh+1).'),
      source: z.string(),
    })
    .nullable(),
  reservedListRead: z
    .boolean()
    .optional()
    .describe('Linux: true when ip_local_reserved_ports itself was read (an empty list is then known to be empty); absent when the input did not hold it, and elsewhere.'),
  readFrom: z.array(z.string()).describe('Every file or command the values were read from, also those that held no range.'),
  notes: Notes,
});

type _Ephemeral = Assert<Same<z.infer<typeof EphemeralRange>, EphemeralRangeType>>;
type _Reserved = Assert<Same<z.infer<typeof ReservedRange>, ReservedRangeType>>;
type _Ranges = Assert<Same<z.infer<typeof PortRanges>, PortRangesType>>;
