// Linux `ss` as people run it (issue #15): -tan, -tanp, -lt, -a with a Netid
// column, -o (a timer after the peer), -e (uid, inode, sk after it), -i and -m
// (indented detail lines under each row, which older ss also used for the
// owners), -p in the old ("sshd",1234,3) and new ("sshd",pid=1234,fd=3)
// shapes, -H (no header), and `state established` filters:
//   State  Recv-Q Send-Q  Local Address:Port  Peer Address:PortProcess
//   LISTEN 0      511           0.0.0.0:80          0.0.0.0:*     users:(("nginx",pid=660,fd=5))
// ss prints the State column only when more than one state is asked for: with
// `state established` the rows have none, and their state is the one the
// command line names (the paste must show it, or the rows are not read).
// Without -n, ports are service names ("0.0.0.0:ssh") and -r prints host names.
//
// For LISTEN, ss shows the accept-queue length as Recv-Q and its limit (the
// backlog) as Send-Q. "*" as local address is a dual-stack IPv6 socket.

import type { Family } from '../port-ranges.js';
import type { Endpoint, SocketRow, SocketTable } from '../sockets.js';
import { emptySocketTable, ownerWithoutProcess, queuesOf } from '../sockets.js';
import { canonicalState, type TcpState } from '../tcp-states.js';
import { addressFlags, familyOfAddress, isHostName, readPortText, resolveWildcard, splitColonEndpoint } from './endpoint.js';
import { readAllLines, refuse, unreadable, unreadNotes, type LineReader } from './line-reader.js';
import { servicePort } from './service-ports.js';
import { readSsFilter } from './ss-filter.js';
import { splitLines } from './text.js';
import { checkAddress, readCount, readPid } from './values.js';

const FORMAT = 'ss';
/** The header: Netid and State are optional, and ss glues "Address:Port" to the next title when its column is full. */
const HEADER = /^(?:Netid\s+)?(?:State\s+)?Recv-Q\s+Send-Q\s+Local\s+Address:Port\s*Peer\s+Address:Port/;
/** Netids of other socket kinds (ss -a): their rows are passed over. */
const OTHER_NETID = /^(?:udp|raw|icmp6?|dccp|u_\w+|p_\w+|nl|mptcp|sctp|tipc|v_\w+|xdp)$/;
const SS_STATE = /^(?:ESTAB|LISTEN|SYN-SENT|SYN-RECV|FIN-WAIT-[12]|TIME-WAIT|CLOSE-WAIT|LAST-ACK|CLOSING)$/;
// ss prints "users:((...))"; one published capture shows "users ((...))"; iproute2 before 3.x printed ("sshd",1234,3).
const OWNER = /\("((?:[^"\\]|\\.)*)",(?:pid=)?(\d[^,)]*)/g;
/** `ss ... state established`: the one state a filter asks for (ss then prints no State column). */

interface Layout {
  netid: boolean;
  state: boolean;
}

export function looksLikeSs(text: string): boolean {
  return splitLines(text).some((l) => HEADER.test(l.trim()));
}

/** A header, or (ss -H, grep) a row as ss prints it: [tcp] state, two numbers, an address:port. */
export function opensSs(line: string): boolean {
  const f = line.trim().split(/\s+/);
  if (HEADER.test(line.trim())) return true;
  if (f[0] === 'tcp') f.shift();
  return SS_STATE.test(f[0] ?? '') && /^\d+$/.test(f[1] ?? '') && /^\d+$/.test(f[2] ?? '') && splitColonEndpoint(f[3] ?? '') !== null;
}

export function parseSs(text: string, source: string): SocketTable {
  const { result, unread } = readAllLines(FORMAT, createSsReader(source), text);
  result.notes.push(...unreadNotes(source, unread));
  return result;
}

