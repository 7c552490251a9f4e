// `lsof -nP -iTCP [-sTCP:LISTEN]` on macOS and Linux (also `lsof -i`, `lsof -i4`).
//
//   COMMAND   PID USER   FD   TYPE             DEVICE SIZE/OFF NODE NAME
//   node    12345 me    23u  IPv6 0x9cef83179b8300f5      0t0  TCP *:3000 (LISTEN)
//   ssh      1070 me     3u  IPv6            5836953      0t0  TCP [::1]:53442->[::1]:22 1077,sshd,3u (ESTABLISHED)
//
// Rows are read by shape, not by header position: Linux lsof adds TID/TASKCMD
// columns (blank on process rows) and -E adds endpoint words after NAME. COMMAND
// never holds a blank (lsof prints a space as "\x20"), so PID is always the 2nd
// word; TYPE is the IPv4/IPv6 word, NODE the protocol word after it, then NAME.
// Each process that holds a socket gets its own row (forked servers share one
// DEVICE/NODE): that is what lsof reports and each pid is a real owner.

import type { Family } from '../port-ranges.js';
import { emptySocketTable, queuesOf, type Endpoint, type SocketRow, type SocketTable } from '../sockets.js';
import { canonicalState } from '../tcp-states.js';
import { servicePort } from './service-ports.js';
import { addressFlags, readPortText, resolveWildcard, splitColonEndpoint, wildcardAddress } from './endpoint.js';
import { readAllLines, refuse, unreadable, unreadNotes, type LineReader } from './line-reader.js';
import { splitLines } from './text.js';
import { checkAddress, readCount, readPid } from './values.js';

const FORMAT = 'lsof';
/** The header's words after COMMAND PID and optional Linux columns (USER, TID, TASKCMD). */
const HEADER_TAIL = ['FD', 'TYPE', 'DEVICE', 'SIZE/OFF', 'NODE', 'NAME'];
/** lsof's own complaints, which reach a paste when stderr and stdout were captured together. */
const WARNING = /^\s*lsof: |^\s+Output information may be incomplete\.\s*$/;
const IPV4_ENDPOINT = /^\d{1,3}(?:\.\d{1,3}){3}:/;
/** The FD column of a socket: its number and access mode ("23u"; r/w for one direction). */
const FD = /^\d+[urw]$/;
/** A netstat row ("tcp4  0  0 ...": protocol, Recv-Q, Send-Q), which looks like a command and its PID: another table pasted after lsof's. */
const NETSTAT_ROW = /^\s*(?:tcp|udp)(?:4|6|46)?\s+\d+\s+\d+\s/i;

interface Context {
  line: number;
  warnings: number;
  stateless: number;
  resolvedNames: boolean;
  unknownServices: Set<string>;
  skipped: number;
  threadRows: number;
}

export function looksLikeLsof(text: string): boolean {
  return splitLines(text).some(opensLsof);
}

export function opensLsof(line: string): boolean {
  return isHeader(line) || isRowShape(line);
}

/** "COMMAND PID [USER TID TASKCMD ...] FD TYPE DEVICE SIZE/OFF NODE NAME", read as words (no backtracking pattern). */
function isHeader(line: string): boolean {
  const words = line.trim().split(/\s+/);
  return words[0] === 'COMMAND' && words[1] === 'PID' && words.length >= 8 && words.slice(-HEADER_TAIL.length).join(' ') === HEADER_TAIL.join(' ');
}

/** COMMAND PID ... IPv4|IPv6 DEVICE [SIZE/OFF] TCP NAME ... (STATE): a TCP row with its state. */
function isRowShape(line: string): boolean {
  const words = line.trim().split(/\s+/);
  if (!/^\d+$/.test(words[1] ?? '')) return false;
  const type = words.findIndex((w, i) => i >= 3 && (w === 'IPv4' || w === 'IPv6'));
  if (type < 0) return false;
  const tcp = words.findIndex((w, i) => i >= type + 2 && i <= type + 3 && w === 'TCP');
  const last = words[words.length - 1]!;
  return tcp > 0 && words.length > tcp + 1 && /\)$/.test(last) && words.slice(tcp + 2).some((w) => w.startsWith('(') && w.length > 1);
}

