// Ephemeral port use per destination. A connection is its 4-tuple, so the
// kernel may reuse a local port toward different destinations: exhaustion
// (EADDRNOTAVAIL on connect) happens per (remote address, remote port), not
// per host. Client sockets are those whose local port lies in the ephemeral
// range and is not a listening port (accepted sockets share the listener's).

import type { EphemeralRange } from '../os/port-ranges.js';
import type { Endpoint, RowStream } from '../os/sockets.js';
import { unmapV4 } from './address.js';

export interface DestinationUsage {
  remote: Endpoint;
  /** Client sockets toward this destination (all states, TIME_WAIT included: it still holds the port). */
  count: number;
  /** Ports of the range still free toward this destination. */
  headroom: number;
  usedPercent: number;
}

export interface EphemeralUsage {
  range: { start: number; end: number; count: number } | null;
  clientSockets: number;
  /** Busiest first; at most `limit` entries. */
  destinations: DestinationUsage[];
}

/**
 * `rows` are the sockets to count (a filter may have narrowed them);
 * `listeningPorts` come from the whole table, so accepted sockets are never
 * mistaken for clients.
 */
export function measureEphemeralUsage(rows: RowStream, ranges: readonly EphemeralRange[], listeningPorts: ReadonlySet<number>, limit = 10): EphemeralUsage {
  // Linux has one range; Windows one per protocol/family: take TCP's, IPv4 first.
  // macOS/FreeBSD clients draw from the default allocator's range, not hifirst/hilast or lowfirst/lowlast.
  const tcp = ranges.filter((r) => (r.protocol === 'tcp' || r.protocol === null) && r.allocator === 'default');
  const range = tcp.find((r) => r.family !== 'ipv6') ?? tcp[0] ?? null;
  if (!range) return { range: null, clientSockets: 0, destinations: [] };
  // Remote address, then remote port: no key string to build per socket.
  const perDest = new Map<string, Map<number, DestinationUsage>>();
  let clientSockets = 0;
  rows.forEach((r) => {
    const p = r.local.port;
    if (r.state === 'LISTEN' || r.remote.port === 0 || p < range.start || p > range.end || listeningPorts.has(p)) return;
    clientSockets++;
    let byPort = perDest.get(r.remote.address);
    if (!byPort) perDest.set(r.remote.address, (byPort = new Map()));
    const d = byPort.get(r.remote.port);
    if (d) d.count++;
    else byPort.set(r.remote.port, { remote: { address: r.remote.address, port: r.remote.port }, count: 1, headroom: 0, usedPercent: 0 });
  });
  // Busiest first; ties in a fixed order, whatever order the table came in.
  const destinations = mergeMapped(perDest)
    .sort((a, b) => b.count - a.count || a.remote.address.localeCompare(b.remote.address) || a.remote.port - b.remote.port)
    .slice(0, limit);
  for (const d of destinations) {
    d.headroom = Math.max(0, range.count - d.count);
    d.usedPercent = Math.round((d.count / range.count) * 1000) / 10;
  }
  return { range: { start: range.start, end: range.end, count: range.count }, clientSockets, destinations };
}

/** Destinations with IPv4-mapped IPv6 addresses counted as the IPv4 ones they are. */
function mergeMapped(perDest: Map<string, Map<number, DestinationUsage>>): DestinationUsage[] {
  const merged = new Map<string, DestinationUsage>();
  for (const byPort of perDest.values()) {
    for (const d of byPort.values()) {
      const address = unmapV4(d.remote.address);
      const key = `${address}|${d.remote.port}`;
      const seen = merged.get(key);
      if (seen) seen.count += d.count;
      else merged.set(key, { ...d, remote: { address, port: d.remote.port } });
    }
  }
  return [...merged.values()];
}
