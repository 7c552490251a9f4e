// Sockets piling up in one state (doctor). Each state points at a different
// culprit: SYN_SENT toward one destination means nobody answers there (its own
// module, syn-sent-pileups.ts, tells which endpoint and why); CLOSE_WAIT means a program never closes sockets its peers closed (a bug in
// that program); TIME_WAIT toward one destination means connections are opened
// and closed instead of reused, and each keeps its port for a while.

import type { OsName } from '../os/port-ranges.js';
import { closeWaitOwnersRemedy, portsExhaustedError, timeWaitHoldWords } from '../os/remedies.js';
import type { SocketRow } from '../os/sockets.js';
import { formatEndpoint, unmapV4 } from '../sockets/address.js';
import type { Finding } from '../report/types.js';
import { describeOwner, plural } from '../text/words.js';

/** CLOSE_WAIT sockets of one process; a few are a moment's work in progress, this many are leaked. */
export const CLOSE_WAIT_PILEUP = 10;
/** Share of the ephemeral range that TIME_WAIT sockets toward one destination hold. */
export const TIME_WAIT_PILEUP_PERCENT = 20;

/** `listening`: the host's listening ports; a CLOSE_WAIT socket on one was accepted from a client. */
export function explainCloseWait(rows: readonly SocketRow[], listening: ReadonlySet<number>, os: OsName | null, captured: boolean): Finding[] {
  return groupBy(rows.filter((r) => r.state === 'CLOSE_WAIT'), (r) => (r.pid === null ? '' : String(r.pid)))
    .filter(([, group]) => group.length >= CLOSE_WAIT_PILEUP)
    .map(([pid, group]) => {
      // Clients of a server each have their own port: the peer is their address.
      // A client program's peers are the services it connected to: address and port.
      const peers = groupBy(group, (r) => (listening.has(r.local.port) ? `client ${unmapV4(r.remote.address)}` : formatEndpoint({ address: unmapV4(r.remote.address), port: r.remote.port })));
      const top = `${peers.slice(0, 3).map(([peer, g]) => `${peer} (${g.length})`).join(', ')}${peers.length > 3 ? ', ...' : ''}`;
      if (!pid) {
        // Owners unseen (no privilege, or a table without them): these may be many
        // programs' sockets, so no program is blamed and it is not a warning.
        return {
          code: 'close-wait-pileup',
          severity: 'info' as const,
          message:
            `${plural(group.length, 'connection')} in CLOSE_WAIT whose owning processes could not be seen (peers: ${top}): ` +
            `if one program holds most of them, it never closes sockets its peers closed (a bug in that program)` +
            (captured ? '; a capture that names owners shows which (fix)' : ''),
          remedy: closeWaitOwnersRemedy(os, captured),
        };
      }
      return {
        code: 'close-wait-pileup',
        severity: 'warning' as const,
        message:
          `${describeOwner(group[0]!)} holds ${plural(group.length, 'connection')} in CLOSE_WAIT (peers: ${top}): their peers closed and the ` +
          `program never closed its end. That is a bug in the program (a socket not closed or destroyed after the peer's ` +
          `FIN, often on an error path); each one keeps a file descriptor until the program closes it or exits`,
        remedy: [`tcpdiag sockets --state CLOSE_WAIT --pid ${pid}`],
      };
    });
}

/**
 * Client-side TIME_WAIT per destination (accepted sockets, which share a
 * listening port, hold no ephemeral port). `rangeSize` is the ephemeral range's.
 */
export function explainTimeWait(rows: readonly SocketRow[], listening: ReadonlySet<number>, rangeSize: number | null, os: OsName | null): Finding[] {
  if (!rangeSize) return [];
  const clients = rows.filter((r) => r.state === 'TIME_WAIT' && !listening.has(r.local.port));
  return groupBy(clients, (r) => formatEndpoint({ address: unmapV4(r.remote.address), port: r.remote.port }))
    .filter(([, group]) => (group.length / rangeSize) * 100 >= TIME_WAIT_PILEUP_PERCENT)
    .map(([dest, group]) => ({
      code: 'time-wait-pileup',
      severity: 'warning' as const,
      message:
        `${plural(group.length, 'closed connection')} to ${dest} wait in TIME_WAIT, holding ${Math.round((group.length / rangeSize) * 100)}% ` +
        `of the ephemeral range: this host opens and closes a connection per request instead of reusing them, and each ` +
        `closed one keeps its source port for a while (${timeWaitHoldWords(os)}); at 100% connect() fails with ${portsExhaustedError(os)}`,
      remedy: ['reuse connections: a keep-alive HTTP agent (Node: new http.Agent({ keepAlive: true })) or a connection pool'],
    }));
}

/** Groups, the largest first (first seen first among equals). */
export function groupBy(rows: readonly SocketRow[], key: (r: SocketRow) => string): Array<[string, SocketRow[]]> {
  const groups = new Map<string, SocketRow[]>();
  for (const r of rows) {
    const k = key(r);
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return [...groups].sort(([, a], [, b]) => b.length - a.length);
}

/** "node (pid 7), java (pid 9)": the owners of a group's sockets, the first three named. */
export function describeOwners(group: readonly SocketRow[]): string {
  const names = [...new Set(group.map(describeOwner).filter((x): x is string => x !== null))];
  return names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
}