export function parseLsof(text: string, source: string): SocketTable {
  const { result, unread } = readAllLines(FORMAT, createLsofReader(source), text);
  result.notes.push(...unreadNotes(source, unread));
  return result;
}

export function createLsofReader(source: string): LineReader<SocketTable> {
  const out = emptySocketTable();
  const ctx: Context = { line: 0, warnings: 0, stateless: 0, resolvedNames: false, unknownServices: new Set(), skipped: 0, threadRows: 0 };
  // Linux lsof lists a socket again under each thread of its process (a TID after the PID): one row per process and file.
  const seenFiles = new Set<string>();
  const users = new Set<string>();
  const isThreadRepeat = (row: SocketRow, line: string) => {
    const words = line.trim().split(/\s+/);
    const key = `${row.pid}|${words.find((w, i) => i >= 2 && FD.test(w)) ?? ''}|${row.local.address}|${row.local.port}|${row.remote.address}|${row.remote.port}`;
    if (seenFiles.has(key)) {
      ctx.threadRows++;
      return true;
    }
    seenFiles.add(key);
    return false;
  };
  return {
    // A row of any network file (lsof -i lists IPv4/IPv6 ones), a row cut short (COMMAND PID ...), a header, or lsof's own warnings.
    claims: (line) => isHeader(line) || WARNING.test(line) || (/^[A-Za-z][^\s:=]*\s+\d+(?:\s|$)/.test(line.trim()) && !NETSTAT_ROW.test(line)) || line.trim().split(/\s+/).some((w, i) => i >= 3 && (w === 'IPv4' || w === 'IPv6')),
    line(line, no) {
      ctx.line = no;
      if (WARNING.test(line)) ctx.warnings++;
      else if (!isHeader(line)) {
        const row = parseRow(line, ctx);
        if (row && !isThreadRepeat(row, line)) {
          // USER is the column before FD ("20u"), after the optional TID and TASKCMD.
          const words = line.trim().split(/\s+/);
          const fd = words.findIndex((w, i) => i >= 3 && FD.test(w));
          // Kept per row too: macOS and FreeBSD refuse a bind beside another user's socket (explain/bind-conflict-bsd.ts).
          if (fd > 0) {
            users.add(words[fd - 1]!);
            row.user = words[fd - 1]!;
          }
          out.rows.push(row);
        }
      }
    },
    end() {
      out.readFrom.push(source);
      out.notes.push(...notes(ctx));
      out.users = [...users];
      return out;
    },
  };
}

/** A TCP row, or null for any other line (UDP, non-socket files, blank and prompt lines). */
function parseRow(line: string, ctx: Context): SocketRow | null {
  const words = line.trim().split(/\s+/);
  const typeAt = words.findIndex((w, i) => i >= 3 && /^IPv[46]$/.test(w));
  const numericPid = /^\d+$/.test(words[1] ?? '');
  if (typeAt < 0) {
    // COMMAND PID USER FD and nothing more: a row cut short, not a prompt or a title.
    if (numericPid && (words.length < 4 || /^(?:\d+[a-zA-Z]*|cwd|txt|mem|rtd)$/.test(words[3]!))) throw unreadable('a row cut short before its TYPE (IPv4/IPv6) column');
    return null;
  }
  const pid = readPid(words[1] ?? '', 'PID');
  // NODE is the first all-capitals word after TYPE (DEVICE is hex or decimal, SIZE/OFF "0t0").
  const nodeAt = words.findIndex((w, i) => i > typeAt && i <= typeAt + 3 && /^[A-Z][A-Z0-9]*$/.test(w));
  if (nodeAt < 0) throw unreadable('a row cut short before its NODE (TCP, UDP) column');
  if (words[nodeAt] !== 'TCP') return null;
  const name = words[nodeAt + 1];
  if (name === undefined) throw unreadable('a TCP row without its NAME column');
  const paren = parseParenthesised(words.slice(nodeAt + 2).join(' '));
  if (!paren) {
    ctx.stateless++;
    throw unreadable('a TCP row without its state in parentheses (cut short, or lsof -T without "s")');
  }
  const [localText, remoteText] = name.split('->');
  const family = rowFamily(words[typeAt]!, localText!);
  const local = endpoint(localText!, family, ctx);
  const remote = remoteText === undefined ? { address: wildcardAddress(family), port: 0 } : endpoint(remoteText, family, ctx);
  if (!local || !remote) {
    ctx.skipped++;
    throw unreadable(`a service name tcpdiag does not know (${[...ctx.unknownServices].at(-1)}): run lsof with -P`);
  }
  // -T q gives the queue sizes (for a listener, the receive queue is its accept queue).
  const queues = paren.queues ? queuesOf(paren.state, paren.queues[0], paren.queues[1], null) : {};
  return { protocol: 'tcp', family, local, remote, state: paren.state, pid, process: unescape(words[0]!), owner: 'found', ...queues };
}

