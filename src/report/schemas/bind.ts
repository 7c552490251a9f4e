// `tcpdiag bind <port> --json` (probes/bind.ts).

import * as z from 'zod';
import type { BindData as BindDataType } from '../../probes/bind.js';
import { Family, Notes, Port, Sources } from './common.js';
import { reportSchema } from './envelope.js';
import { EphemeralRange, ReservedRange } from './port-ranges.js';
import { SocketRow } from './socket-row.js';
import type { Assert, Same } from './same-type.js';

const ListenAttempt = z.strictObject({
  address: z.string().describe('The address a listen was attempted on.'),
  family: Family,
  dualStack: z.boolean().describe('IPv6 wildcard attempts are dual-stack, as server.listen(port) is by default.'),
  ok: z.boolean(),
  errorCode: z.string().nullable().describe('libuv\'s error code (EADDRINUSE, EACCES, EADDRNOTAVAIL, ...), never a numeric errno; null when the listen succeeded.'),
});

const Holder = SocketRow.extend({
  role: z
    .enum(['listener', 'accepted', 'client', 'time-wait', 'other'])
    .describe('listener; accepted (by a listener on this port); client (a connected socket that got this port from the ephemeral allocator); time-wait; other (bound, or a leftover we cannot place).'),
  owners: z
    .array(z.strictObject({ pid: z.int().min(0), process: z.string().nullable() }))
    .describe('Every process holding the socket (several after fork, systemd socket passing or inheritance); empty when none is known. pid/process name the first of them and otherOwners the rest, as before.'),
  timeWaitRemainingMs: z.number().min(0).nullable().describe('TIME_WAIT sockets: milliseconds until the kernel drops it and frees its port (Linux: sock_diag idiag_expires); null for other states, or when unknown.'),
  blocks: z
    .enum(['yes', 'no', 'depends'])
    .describe('Whether this socket keeps a Node listen on the addresses asked about off the port, by the OS\'s bind rules and what the real listens showed; "depends" when an option the socket table does not show decides it (see dependsOn).'),
  because: z.string().describe('Why, in words, naming the rule.'),
  dependsOn: z.array(z.string()).describe('With blocks "depends": what decides it (e.g. whether the program that opened it set SO_REUSEADDR); empty otherwise.'),
});

export const BindData = z.strictObject({
  port: Port,
  attempts: z.array(ListenAttempt).describe('Real listen attempts, one per address, each released at once; empty with --from (nothing was attempted).'),
  bindSemantics: z.string().nullable().describe('How a Node listen binds on this OS (e.g. SO_REUSEADDR on Unix); null with --from.'),
  holders: z.array(Holder).describe('Every socket whose local port is this port, with its role.'),
  inEphemeralRange: z
    .boolean()
    .nullable()
    .describe('The port lies in a default-allocator ephemeral range: any outgoing connection may take it as its source port. null when no default-allocator range is known (--from without a range and without an OS to assume one for, or with only a macOS/FreeBSD high or low range): not known, never "outside". With ephemeralRangeAssumed, it is judged against the OS default.'),
  ephemeralRange: EphemeralRange.nullable().describe('The ephemeral range the port lies in, a default-allocator one first (its allocator field says which); a macOS/FreeBSD IP_PORTRANGE_HIGH or _LOW range only when no default range holds the port; null when it lies in none, or when no range is known (see ephemeralRangeKnown). With --from and no range in the input, the OS default is assumed and its source ends in "(assumed)".'),
  ephemeralRangeKnown: z.boolean().describe('False only with --from when the input holds no port range and does not say which OS printed it (inEphemeralRange is then null).'),
  ephemeralRangeAssumed: z.boolean().describe('True only with --from when the input holds no TCP ephemeral range and the OS default was assumed: inEphemeralRange and ephemeralRange then follow that default, not the host\'s own setting.'),
  holdersKnown: z.boolean().describe('False only with --from when the input holds no socket table that could be read: holders is then empty because nothing was looked at, not because nothing holds the port.'),
  reservedRange: ReservedRange.nullable().describe('The excluded/reserved range the port lies in; null when none.'),
  privileged: z
    .strictObject({ below: Port.describe('Ports below this need privilege.'), asRoot: z.boolean().describe('Whether tcpdiag ran with that privilege (always false with --from).') })
    .nullable(),
  sources: Sources.optional(),
  notes: Notes,
});

type _Bind = Assert<Same<z.infer<typeof BindData>, BindDataType>>;

export const BindReport = reportSchema('bind', BindData);

