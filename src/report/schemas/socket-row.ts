// A socket row (os/sockets.ts, DESIGN.md "A socket row"), as `sockets` lists
// it and `bind` reports the holders of a port.

import * as z from 'zod';
import type { Endpoint as EndpointType, SocketRow as SocketRowType } from '../../os/sockets.js';
import { TCP_STATES } from '../../os/tcp-states.js';
import { Count, Family, Port } from './common.js';
import type { Assert, Same } from './same-type.js';

export const TcpState = z.enum(TCP_STATES).describe('Canonical TCP state; each OS\'s native (and localized) names are mapped onto these.');

export const Endpoint = z
  .strictObject({
    address: z.string().describe('Numeric address as the source prints it; IPv6 zone ids kept ("fe80::1%12"), IPv4-mapped kept ("::ffff:10.0.0.1"). Wildcards are "0.0.0.0" / "::".'),
    port: Port.describe('0 for a wildcard ("*").'),
    addressIsName: z
      .literal(true)
      .optional()
      .describe('Only when true: the address is a host name as the tool printed it (output captured without -n: "localhost", "kbrazil-mac.attl"), not a number; which address it stands for is not known.'),
    addressCut: z
      .literal(true)
      .optional()
      .describe('Only when true: the tool cut addresses to its column width and this one fills the column, so it may be only the beginning of a longer name or address (BSD/macOS netstat: 16 characters; Linux netstat: address and port 22; PowerShell: a value ending in "..." or "…").'),
  })
  .meta({ id: 'Endpoint', title: 'Endpoint' });

const Pid = z.int().min(0);

export const SocketRow = z
  .strictObject({
    protocol: z.literal('tcp'),
    family: Family,
    local: Endpoint,
    remote: Endpoint,
    state: TcpState,
    pid: Pid.nullable().describe('The owning process; null when unknown (see owner).'),
    process: z.string().nullable().describe('The owning process\'s name; null when unknown.'),
    owner: z
      .enum(['found', 'none', 'hidden', 'not-collected'])
      .describe('Why pid is or is not known: found (the source named it); none (no process owns it: TIME_WAIT, kernel sockets); hidden (not visible without privilege); not-collected (the source carries no owners, or --no-owners).'),
    otherOwners: z.array(z.strictObject({ pid: Pid, process: z.string().nullable() })).optional().describe('Further processes holding the same socket (forked servers); only when there are any.'),
    acceptQueue: z
      .strictObject({ length: Count.describe('Connections waiting to be accepted.'), max: Count.nullable().describe('The queue\'s limit where the source shows it.') })
      .optional()
      .describe('LISTEN rows: the accept queue.'),
    recvQ: Count.optional().describe('Other rows: bytes not yet read by the application.'),
    sendQ: Count.optional().describe('Other rows: bytes not yet acknowledged by the peer.'),
    inAcceptQueue: z.boolean().optional().describe('An established connection the kernel completed that no process has accepted yet (Linux).'),
    inode: Count.optional().describe('Linux: the socket inode (0 while in an accept queue).'),
    uid: Count.optional().describe('Linux: the owning user id.'),
    user: z.string().optional().describe("The owning process's user as the source names it (lsof's and sockstat's USER column)."),
    retransmits: Count.optional().describe('Linux: retransmissions of the socket\'s current segment.'),
  })
  .meta({ id: 'SocketRow', title: 'SocketRow', description: 'One TCP socket. Rows are never dropped for lack of an owner.' });

type _Endpoint = Assert<Same<z.infer<typeof Endpoint>, EndpointType>>;
type _SocketRow = Assert<Same<z.infer<typeof SocketRow>, SocketRowType>>;
