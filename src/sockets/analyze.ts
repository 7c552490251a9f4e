// What both `sockets` and `doctor` conclude from one socket table: accept
// queues, overflow counters, ephemeral use per destination.

import { explainAcceptQueues, explainEphemeralUsage, explainListenCounters, type CounterDelta } from '../explain/sockets.js';
import type { ListenCounters } from '../os/backend.js';
import type { EphemeralRange } from '../os/port-ranges.js';
import type { SocketRow } from '../os/sockets.js';
import type { Finding } from '../report/types.js';
import { measureEphemeralUsage, type EphemeralUsage } from './ephemeral-usage.js';

export interface TableAnalysis {
  usage: EphemeralUsage;
  findings: Finding[];
}

/**
 * `all` is the whole table (it decides which ports are listening); `rows` the
 * ones to look at (a filter may have narrowed them). Marks rows waiting in an
 * accept queue, in place.
 */
export function analyzeSocketTable(all: readonly SocketRow[], rows: readonly SocketRow[], ranges: readonly EphemeralRange[], counters: ListenCounters | null, delta: CounterDelta | null): TableAnalysis {
  const listening = new Set(all.filter((r) => r.state === 'LISTEN').map((r) => r.local.port));
  // A completed connection not yet accepted has no file, so no inode (Linux).
  for (const r of rows) if (r.state === 'ESTABLISHED' && r.inode === 0 && listening.has(r.local.port)) r.inAcceptQueue = true;
  const usage = measureEphemeralUsage(rows, ranges, listening);
  const findings = [
    ...explainListenCounters(counters, delta),
    ...explainAcceptQueues(rows.filter((r) => r.state === 'LISTEN')),
    ...explainEphemeralUsage(usage),
  ];
  return { usage, findings };
}
