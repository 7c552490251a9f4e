// Findings of `tcpdiag sockets`: owners that could not be seen, accept queues
// that fill or overflow, ephemeral ports running out toward one destination.

import type { ListenCounters } from '../os/backend.js';
import type { RowStream, SocketRow } from '../os/sockets.js';
import { formatEndpoint } from '../sockets/address.js';
import type { EphemeralUsage } from '../sockets/ephemeral-usage.js';
import type { OsName } from '../os/port-ranges.js';
import { portsExhaustedError } from '../os/remedies.js';
import type { Finding } from '../report/types.js';
import { agree, describeOwner, plural } from '../text/words.js';

/** Share of the ephemeral range one destination may use before we warn. */
export const EPHEMERAL_WARN_PERCENT = 50;

export interface CounterDelta {
  windowMs: number;
  listenOverflows: number;
  listenDrops: number;
}

export function explainOwners(rows: RowStream, notes: readonly string[]): Finding[] {
  let hidden = 0;
  rows.forEach((r) => void (r.owner === 'hidden' && hidden++));
  if (hidden === 0) return [];
  return [
    {
      code: 'owners-hidden',
      severity: 'info',
      message: `the owning process of ${plural(hidden, 'socket')} could not be seen; the rows are kept with pid null. ${notes.find((n) => /owners of/.test(n)) ?? ''}`.trim(),
      remedy: notes.some((n) => /sudo/.test(n)) ? ['sudo tcpdiag sockets'] : [],
    },
  ];
}

export function explainAcceptQueues(listeners: readonly SocketRow[]): Finding[] {
  return listeners.flatMap((r): Finding[] => {
    const q = r.acceptQueue;
    if (!q || q.length === 0) return [];
    const who = describeOwner(r);
    // Linux counts a queue full only past its limit (sk_acceptq_is_full:
    // length > backlog), which is why backlog 1 holds 2 connections.
    const full = q.max !== null && q.length > q.max;
    return [
      {
        code: full ? 'accept-queue-full' : 'accept-queue-waiting',
        severity: full ? 'warning' : 'info',
        message:
          `${plural(q.length, 'connection')} ${q.length === 1 ? 'was' : 'were'} waiting in the accept queue of ${who ? `${who} on ` : ''}${formatEndpoint(r.local)}` +
          (q.max !== null ? ` (limit ${q.max})` : '') +
          ' when the table was read' +
          (full ? ': the queue is full, so new connection attempts are dropped or refused until the server accepts' : ': if that lasts, the server accepts slower than clients connect'),
        remedy: [],
      },
    ];
  });
}

export function explainListenCounters(total: ListenCounters | null, delta: CounterDelta | null): Finding[] {
  // Linux counts every SYN a listener dropped in ListenDrops, those dropped
  // because the accept queue was full also in ListenOverflows: drops >= overflows.
  if (delta && delta.listenDrops > 0) {
    return [
      {
        code: 'accept-queue-overflow',
        severity: 'warning',
        message:
          `listeners dropped ${plural(delta.listenDrops, 'connection attempt')} during the ${(delta.windowMs / 1000).toFixed(1)} s sample, ` +
          `${delta.listenOverflows} of them because an accept queue was full; those clients sit in SYN_SENT and retransmit ` +
          `(Linux drops the SYN silently); \`tcpdiag sockets --listen\` shows which queue is filling`,
        remedy: [],
      },
    ];
  }
  if (total && total.listenDrops > 0 && !delta) {
    return [
      {
        code: 'listen-overflow-since-boot',
        severity: 'info',
        message: `listeners dropped ${plural(total.listenDrops, 'connection attempt')} since boot, ${total.listenOverflows} of them on a full accept queue (${total.source}); \`tcpdiag sockets --listen --sample 5s\` shows whether it happens now`,
        remedy: [],
      },
    ];
  }
  return [];
}

/** `os`: the OS the table is from, for the error a connect gets at 100% (null: named for both). */
export function explainEphemeralUsage(u: EphemeralUsage, os: OsName | null): Finding[] {
  if (!u.range) return [];
  return u.destinations
    .filter((d) => d.usedPercent >= EPHEMERAL_WARN_PERCENT)
    .map((d) => ({
      code: 'ephemeral-exhaustion-risk',
      severity: 'warning' as const,
      message:
        `${plural(d.count, 'client socket')} toward ${formatEndpoint(d.remote)} ${agree(d.count, 'uses', 'use')} ${d.usedPercent}% of the ephemeral range ` +
        `${u.range!.start}-${u.range!.end}; ${plural(d.headroom, 'port')} ${agree(d.headroom, 'is', 'are')} left for that destination, after which connect() fails ` +
        `with ${portsExhaustedError(os)} (TIME_WAIT sockets count: they still hold their port)`,
      remedy: [],
    }));
}
