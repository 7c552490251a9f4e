// The numbers a fleet graphs over time (doctor's data.sockets, and the
// Prometheus output of doctor and sockets): sockets per state, ephemeral use,
// listen-overflow counters, accept queues.

import type { ListenCounters } from '../os/backend.js';
import type { Endpoint, SocketRow } from '../os/sockets.js';
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

export function summarizeSockets(rows: readonly SocketRow[], ephemeralUsage: EphemeralUsage, listenCounters: ListenCounters | null): SocketSummary {
  return { total: rows.length, states: countStates(rows), ephemeralUsage, listenCounters, acceptQueues: acceptQueuesOf(rows) };
}

export function acceptQueuesOf(rows: readonly SocketRow[]): SocketSummary['acceptQueues'] {
  return rows.filter((r) => r.state === 'LISTEN' && r.acceptQueue).map((r) => ({ local: r.local, ...r.acceptQueue! }));
}
