// The numbers a fleet graphs over time (doctor's data.sockets, and the
// Prometheus output of doctor and sockets): sockets per state, ephemeral use,
// listen-overflow counters, accept queues.

import type { ListenCounters } from '../os/backend.js';
import type { Endpoint, RowStream } from '../os/sockets.js';
import type { EphemeralUsage } from './ephemeral-usage.js';
import { countStates } from './group.js';

export interface SocketSummary {
  total: number;
  states: Record<string, number>;
  ephemeralUsage: EphemeralUsage;
  /** Kernel counters since boot (Linux); null where the OS has none. */
  listenCounters: ListenCounters | null;
  acceptQueues: Array<{ local: Endpoint; length: number; max: number | null }>;
}

export function summarizeSockets(rows: RowStream, ephemeralUsage: EphemeralUsage, listenCounters: ListenCounters | null): SocketSummary {
  return { total: rows.length, states: countStates(rows), ephemeralUsage, listenCounters, acceptQueues: acceptQueuesOf(rows) };
}

/**
 * One entry per listening endpoint. Several listeners can share one (SO_REUSEPORT:
 * nginx workers, Node cluster on Linux); the kernel spreads connections over
 * them, so their queues add up, and the limit is the largest one's. One entry
 * also keeps Prometheus series unique.
 */
export function acceptQueuesOf(rows: RowStream): SocketSummary['acceptQueues'] {
  const byEndpoint = new Map<string, SocketSummary['acceptQueues'][number]>();
  rows.forEach((r) => {
    if (r.state !== 'LISTEN' || !r.acceptQueue) return;
    const key = `${r.local.address}|${r.local.port}`;
    const q = byEndpoint.get(key);
    // Fields copied one by one: a row stream may hand out a view whose fields are getters.
    if (!q) byEndpoint.set(key, { local: { address: r.local.address, port: r.local.port }, length: r.acceptQueue.length, max: r.acceptQueue.max });
    else {
      q.length += r.acceptQueue.length;
      q.max = q.max === null || r.acceptQueue.max === null ? (q.max ?? r.acceptQueue.max) : Math.max(q.max, r.acceptQueue.max);
    }
  });
  return [...byEndpoint.values()];
}