/**
 * TYPE gives the socket's family, but a dual-stack IPv6 socket talking IPv4 is
 * printed with plain IPv4 addresses ("127.0.0.1:9100->127.0.0.1:52354" on an IPv6
 * socket): the address decides then, as for Linux netstat/ss rows.
 */
function rowFamily(type: string, localText: string): Family {
  return type === 'IPv4' || IPV4_ENDPOINT.test(localText) ? 'ipv4' : 'ipv6';
}

/**
 * The "(...)" after NAME: "(LISTEN)" by default; -T adds items ("(LISTEN QR=0 QS=0)"),
 * and the state may come as "ST=LISTEN". Null when there is no state (UDP, -T without s).
 */
function parseParenthesised(tail: string): { state: SocketRow['state']; queues: [number, number] | null } | null {
  const m = /\(([^()]*)\)\s*$/.exec(tail);
  if (!m) return null;
  const items = m[1]!.trim().split(/\s+/);
  const field = (key: string) => items.find((i) => i.startsWith(`${key}=`))?.slice(key.length + 1);
  const native = field('ST') ?? items.find((i) => !i.includes('='));
  if (native === undefined) return null;
  const state = canonicalState(native);
  if (!state) throw refuse(`unknown TCP state "${native}"`);
  const qrText = field('QR');
  const qsText = field('QS');
  const qr = qrText === undefined ? null : readCount(qrText, 'QR');
  const qs = qsText === undefined ? null : readCount(qsText, 'QS');
  return { state, queues: qr !== null && qs !== null ? [qr, qs] : null };
}

/** "127.0.0.1:5432", "[::1]:631", "*:3000", and without -n/-P "localhost:http", "*:hbci". Null: unknown service (noted). */
function endpoint(text: string, family: Family, ctx: Context): Endpoint | null {
  const e = splitColonEndpoint(text);
  if (!e) throw refuse(`"${text}" is not a host:port endpoint`);
  checkAddress(e.address);
  const port = readPortText(e.port, servicePort);
  if (port === null) throw refuse(`"${text}" is not a host:port endpoint`);
  if ('unknownService' in port) {
    ctx.resolvedNames = true;
    ctx.unknownServices.add(port.unknownService);
    return null;
  }
  const flags = addressFlags(e.address, false);
  if (port.named || flags.addressIsName) ctx.resolvedNames = true;
  return resolveWildcard({ address: e.address, port: port.port, ...flags }, family);
}

/** lsof prints non-printable and blank characters of COMMAND as "\xHH". */
function unescape(command: string): string {
  return command.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function notes(ctx: Context): string[] {
  const out: string[] = [];
  if (ctx.warnings) out.push('lsof printed warnings ("lsof: ..." lines, e.g. a file system it could not stat); they were skipped, and the table may be incomplete.');
  if (ctx.stateless) out.push(`${ctx.stateless} TCP row(s) carried no state (lsof -T without "s"?) and were skipped.`);
  if (ctx.resolvedNames) {
    const skipped = ctx.skipped ? `; ${ctx.skipped} row(s) with unknown service names (${[...ctx.unknownServices].join(', ')}) were skipped` : '';
    out.push(`lsof printed host or service names: host names are kept as the address (addressIsName), service names were turned into ports${skipped}. Run \`lsof -nP -iTCP\` for numbers.`);
  }
  if (ctx.threadRows) out.push(`${ctx.threadRows} row(s) repeated a process's socket under one of its threads (Linux lsof's TID rows) and were counted once.`);
  return out;
}
