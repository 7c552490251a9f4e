// Who holds a port, and in what role. A connection is its 4-tuple: a
// listener's accepted sockets share its port; a client socket has its own
// local port, usually handed out from the ephemeral range. That client port
// is what silently blocks a server that later wants to listen on it.

import type { ListenAttempt } from '../net/try-listen.js';
import type { EphemeralRange } from '../os/port-ranges.js';
import type { Endpoint, SocketRow } from '../os/sockets.js';
import { unmapV4 } from '../sockets/address.js';

export type HolderRole = 'listener' | 'accepted' | 'client' | 'time-wait' | 'other';
export type Holder = SocketRow & { role: HolderRole };

const isWildcard = (a: string) => a === '0.0.0.0' || a === '::';

/**
 * Whether two local endpoints on the same port collide: the same address, or
 * a wildcard of the same family on either side. An IPv6 wildcard is taken as
 * dual-stack (Node's default), so it also covers every IPv4 address.
 */
export function sameOrWildcard(a: Endpoint, b: Endpoint): boolean {
  const x = unmapV4(a.address);
  const y = unmapV4(b.address);
  if (x === y) return true;
  const v6 = (s: string) => s.includes(':');
  if (x === '::' || y === '::') return true;
  if (x === '0.0.0.0') return !v6(y);
  if (y === '0.0.0.0') return !v6(x);
  return false;
}

/** Whether a holder stands in the way of a listen attempt on `attempt.address`. */
export function conflicts(h: SocketRow, attempt: ListenAttempt, port: number): boolean {
  return sameOrWildcard(h.local, { address: attempt.address, port });
}

/** `rows` are the sockets whose local port is the port asked about. */
export function classifyHolders(rows: readonly SocketRow[], ephemeral: EphemeralRange | null): Holder[] {
  const listeners = rows.filter((r) => r.state === 'LISTEN');
  return rows.map((r) => ({ ...r, role: roleOf(r, listeners, ephemeral) }));
}

function roleOf(r: SocketRow, listeners: SocketRow[], eph: EphemeralRange | null): HolderRole {
  if (r.state === 'LISTEN') return 'listener';
  if (r.state === 'TIME_WAIT') return 'time-wait';
  if (r.remote.port === 0) return 'other'; // bound, not connected
  // Accepted by a listener on its address or a wildcard; anything else with
  // this local port is a client (or a leftover) in its own right.
  if (listeners.some((l) => isWildcard(l.local.address) ? sameOrWildcard(l.local, r.local) : unmapV4(l.local.address) === unmapV4(r.local.address))) return 'accepted';
  // No listener: a connected socket on an ephemeral port is a client that got
  // the port from the allocator. Outside the range it may be an explicitly
  // bound client or a leftover of a stopped server: we cannot tell.
  return eph && r.local.port >= eph.start && r.local.port <= eph.end ? 'client' : 'other';
}
