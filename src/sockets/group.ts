// --group-by: counts per state, local port, remote endpoint or process. The
// local-port grouping shows the 4-tuple point: a server's accepted sockets all
// share its listening port and differ only in the remote end.

import type { RowStream, SocketRow } from '../os/sockets.js';
import { formatEndpoint, unmapV4 } from './address.js';

export const GROUP_KEYS = ['state', 'local-port', 'remote', 'process'] as const;
export type GroupKey = (typeof GROUP_KEYS)[number];

export interface SocketGroup {
  key: string;
  count: number;
  /** Per state within the group, for everything but --group-by state. */
  states?: Record<string, number>;
}

function keyOf(r: SocketRow, by: GroupKey): string {
  switch (by) {
    case 'state':
      return r.state;
    case 'local-port':
      return String(r.local.port);
    case 'remote':
      return formatEndpoint({ address: unmapV4(r.remote.address), port: r.remote.port });
    case 'process':
      return r.pid === null ? `(${r.owner === 'hidden' ? 'hidden' : r.owner === 'none' ? 'no process' : 'owner not collected'})` : `${r.process ?? '?'} (pid ${r.pid})`;
  }
}

export function groupSockets(rows: readonly SocketRow[], by: GroupKey): SocketGroup[] {
  const groups = new Map<string, SocketGroup>();
  for (const r of rows) {
    const key = keyOf(r, by);
    let g = groups.get(key);
    if (!g) {
      g = by === 'state' ? { key, count: 0 } : { key, count: 0, states: {} };
      groups.set(key, g);
    }
    g.count++;
    if (g.states) g.states[r.state] = (g.states[r.state] ?? 0) + 1;
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

export function countStates(rows: RowStream): Record<string, number> {
  const out: Record<string, number> = {};
  rows.forEach((r) => void (out[r.state] = (out[r.state] ?? 0) + 1));
  return out;
}
