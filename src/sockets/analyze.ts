// What both `sockets` and `doctor` conclude from one socket table: accept
// queues, overflow counters, ephemeral use per destination.

import { explainAcceptQueues, explainEphemeralUsage, explainListenCounters, type CounterDelta } from '../explain/sockets.js';
import type { ListenCounters } from '../os/backend.js';
import type { EphemeralRange } from '../os/port-ranges.js';
import { waitsInAcceptQueue, type RowStream, type SocketRow } from '../os/sockets.js';
import type { Finding } from '../report/types.js';
import { measureEphemeralUsage, type EphemeralUsage } from './ephemeral-usage.js';

export interface TableAnalysis {
  usage: EphemeralUsage;
  findings: Finding[];
}

/** The listening ports of a whole table: they tell accepted sockets from client sockets. */
export function listeningPortsOf(all: readonly SocketRow[]): Set<number> {
  const ports = new Set<number>();
  for (const r of all) if (r.state === 'LISTEN') ports.add(r.local.port);
  return ports;
}

/** Marks, in place, the rows waiting in an accept queue. */
export function markAcceptQueueWaiters(rows: readonly SocketRow[], listeningPorts: ReadonlySet<number>): void {
  for (const r of rows) if (waitsInAcceptQueue(r.state, r.inode, r.local.port, listeningPorts)) r.inAcceptQueue = true;
}

/**
 * `rows` are the ones to look at (a filter may have narrowed them),
 * `listeners` the LISTEN rows among them; `listeningPorts` come from the
 * whole table.
 */
export function analyzeSocketTable(
  rows: RowStream,
  listeners: readonly SocketRow[],
  listeningPorts: ReadonlySet<number>,
  ranges: readonly EphemeralRange[],
  counters: ListenCounters | null,
  delta: CounterDelta | null,
): TableAnalysis {
  const usage = measureEphemeralUsage(rows, ranges, listeningPorts);
  const findings = [...explainListenCounters(counters, delta), ...explainAcceptQueues(listeners), ...explainEphemeralUsage(usage, null)];
  return { usage, findings };
}
