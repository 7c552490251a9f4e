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
import { readAllLines, refuse, unreadable, unreadNotes, type LineReader } from './line-reader.js';
import { splitLines } from './text.js';
import { checkAddress, readCount, readPid } from './values.js';

const FORMAT = 'netstat';
// tcp/tcp6 row with colon endpoints; BSD netstat has tcp4/tcp46 and dot endpoints.
const ROW = /^tcp6?\s+\d+\s+\d+\s+\S*:(?:\d+|\*)\s/;
/** The first words of netstat's lines: protocols of every section of `netstat -a`, and the column header. */
const OWN_WORD = /^(?:tcp6?|udp6?|udpl6?|raw6?|unix|Proto)$/;

export function looksLikeLinuxNetstat(text: string): boolean {
  return splitLines(text).some(opensLinuxNetstat);
}

export function opensLinuxNetstat(line: string): boolean {
  return ROW.test(line.trim());
}

export function parseLinuxNetstat(text: string, source: string): SocketTable {
  const { result, unread } = readAllLines(FORMAT, createLinuxNetstatReader(source), text);
  result.notes.push(...unreadNotes(source, unread));
  return result;
}

export function createLinuxNetstatReader(source: string): LineReader<SocketTable> {
  const out = emptySocketTable();
  let withPrograms = false;
  return {
    claims: (line) => OWN_WORD.test(line.trim().split(/\s/, 1)[0]!),
    line(line) {
      const t = line.trim();
      if (/PID\/Program name/.test(t)) withPrograms = true;
      if (!/^tcp6?\s/.test(t)) return; // headers, udp, UNIX-socket section
      out.rows.push(toRow(t.split(/\s+/)));
    },
    end() {
      // Rows read before the header said "PID/Program name" get their owner status now.
      for (const r of out.rows) if (r.pid === null) r.owner = ownerWithoutProcess(r.state, withPrograms);
      out.readFrom.push(source);
      return out;
    },
  };
}

function toRow(f: string[]): SocketRow {
  if (f.length < 6) throw unreadable('a row cut short (Proto, Recv-Q, Send-Q, two addresses and a state are needed)');
  const [proto, rq, sq, l, r, st, program, ...rest] = f as [string, string, string, string, string, string, string | undefined, ...string[]];
  const recvQ = readCount(rq, 'Recv-Q');
  const sendQ = readCount(sq, 'Send-Q');
  const local = endpoint(l);
  const remote = endpoint(r);
  const state = canonicalState(st);
  if (!state) throw refuse(`unknown TCP state "${st}"`);
  const family = proto === 'tcp6' && local.address !== '*' ? familyOfAddress(local.address) : proto === 'tcp6' ? 'ipv6' : 'ipv4';
  const m = /^([^/]*)\/(.*)$/.exec(program ?? '');
  const pid = m ? readPid(m[1]!) : null;
  return {
    protocol: 'tcp',
    family,
    local: resolveWildcard(local, family),
    remote: resolveWildcard(remote, family),
    state,
    pid,
    // Program names may contain spaces ("sshd: mgb [priv]"): the rest of the line.
    process: m ? [m[2], ...rest].join(' ').trim() || null : null,
    owner: m ? 'found' : ownerWithoutProcess(state, false),
    ...queuesOf(state, recvQ, sendQ, null),
  };
}

function endpoint(text: string): { address: string; port: number } {
  const e = parseColonEndpoint(text);
  if (!e) throw refuse(`"${text}" is not an address:port`);
  checkAddress(e.address, { mayBeCut: true });
  return e;
}
