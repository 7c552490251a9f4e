// Linux `ss -tan`, `ss -tanp`, `ss -tlnp`, `ss -an` (with a Netid column):
//   State  Recv-Q Send-Q  Local Address:Port  Peer Address:Port  Process
//   LISTEN 0      511           0.0.0.0:80          0.0.0.0:*     users:(("nginx",pid=660,fd=5),("nginx",pid=654,fd=5))
// For LISTEN, ss shows the accept-queue length as Recv-Q and its limit (the
// backlog) as Send-Q. "*" as local address is a dual-stack IPv6 socket. With
// -p, a socket held by several processes lists them all.

import type { SocketRow, SocketTable } from '../sockets.js';
import { emptySocketTable, ownerWithoutProcess, queuesOf } from '../sockets.js';
import { canonicalState } from '../tcp-states.js';
import { familyOfAddress, parseColonEndpoint, resolveWildcard } from './endpoint.js';
import { ParseError, splitLines, toInt } from './text.js';

const HEADER = /^(?:Netid\s+)?State\s+Recv-Q\s+Send-Q\s+Local\s+Address:Port\s+Peer\s+Address:Port/;
const SS_STATES = /^(?:ESTAB|LISTEN|SYN-SENT|SYN-RECV|FIN-WAIT-1|FIN-WAIT-2|TIME-WAIT|CLOSE-WAIT|LAST-ACK|CLOSING|CLOSED|UNCONN)$/;
// ss prints "users:((...))"; one published capture shows "users ((...))": accept both.
const OWNER = /\("((?:[^"\\]|\\.)*)",pid=(\d+)/g;

export function looksLikeSs(text: string): boolean {
  return splitLines(text).some((l) => HEADER.test(l.trim()));
}

export function parseSs(text: string, source: string): SocketTable {
  const out = emptySocketTable();
  const lines = splitLines(text);
  // iproute2 prints a "Process" header even without -p, so only "users:((" in
  // some row shows that owners were asked for (and then absent ones were hidden).
  const withProcess = /users:?\s*\(\(/.test(text);
  lines.forEach((line, i) => {
    const f = line.trim().split(/\s+/);
    if (f[0] === 'tcp') f.shift(); // Netid column (ss -an): keep tcp rows only
    else if (/^(?:udp|raw|u_\w+|p_\w+|nl|mptcp|sctp|tipc|v_\w+|xdp)$/.test(f[0] ?? '')) return;
    if (!SS_STATES.test(f[0] ?? '') || f[0] === 'UNCONN') return;
    const row = toRow(f, line, withProcess);
    if (!row) throw new ParseError('ss', `${source} line ${i + 1}: not a socket row: "${line.trim().slice(0, 100)}"`);
    out.rows.push(row);
  });
  if (!withProcess && out.rows.length) out.notes.push(`${source}: no process column data: captured without -p, or by a user who could not see any owner`);
  out.readFrom.push(source);
  return out;
}

function toRow(f: string[], line: string, withProcess: boolean): SocketRow | null {
  const state = canonicalState(f[0]!);
  const recvQ = toInt(f[1]);
  const sendQ = toInt(f[2]);
  const local = parseColonEndpoint(f[3] ?? '');
  const remote = parseColonEndpoint(f[4] ?? '');
  if (!state || recvQ === null || sendQ === null || !local || !remote) return null;
  const family = local.address === '*' ? 'ipv6' : familyOfAddress(withoutZone(local.address));
  const owners = [...line.matchAll(OWNER)].map((m) => ({ pid: Number(m[2]), process: m[1]! }));
  const row: SocketRow = {
    protocol: 'tcp',
    family,
    local: resolveWildcard(local, family),
    remote: resolveWildcard(remote, family),
    state,
    pid: owners[0]?.pid ?? null,
    process: owners[0]?.process ?? null,
    owner: owners.length ? 'found' : ownerWithoutProcess(state, withProcess),
    // ss shows a listener's backlog limit as its Send-Q.
    ...queuesOf(state, recvQ, sendQ, sendQ),
  };
  if (owners.length > 1) row.otherOwners = owners.slice(1);
  return row;
}

/** "fe80::1%eth0" -> "fe80::1": the zone says nothing about the family. */
function withoutZone(address: string): string {
  const zone = address.indexOf('%');
  return zone < 0 ? address : address.slice(0, zone);
}
