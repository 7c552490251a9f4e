// Linux net-tools `netstat -tan`, `-tanp`, `-tlnp`, `-ltupan`:
//   Proto Recv-Q Send-Q Local Address    Foreign Address  State       PID/Program name
//   tcp        0      0 0.0.0.0:22       0.0.0.0:*        LISTEN      812/sshd: /usr/sbin
//   tcp6       0      0 :::22            :::*             LISTEN      -
// netstat reads /proc/net/tcp: for LISTEN, Recv-Q is the accept-queue length
// and the limit is not shown. "-" for the program means hidden (not root) or
// no process (TIME_WAIT). Long IPv6 addresses are cut to the column width by
// netstat itself; such rows cannot be repaired and are kept as printed.

import type { SocketRow, SocketTable } from '../sockets.js';
import { emptySocketTable, ownerWithoutProcess, queuesOf } from '../sockets.js';
import { canonicalState } from '../tcp-states.js';
import { familyOfAddress, parseColonEndpoint, resolveWildcard } from './endpoint.js';
import { ParseError, splitLines, toInt } from './text.js';

// tcp/tcp6 row with colon endpoints; BSD netstat has tcp4/tcp46 and dot endpoints.
const ROW = /^tcp6?\s+\d+\s+\d+\s+\S*:(?:\d+|\*)\s/;

export function looksLikeLinuxNetstat(text: string): boolean {
  return splitLines(text).some((l) => ROW.test(l.trim()));
}

export function parseLinuxNetstat(text: string, source: string): SocketTable {
  const out = emptySocketTable();
  const lines = splitLines(text);
  const withPrograms = lines.some((l) => /PID\/Program name/.test(l));
  lines.forEach((line, i) => {
    const t = line.trim();
    if (!/^tcp6?\s/.test(t)) return; // headers, udp, UNIX-socket section
    const row = toRow(t.split(/\s+/), withPrograms);
    if (!row) throw new ParseError('netstat', `${source} line ${i + 1}: not a socket row: "${t.slice(0, 100)}"`);
    out.rows.push(row);
  });
  out.readFrom.push(source);
  return out;
}

function toRow(f: string[], withPrograms: boolean): SocketRow | null {
  const [proto, rq, sq, l, r, st, program, ...rest] = f;
  const recvQ = toInt(rq);
  const sendQ = toInt(sq);
  const local = parseColonEndpoint(l ?? '');
  const remote = parseColonEndpoint(r ?? '');
  const state = canonicalState(st ?? '');
  if (recvQ === null || sendQ === null || !local || !remote || !state) return null;
  const family = proto === 'tcp6' && local.address !== '*' ? familyOfAddress(local.address) : proto === 'tcp6' ? 'ipv6' : 'ipv4';
  const m = /^(\d+)\/(.*)$/.exec(program ?? '');
  const row: SocketRow = {
    protocol: 'tcp',
    family,
    local: resolveWildcard(local, family),
    remote: resolveWildcard(remote, family),
    state,
    pid: m ? Number(m[1]) : null,
    // Program names may contain spaces ("sshd: mgb [priv]"): the rest of the line.
    process: m ? [m[2], ...rest].join(' ').trim() || null : null,
    owner: m ? 'found' : ownerWithoutProcess(state, withPrograms),
    ...queuesOf(state, recvQ, sendQ, null),
  };
  return row;
}