/** The state an ss command line's FILTER leaves, when it leaves exactly one (ss then prints no State column); undefined for a line that is no ss command. */
function filteredState(line: string): TcpState | null | undefined {
  const command = /(?:^|[\s$#>➤])ss\s(.*)$/.exec(line);
  if (!command) return undefined;
  const { states } = readSsFilter(command[1]!.trim().split(/\s+/));
  return states?.length === 1 ? states[0]! : null;
}

export function createSsReader(source: string): LineReader<SocketTable> {
  const out = emptySocketTable();
  // iproute2 prints a "Process" header even without -p, so only "users:((" in
  // some row shows that owners were asked for (and then absent ones were hidden).
  let withProcess = false;
  let layout: Layout | null = null;
  // The state of rows printed without a State column: from the command line, when the paste shows it.
  let commandState: TcpState | null = null;
  let lastRow: SocketRow | null = null;
  const names = { hosts: false, services: false };
  // -i/-e/-o details are indented under their row (a row pasted with a leading blank starts with a state or a netid).
  const isDetail = (line: string) => /^\s/.test(line) && !startsRow(line.trim().split(/\s+/));
  const claims = (line: string): boolean => {
    const t = line.trim();
    if (HEADER.test(t) || (isDetail(line) && lastRow !== null)) return true;
    const f = t.split(/\s+/);
    const stateLike = (w: string | undefined) => w !== undefined && (canonicalState(w) !== null || w === 'UNCONN');
    // A Netid column: a state follows it ("tcp   LISTEN 0 ..."), or, under a state filter, the queues and the
    // endpoints and nothing like a state ("tcp  0  0  10.0.3.1:39874  10.0.3.96:ssh"). A net-tools netstat row
    // pasted after ss's has its state sixth ("tcp  0  0  0.0.0.0:22  0.0.0.0:*  LISTEN"): not ss's.
    if (f[0] === 'tcp' || OTHER_NETID.test(f[0] ?? '')) return stateLike(f[1]) || !stateLike(f[5]);
    return f.length >= 2 && stateLike(f[0]);
  };
  return {
    claims,
    line(line) {
      const t = line.trim();
      const filter = filteredState(t);
      if (filter !== undefined) {
        commandState = filter;
        return;
      }
      const header = HEADER.exec(t);
      if (header) {
        layout = { netid: t.startsWith('Netid'), state: /^(?:Netid\s+)?State\s/.test(t) };
        lastRow = null;
        return;
      }
      // Titles and prompts around the table reach the reader too: they are not rows.
      if (!claims(line)) return;
      if (isDetail(line)) return attachDetail(line);
      const f = t.split(/\s+/);
      if (f[0] === 'tcp') f.shift();
      else if (OTHER_NETID.test(f[0] ?? '')) return void (lastRow = null);
      if (f[0] === 'UNCONN') return void (lastRow = null);
      lastRow = null;
      if (/users:?\s*\(\(/.test(line)) withProcess = true;
      const row = toRow(f, line, layout, commandState, names);
      out.rows.push(row);
      lastRow = row;
    },
    end() {
      // Decided at the end: a row without owners before the first row with one was also "hidden".
      if (withProcess) for (const r of out.rows) if (r.pid === null) r.owner = ownerWithoutProcess(r.state, true);
      if (!withProcess && out.rows.length) {
        out.ownersNote = `${source}: no process column data: captured without -p, or by a user who could not see any owner`;
        out.notes.push(out.ownersNote);
      }
      const printed = [names.services ? 'service names (turned into ports)' : '', names.hosts ? 'host names (kept as the address, marked addressIsName)' : ''].filter(Boolean);
      if (printed.length) out.notes.push(`${source}: ss printed ${printed.join(' and ')} instead of numbers (no -n); \`ss -tanp\` prints numbers`);
      out.readFrom.push(source);
      return out;
    },
  };

  /** Older ss (and -e with -i) print the owners, timer and inode on the indented line under the row. */
  function attachDetail(line: string): void {
    if (!lastRow || lastRow.pid !== null) return;
    const owners = readOwners(line);
    if (owners.length === 0) return;
    withProcess = true;
    Object.assign(lastRow, ownerFields(owners));
  }
}

function startsRow(f: string[]): boolean {
  const first = f[0] ?? '';
  return first === 'tcp' || OTHER_NETID.test(first) || canonicalState(first) !== null || first === 'UNCONN';
}

function readOwners(line: string): Array<{ pid: number; process: string }> {
  return [...line.matchAll(OWNER)].map((m) => ({ pid: readPid(m[2]!), process: m[1]! }));
}

function ownerFields(owners: Array<{ pid: number; process: string }>): Pick<SocketRow, 'pid' | 'process' | 'owner' | 'otherOwners'> {
  return { pid: owners[0]!.pid, process: owners[0]!.process, owner: 'found', ...(owners.length > 1 ? { otherOwners: owners.slice(1) } : {}) };
}

function toRow(f: string[], line: string, layout: Layout | null, commandState: TcpState | null, names: { hosts: boolean; services: boolean }): SocketRow {
  // A row says by itself whether it starts with a state: ss without a State column starts with the queues.
  const hasState = layout ? layout.state : !/^\d+$/.test(f[0] ?? '');
  let state: TcpState;
  if (hasState) {
    const s = canonicalState(f[0]!);
    if (!s) throw refuse(`unknown TCP state "${f[0]}"`);
    state = s;
    f = f.slice(1);
  } else {
    if (commandState === null) throw unreadable('ss printed no State column (a `state` filter asking for one state leaves it out) and the paste does not show the ss command line that names the state');
    state = commandState;
  }
  if (f.length < 4) throw unreadable('a row cut short (Recv-Q, Send-Q, local and peer address:port are needed)');
  const recvQ = readCount(f[0]!, 'Recv-Q');
  const sendQ = readCount(f[1]!, 'Send-Q');
  const local = endpoint(f[2]!, names);
  const remote = endpoint(f[3]!, names);
  const family = rowFamily(local, remote, f[2]!);
  const owners = readOwners(line);
  return {
    protocol: 'tcp',
    family,
    local: resolveWildcard(local, family),
    remote: resolveWildcard(remote, family),
    state,
    pid: null,
    process: null,
    owner: ownerWithoutProcess(state, false),
    ...(owners.length ? ownerFields(owners) : {}),
    // ss shows a listener's backlog limit as its Send-Q.
    ...queuesOf(state, recvQ, sendQ, sendQ),
  };
}

function endpoint(text: string, names: { hosts: boolean; services: boolean }): Endpoint {
  const e = splitColonEndpoint(text);
  if (!e) throw refuse(`"${text}" is not an address:port`);
  checkAddress(e.address);
  const port = readPortText(e.port, servicePort);
  if (port === null) throw refuse(`"${text}" is not an address:port`);
  if ('unknownService' in port) throw unreadable(`a service name tcpdiag does not know ("${port.unknownService}"): run ss with -n`);
  if (port.named) names.services = true;
  if (isHostName(e.address)) names.hosts = true;
  return { address: e.address, port: port.port, ...addressFlags(e.address, false) };
}

/** "*" is a dual-stack IPv6 socket; a bracketed address is IPv6; a name takes the family of the numeric side. */
function rowFamily(local: Endpoint, remote: Endpoint, localText: string): Family {
  if (local.address === '*') return 'ipv6';
  if (localText.startsWith('[')) return 'ipv6';
  if (!local.addressIsName) return familyOfAddress(withoutZone(local.address));
  return remote.address !== '*' && !remote.addressIsName ? familyOfAddress(withoutZone(remote.address)) : 'ipv4';
}

/** "fe80::1%eth0" -> "fe80::1": the zone says nothing about the family. */
function withoutZone(address: string): string {
  const zone = address.indexOf('%');
  return zone < 0 ? address : address.slice(0, zone);
}
