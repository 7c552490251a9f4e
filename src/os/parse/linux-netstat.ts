// Linux net-tools `netstat -tan`, `-tanp`, `-tlnp`, `-ltupan`, `-aeep`, `-a`:
//   Proto Recv-Q Send-Q Local Address    Foreign Address  State       [User Inode] PID/Program name
//   tcp        0      0 0.0.0.0:22       0.0.0.0:*        LISTEN      812/sshd: /usr/sbin
//   tcp6       0      0 :::22            :::*             LISTEN      -
// netstat reads /proc/net/tcp: for LISTEN, Recv-Q is the accept-queue length
// and the limit is not shown. "-" for the program means hidden (not root) or
// no process (TIME_WAIT). -e adds User and Inode before the program.
//
// Without -n netstat prints host and service names ("localhost:ipp",
// "0.0.0.0:ssh") and cuts the address so that address and port take at most 22
// characters ("localhost.localdo:35450"); numeric IPv6 addresses are cut the
// same way. Such an address is kept and marked addressCut.
//
// A mail client or a narrow terminal wraps a long row: the state (or the
// program) lands on the next line, which is joined back to its row.

import { isIP } from 'node:net';
import type { Endpoint, SocketRow, SocketTable } from '../sockets.js';
import { emptySocketTable, ownerWithoutProcess, queuesOf } from '../sockets.js';
import { canonicalState } from '../tcp-states.js';
import { addressFlags, familyOfAddress, readPortText, resolveWildcard, splitColonEndpoint } from './endpoint.js';
import { readAllLines, refuse, RowError, unreadable, unreadNotes, type LineReader, type UnreadLine } from './line-reader.js';
import { servicePort } from './service-ports.js';
import { splitLines } from './text.js';
import { checkAddress, readCount, readPid } from './values.js';

const FORMAT = 'netstat';
// tcp/tcp6 row with colon endpoints; BSD netstat has tcp4/tcp46 and dot endpoints.
const ROW = /^tcp6?\s+\d+\s+\d+\s+\S*:(?:\d+|\*|[a-z][\w-]*)\s/i;
/** The first words of netstat's lines: protocols of every section of `netstat -a`, and the column header. */
const OWN_WORD = /^(?:tcp6?|udp6?|udpl6?|raw6?|unix|Proto)$/;
/** Without -W, netstat cuts the address so that address and port fit in this many characters. */
const ADDRESS_AND_PORT = 22;

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

interface Columns {
  /** The header names "PID/Program name". */
  programs: boolean;
  /** -e: "User" and "Inode" come before the program. */
  extended: boolean;
}

/** A line a wrapped row continues on: its state, its program, or its User/Inode/program. */
function continues(t: string): boolean {
  const first = t.split(/\s/, 1)[0]!;
  return canonicalState(first) !== null || /^\d+\/\S/.test(first) || t === '-';
}

/** The end of a wrapped row ("LISTEN 0 10283 1896/unbound") with no start before it: a row the paste lost half of. */
function isOrphanTail(t: string): boolean {
  return canonicalState(t.split(/\s/, 1)[0]!) !== null && /^\S+\s+\d+(?:\s|$)/.test(t);
}

export function createLinuxNetstatReader(source: string): LineReader<SocketTable> {
  const out = emptySocketTable();
  const cols: Columns = { programs: false, extended: false };
  const seen = { names: false, unknown: new Set<string>() };
  // A tcp row a wrap may have cut: read when the next line shows whether it continues.
  let held: { text: string; no: number } | null = null;
  const late: UnreadLine[] = [];
  const readRow = (t: string) => out.rows.push(toRow(t.split(/\s+/), cols, seen));
  const flushHeld = () => {
    if (!held) return;
    const h = held;
    held = null;
    try {
      readRow(h.text);
    } catch (err) {
      if (!(err instanceof RowError && err.kind === 'unread')) throw err;
      late.push({ line: h.no, reason: err.message });
    }
  };
  return {
    claims: (line) => {
      const t = line.trim();
      return OWN_WORD.test(t.split(/\s/, 1)[0]!) || /PID\/Program name/.test(t) || (held !== null && (continues(t) || t === '')) || isOrphanTail(t);
    },
    line(line, no) {
      const t = line.trim();
      // A blank line a paste put inside a wrapped row does not part it.
      if (held && t === '') return;
      if (held && continues(t)) {
        const joined = `${held.text} ${t}`;
        held = null;
        readRow(joined);
        return;
      }
      flushHeld();
      if (isOrphanTail(t)) throw unreadable('the end of a row a wrap moved onto its own line, without the row before it');
      if (/PID\/Program name/.test(t)) cols.programs = true;
      if (/^(?:Proto\s.*\s)?State\s+User\s+Inode\b/.test(t)) cols.extended = true;
      if (!/^tcp6?(?:\s|$)/.test(t)) return; // headers, udp, UNIX-socket section (a lone "tcp" is a row cut short)
      const words = t.split(/\s+/);
      // Five words: the state was wrapped onto the next line; six under a PID/Program header: the program was.
      if (words.length === 5 || (words.length === 6 && cols.programs)) {
        checkFirstFields(words);
        held = { text: t, no };
        return;
      }
      readRow(t);
    },
    end() {
      flushHeld();
      // Rows read before the header said "PID/Program name" get their owner status now.
      for (const r of out.rows) if (r.pid === null) r.owner = ownerWithoutProcess(r.state, cols.programs);
      if (seen.names) out.notes.push(`${source}: netstat printed host and service names (no -n): service names were turned into ports, host names are kept as the address (addressIsName), and netstat cuts an address so that it and its port fit in 22 characters (addressCut); \`netstat -tanp\` prints numbers`);
      out.readFrom.push(source);
      return out;
    },
    lateUnread: () => late,
  };
}

