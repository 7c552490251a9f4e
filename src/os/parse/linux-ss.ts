// Linux `ss -tan`, `ss -tanp`, `ss -tlnp`, `ss -an` (with a Netid column):
//   State  Recv-Q Send-Q  Local Address:Port  Peer Address:Port  Process
//   LISTEN 0      511           0.0.0.0:80          0.0.0.0:*     users:(("nginx",pid=660,fd=5),("nginx",pid=654,fd=5))
// For LISTEN, ss shows the accept-queue length as Recv-Q and its limit (the
// backlog) as Send-Q. "*" as local address is a dual-stack IPv6 socket. With
// -p, a socket held by several processes lists them all.
//
// State names are read in any spelling ss or a person's paste has (ESTAB,
// Estab, SYN-RECEIVED, Listen): a row is never dropped for its spelling.

import type { SocketRow, SocketTable } from '../sockets.js';
import { emptySocketTable, ownerWithoutProcess, queuesOf } from '../sockets.js';
import { canonicalState } from '../tcp-states.js';
import { familyOfAddress, parseColonEndpoint, resolveWildcard } from './endpoint.js';
import { readAllLines, refuse, unreadable, unreadNotes, type LineReader } from './line-reader.js';
import { splitLines } from './text.js';
import { checkAddress, readCount, readPid } from './values.js';

const FORMAT = 'ss';
const HEADER = /^(?:Netid\s+)?State\s+Recv-Q\s+Send-Q\s+Local\s+Address:Port\s+Peer\s+Address:Port/;
/** Netids of other socket kinds (ss -an): their rows are passed over. */
const OTHER_NETID = /^(?:udp|raw|u_\w+|p_\w+|nl|mptcp|sctp|tipc|v_\w+|xdp)$/;
// ss prints "users:((...))"; one published capture shows "users ((...))": accept both.
const OWNER = /\("((?:[^"\\]|\\.)*)",pid=([^,)]*)/g;

export function looksLikeSs(text: string): boolean {
  return splitLines(text).some((l) => HEADER.test(l.trim()));
}

/** A header, or (ss -H) a row as ss prints it: state, two numbers, an address:port. */
export function opensSs(line: string): boolean {
  const f = line.trim().split(/\s+/);
  if (HEADER.test(line.trim())) return true;
  if (f[0] === 'tcp') f.shift();
  return /^(?:ESTAB|LISTEN|SYN-SENT|SYN-RECV|FIN-WAIT-[12]|TIME-WAIT|CLOSE-WAIT|LAST-ACK|CLOSING)$/.test(f[0] ?? '') && /^\d+$/.test(f[1] ?? '') && /^\d+$/.test(f[2] ?? '') && parseColonEndpoint(f[3] ?? '') !== null;
}

export function parseSs(text: string, source: string): SocketTable {
  const { result, unread } = readAllLines(FORMAT, createSsReader(source), text);
  result.notes.push(...unreadNotes(source, unread));
  return result;
}

export function createSsReader(source: string): LineReader<SocketTable> {
  const out = emptySocketTable();
  // iproute2 prints a "Process" header even without -p, so only "users:((" in
  // some row shows that owners were asked for (and then absent ones were hidden).
  let withProcess = false;
  // -i/-e/-o details are indented under their row (a row pasted with a leading blank starts with a state).
  const isDetail = (line: string) => /^\s/.test(line) && canonicalState(line.trim().split(/\s/, 1)[0]!) === null;
  const claims = (line: string): boolean => {
    if (HEADER.test(line.trim()) || isDetail(line)) return true;
    const f = line.trim().split(/\s+/);
    if (f[0] === 'tcp' || OTHER_NETID.test(f[0] ?? '')) return true;
    return f.length >= 2 && (canonicalState(f[0]!) !== null || f[0] === 'UNCONN');
  };
  return {
    claims,
    line(line) {
      const f = line.trim().split(/\s+/);
      // Titles and prompts around the table reach the reader too: they are not rows.
      if (!claims(line) || isDetail(line) || HEADER.test(line.trim())) return;
      if (f[0] === 'tcp') f.shift(); // Netid column (ss -an): keep tcp rows only
      else if (OTHER_NETID.test(f[0] ?? '')) return;
      if (f[0] === 'UNCONN' || f[0] === '') return;
      if (/users:?\s*\(\(/.test(line)) withProcess = true;
      out.rows.push(toRow(f, line));
    },
    end() {
      // Decided at the end: a row without owners before the first row with one was also "hidden".
      if (withProcess) for (const r of out.rows) if (r.pid === null) r.owner = ownerWithoutProcess(r.state, true);
      if (!withProcess && out.rows.length) out.notes.push(`${source}: no process column data: captured without -p, or by a user who could not see any owner`);
      out.readFrom.push(source);
      return out;
    },
  };
}

function toRow(f: string[], line: string): SocketRow {
  const state = canonicalState(f[0]!);
  if (!state) throw refuse(`unknown TCP state "${f[0]}"`);
  if (f.length < 5) throw unreadable('a row cut short (state, Recv-Q, Send-Q, local and peer address:port are needed)');
  const recvQ = readCount(f[1]!, 'Recv-Q');
  const sendQ = readCount(f[2]!, 'Send-Q');
  const local = endpoint(f[3]!);
  const remote = endpoint(f[4]!);
  const family = local.address === '*' ? 'ipv6' : familyOfAddress(withoutZone(local.address));
  const owners = [...line.matchAll(OWNER)].map((m) => ({ pid: readPid(m[2]!), process: m[1]! }));
  const row: SocketRow = {
    protocol: 'tcp',
    family,
    local: resolveWildcard(local, family),
    remote: resolveWildcard(remote, family),
    state,
    pid: owners[0]?.pid ?? null,
    process: owners[0]?.process ?? null,
    owner: owners.length ? 'found' : ownerWithoutProcess(state, false),
    // ss shows a listener's backlog limit as its Send-Q.
    ...queuesOf(state, recvQ, sendQ, sendQ),
  };
  if (owners.length > 1) row.otherOwners = owners.slice(1);
  return row;
}

function endpoint(text: string): { address: string; port: number } {
  const e = parseColonEndpoint(text);
  if (!e) throw refuse(`"${text}" is not an address:port`);
  checkAddress(e.address);
  return e;
}

/** "fe80::1%eth0" -> "fe80::1": the zone says nothing about the family. */
function withoutZone(address: string): string {
  const zone = address.indexOf('%');
  return zone < 0 ? address : address.slice(0, zone);
}
