// Row filters of `tcpdiag sockets` (and later `bind`, `backlog`). Filters on
// the 4-tuple and state run before owners are looked up, so a narrow filter
// keeps the costly /proc/<pid>/fd walk to the rows that matter; the pid
// filter needs owners and runs after.

import type { SocketRow } from '../os/sockets.js';
import type { TcpState } from '../os/tcp-states.js';

export interface SocketFilter {
  /** Either end. */
  port?: number;
  localPort?: number;
  remotePort?: number;
  states?: TcpState[];
  pid?: number;
  listen?: boolean;
}

/** Everything but the pid filter. */
export function matchesTuple(r: SocketRow, f: SocketFilter): boolean {
  if (f.port !== undefined && r.local.port !== f.port && r.remote.port !== f.port) return false;
  if (f.localPort !== undefined && r.local.port !== f.localPort) return false;
  if (f.remotePort !== undefined && r.remote.port !== f.remotePort) return false;
  if (f.listen && r.state !== 'LISTEN') return false;
  if (f.states && !f.states.includes(r.state)) return false;
  return true;
}

export function matchesOwner(r: SocketRow, f: SocketFilter): boolean {
  if (f.pid === undefined) return true;
  return r.pid === f.pid || (r.otherOwners?.some((o) => o.pid === f.pid) ?? false);
}

export function isFiltered(f: SocketFilter): boolean {
  return Object.values(f).some((v) => v !== undefined && v !== false);
}
