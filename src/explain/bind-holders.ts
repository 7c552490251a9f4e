// Who holds a port, and in what role. A connection is its 4-tuple: a
// listener's accepted sockets share its port; a client socket has its own
// local port, usually handed out from the ephemeral range. That client port
// is what silently blocks a server that later wants to listen on it.

import type { EphemeralRange } from '../os/port-ranges.js';
import type { SocketRow } from '../os/sockets.js';

export type HolderRole = 'listener' | 'accepted' | 'client' | 'time-wait' | 'other';
export type Holder = SocketRow & { role: HolderRole };

/** `rows` are the sockets whose local port is the port asked about. */
export function classifyHolders(rows: readonly SocketRow[], ephemeral: EphemeralRange | null): Holder[] {
  const hasListener = rows.some((r) => r.state === 'LISTEN');
  return rows.map((r) => ({ ...r, role: roleOf(r, hasListener, ephemeral) }));
}

function roleOf(r: SocketRow, hasListener: boolean, eph: EphemeralRange | null): HolderRole {
  if (r.state === 'LISTEN') return 'listener';
  if (r.state === 'TIME_WAIT') return 'time-wait';
  if (r.remote.port === 0) return 'other'; // bound, not connected
  if (hasListener) return 'accepted';
  // No listener: a connected socket on an ephemeral port is a client that got
  // the port from the allocator. Outside the range it may be an explicitly
  // bound client or a leftover of a stopped server: we cannot tell.
  return eph && r.local.port >= eph.start && r.local.port <= eph.end ? 'client' : 'other';
}