/** Values that cannot be true are refused at their own line, also in a row held for its wrapped end. */
function checkFirstFields(f: string[]): void {
  readCount(f[1]!, 'Recv-Q');
  readCount(f[2]!, 'Send-Q');
  endpoint(f[3]!, { names: false, unknown: new Set() });
  endpoint(f[4]!, { names: false, unknown: new Set() });
}

function toRow(f: string[], cols: Columns, seen: { names: boolean; unknown: Set<string> }): SocketRow {
  if (f.length < 6) throw unreadable('a row cut short (Proto, Recv-Q, Send-Q, two addresses and a state are needed)');
  const [proto, rq, sq, l, r, st, ...after] = f as [string, string, string, string, string, string, ...string[]];
  const recvQ = readCount(rq, 'Recv-Q');
  const sendQ = readCount(sq, 'Send-Q');
  const local = endpoint(l, seen);
  const remote = endpoint(r, seen);
  const state = canonicalState(st);
  if (!state) throw refuse(`unknown TCP state "${st}"`);
  const family = proto === 'tcp6' && local.address !== '*' && !local.addressIsName ? familyOfAddress(local.address) : proto === 'tcp6' ? 'ipv6' : 'ipv4';
  // -e: User (a name or a uid) and Inode before the program; told from the header, or from an inode-shaped second word.
  let rest = after;
  let inode: number | undefined;
  if (cols.extended || (rest.length >= 2 && /^\d+$/.test(rest[1]!) && (rest.length === 2 || rest[2] === '-' || /^\d+\//.test(rest[2]!)))) {
    inode = rest[1] !== undefined && /^\d+$/.test(rest[1]) ? readCount(rest[1], 'Inode') : undefined;
    rest = rest.slice(2);
  }
  const m = /^([^/]*)\/(.*)$/.exec(rest[0] ?? '');
  const pid = m ? readPid(m[1]!) : null;
  return {
    protocol: 'tcp',
    family,
    local: resolveWildcard(local, family),
    remote: resolveWildcard(remote, family),
    state,
    pid,
    // Program names may contain spaces ("sshd: mgb [priv]"): the rest of the line.
    process: m ? [m[2], ...rest.slice(1)].join(' ').trim() || null : null,
    owner: m ? 'found' : ownerWithoutProcess(state, false),
    ...queuesOf(state, recvQ, sendQ, null),
    ...(inode !== undefined ? { inode } : {}),
  };
}

function endpoint(text: string, seen: { names: boolean; unknown: Set<string> }): Endpoint {
  const e = splitColonEndpoint(text);
  if (!e) throw refuse(`"${text}" is not an address:port`);
  const cut = e.address.length + e.port.length >= ADDRESS_AND_PORT && isIP(e.address) !== 4;
  checkAddress(e.address, { mayBeCut: cut || e.address.includes(':') });
  const port = readPortText(e.port, servicePort);
  if (port === null) throw refuse(`"${text}" is not an address:port`);
  if ('unknownService' in port) {
    seen.unknown.add(port.unknownService);
    throw unreadable(`a service name tcpdiag does not know ("${port.unknownService}"): run netstat with -n`);
  }
  const flags = addressFlags(e.address, cut);
  if (port.named || flags.addressIsName) seen.names = true;
  return { address: e.address, port: port.port, ...flags };
}
