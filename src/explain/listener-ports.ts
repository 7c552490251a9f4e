// Listening ports that the next restart may not get back (doctor): a port
// inside the ephemeral range can be taken by any outgoing connection while its
// server is down (EADDRINUSE although nothing listens); a port inside a Windows
// excluded range refuses the bind outright (EACCES).

import type { PortRanges } from '../os/port-ranges.js';
import { reserveInUseWords, reservePortsRemedy } from '../os/remedies.js';
import type { SocketRow } from '../os/sockets.js';
import type { Finding } from '../report/types.js';
import { commonPortsIn } from './common-ports.js';
import { reservedList } from './port-ranges.js';
import { describeOwner, formatRange } from '../text/words.js';
import { listenersToLeaveAlone } from '../os/os-services.js';

interface ListeningPort {
  port: number;
  owners: string[];
  /** Process names of its listeners (null where a row has none). */
  names: Array<string | null>;
}

export function explainListenerPorts(listeners: readonly SocketRow[], ranges: PortRanges): Finding[] {
  const ports = listeningPorts(listeners);
  const tcp = <T extends { protocol: string | null }>(x: T) => x.protocol === null || x.protocol === 'tcp';
  const inside = (p: number, r: { start: number; end: number }) => p >= r.start && p <= r.end;
  const reserved = ranges.reserved.filter(tcp);
  const excluded = reserved.filter((r) => r.blocksBind);
  // Only the default allocator's range is what any outgoing connection may take (macOS/FreeBSD hifirst/hilast serve IP_PORTRANGE_HIGH sockets alone).
  const ephemeral = ranges.ephemeral.filter((e) => tcp(e) && e.allocator === 'default');
  // A reserved port (Linux ip_local_reserved_ports, a Windows exclusion an
  // administrator added) is already kept away from the allocator.
  const inRange = ports.filter((l) => ephemeral.some((e) => inside(l.port, e)) && !reserved.some((r) => inside(l.port, r)));
  // Listeners an exclusion must leave alone (Windows' own RPC endpoints, and those a capture does not name), and why (os-services.ts).
  const { leftAlone, words: left } = listenersToLeaveAlone(ranges.os, inRange);
  const exposed = inRange.filter((l) => !leftAlone.includes(l));
  const blocked = ports.filter((l) => excluded.some((r) => inside(l.port, r)));
  const findings: Finding[] = [];
  if (inRange.length > 0) {
    const rangeText = [...new Set(ephemeral.map(formatRange))].join(', ');
    // The table cannot tell a port from a server's configuration from one it
    // got by listening on port 0 (Windows RPC services live in the dynamic
    // range): a warning only where a commonly used server port is exposed.
    const configured = exposed.some((l) => commonPortsIn(l.port, l.port).length > 0);
    // These ports are listened on now: where the reservation needs the port free, each server is stopped first.
    const inUse = reserveInUseWords(ranges.os, exposed.length);
    findings.push({
      code: 'listener-in-ephemeral-range',
      severity: configured ? 'warning' : 'info',
      message:
        `${describeListeners(inRange)} inside the ephemeral range ${rangeText}: while such a server is down (a restart, ` +
        `a deploy), any outgoing connection may take its port as source port, and the server then fails to start with ` +
        `EADDRINUSE although nothing listens there. Reserve the ports a server is configured with (a program that ` +
        `listens on port 0 gets a new one each start and needs nothing)` +
        left.map((w) => `. Of these, ${w}`).join('') +
        (inUse ? `. ${inUse[0]!.toUpperCase()}${inUse.slice(1)}: stop each server first, run its lines, then start it again` : ''),
      remedy: reservePortsRemedy(ranges.os, exposed.map((l) => l.port), reservedList(ranges)),
    });
  }
  if (blocked.length > 0) {
    findings.push({
      code: 'listener-in-excluded-range',
      severity: 'warning',
      message:
        `${describeListeners(blocked)} inside a port range excluded by a service (Hyper-V, WinNAT, WSL, Docker): the ` +
        `servers listen now because they started before the exclusion, but their next start fails with EACCES ` +
        `("An attempt was made to access a socket in a way forbidden by its access permissions")`,
      remedy: [],
    });
  }
  return findings;
}

/** One entry per port (IPv4 and IPv6 listeners of one server share it), lowest first. */
function listeningPorts(listeners: readonly SocketRow[]): ListeningPort[] {
  const byPort = new Map<number, { owners: Set<string>; names: Array<string | null> }>();
  for (const r of listeners) {
    if (r.state !== 'LISTEN' || r.local.port === 0) continue;
    const seen = byPort.get(r.local.port) ?? { owners: new Set<string>(), names: [] };
    // netstat -b names the image without a PID (-o not given): the name alone.
    const who = describeOwner(r) ?? r.process;
    if (who) seen.owners.add(who);
    seen.names.push(r.process);
    byPort.set(r.local.port, seen);
  }
  return [...byPort].sort(([a], [b]) => a - b).map(([port, { owners, names }]) => ({ port, owners: [...owners], names }));
}

/** "listening ports 43611 (node (pid 12)), 50000 and 3 more lie": owners where known. */
function describeListeners(ports: readonly ListeningPort[], max = 8): string {
  const shown = ports.slice(0, max).map((l) => (l.owners.length ? `${l.port} (${l.owners.join(', ')})` : `${l.port}`));
  const more = ports.length - shown.length;
  const lead = ports.length === 1 ? 'listening port' : `${ports.length} listening ports`;
  return `${lead} ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''} ${ports.length === 1 ? 'lies' : 'lie'}`;
}
