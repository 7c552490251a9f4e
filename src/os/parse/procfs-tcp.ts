// Linux /proc/net/tcp and /proc/net/tcp6 (net/ipv4/tcp_ipv4.c, net/ipv6/tcp_ipv6.c):
//   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ...
//    0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 12345 ...
// Addresses are the kernel's in-memory words printed as hex, so on
// little-endian hosts each 32-bit word reads byte-reversed; ports and the
// state are plain hex. For LISTEN, rx_queue is the current accept-queue
// length (the limit is not shown here). TIME_WAIT rows are shorter.
//
// This is the hot path of `tcpdiag sockets` on a host with 100,000 sockets:
// fields up to retrnsmt sit at fixed offsets (the kernel's printf widths), so
// the parser slices instead of splitting, and caches formatted addresses.

import { endianness } from 'node:os';
import type { Family } from '../port-ranges.js';
import { queuesOf, type SocketRow, type SocketTable } from '../sockets.js';
import { LINUX_TCP_STATES } from '../tcp-states.js';
import { formatIpv6 } from './ipv6-format.js';
import { refuse, unreadable, type LineReader } from './line-reader.js';
import { ParseError } from './text.js';

const HEADER = /^\s*sl\s+local_address\s+rem(?:ote)?_address\s+st\s/;

export function looksLikeProcNetTcp(text: string): boolean {
  return HEADER.test(text.slice(0, 200));
}

/** The header, or a row as the kernel prints it ("  0: 0100007F:1F90 ..."), also without its header (grep). */
export function opensProcNetTcp(line: string): boolean {
  if (HEADER.test(line)) return true;
  const [sl, local] = line.trim().split(/\s+/);
  return /^\d+:$/.test(sl ?? '') && /^(?:[\dA-F]{8}|[\dA-F]{32}):[\dA-F]{4}$/i.test(local ?? '');
}

/**
 * What a /proc/net header line says of the rows under it: TCP of one family
 * (tcp's header says rem_address, tcp6's remote_address) or UDP (udp and
 * udp6 add "ref pointer drops"); null for any other line.
 */
export function procHeaderKind(line: string): Family | 'udp' | null {
  if (!/^\s*sl\s+local_address\s+rem(?:ote)?_address\b/.test(line)) return null;
  if (/\bdrops\s*$/.test(line)) return 'udp';
  return /\bremote_address\b/.test(line) ? 'ipv6' : 'ipv4';
}

const ROW_START = /^\s*\d+:(?:\s|$)/;
/** A `cat /proc/net/tcp6` (or udp) command line: which file the rows after it come from. */
const PROC_FILE = /\/proc\/net\/(tcp|udp)6?\b/;

/** /proc/net/tcp{,6} as a line reader (--from): the rows of a paste, one line at a time. */
export function createProcNetTcpReader(source: string, opts: ProcfsParseOptions = {}): LineReader<SocketTable> {
  const le = opts.littleEndian ?? true;
  const cache = new Map<string | number, string>();
  const into: SocketTable = { rows: [], readFrom: [], notes: [] };
  // /proc/net/udp{,6} rows have the same shape (their state 07 is UDP's, not TCP's CLOSE):
  // a header ending in "drops", or a `cat /proc/net/udp` line, starts rows that are not TCP.
  let udp = false;
  let udpRows = 0;
  return {
    claims: (line) => HEADER.test(line) || ROW_START.test(line),
    line(line) {
      const file = PROC_FILE.exec(line);
      if (file) udp = file[1] === 'udp';
      const header = procHeaderKind(line);
      if (header) udp = header === 'udp';
      // Titles and prompts around the table reach the reader too: only "N:" lines are rows.
      if (!ROW_START.test(line)) return;
      if (udp) {
        udpRows++;
        return;
      }
      const row = parseRow(line, le, cache) ?? parseLooseRow(line, le, cache);
      if (row) into.rows.push(row);
      else if (line.trim().split(/\s+/).length < 10) throw unreadable('a row cut short (sl, addresses, st, queues, timers, uid, timeout and inode are needed)');
      else throw refuse('not a /proc/net/tcp row');
    },
    end() {
      into.readFrom.push(source);
      if (udpRows) into.notes.push(`${udpRows} /proc/net/udp row(s) skipped: only TCP is read`);
      return into;
    },
  };
}

export interface ProcfsParseOptions {
  /** Byte order of the host that produced the text (live: this host; --from: little, as on x86 and arm64). */
  littleEndian?: boolean;
}

/** Parses one or more concatenated /proc/net/tcp{,6} dumps into `into.rows`. */
export function parseProcNetTcp(text: string, source: string, into: SocketTable, opts: ProcfsParseOptions = {}): void {
  const le = opts.littleEndian ?? true;
  // IPv4 addresses are cached by number, IPv6 by their hex text.
  const cache = new Map<string | number, string>();
  let lineNo = 0;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    if (line.trim() === '' || HEADER.test(line)) continue;
    const row = parseRow(line, le, cache) ?? parseLooseRow(line, le, cache);
    if (!row) throw new ParseError('/proc/net/tcp', `${source} line ${lineNo}: not a socket row: "${line.trim().slice(0, 80)}"`);
    into.rows.push(row);
  }
  into.readFrom.push(source);
}

/**
 * Fixed-offset parse of a row exactly as the kernel prints it; null if the
 * layout differs. One pass over character codes, no regex and no temporary
 * arrays: this runs 100,000 times on a busy host.
 */
function parseRow(line: string, le: boolean, cache: Map<string | number, string>): SocketRow | null {
  const c = line.indexOf(':');
  if (c < 1) return null;
  // Address width: 8 hex digits (IPv4) or 32 (IPv6), told apart by where the port colon is.
  const w = line.charCodeAt(c + 10) === 58 ? 8 : line.charCodeAt(c + 34) === 58 ? 32 : 0;
  if (w === 0 || line.length < c + 55 + 2 * w || line.charCodeAt(c + 8 + 2 * w) !== 58) return null;
  const state = LINUX_TCP_STATES[hexAt(line, c + 14 + 2 * w, 2)];
  const localPort = hexAt(line, c + 3 + w, 4);
  const remotePort = hexAt(line, c + 9 + 2 * w, 4);
  const txQ = hexAt(line, c + 17 + 2 * w, 8);
  const rxQ = hexAt(line, c + 26 + 2 * w, 8);
  const retransmits = hexAt(line, c + 47 + 2 * w, 8);
  if (!state || localPort < 0 || remotePort < 0 || txQ < 0 || rxQ < 0 || retransmits < 0) return null;
  // uid, timeout, inode: decimal, space-separated, variable width.
  let i = c + 55 + 2 * w;
  const uid = decimalAt(line, (i = skipSpaces(line, i)));
  i = skipSpaces(line, skipToken(line, i));
  i = skipSpaces(line, skipToken(line, i)); // timeout
  const inode = decimalAt(line, i);
  if (uid < 0 || inode < 0) return null;
  const local = w === 8 ? v4At(line, c + 2, le, cache) : hexAddress(line.substr(c + 2, w), le, cache);
  const remote = w === 8 ? v4At(line, c + 8 + w, le, cache) : hexAddress(line.substr(c + 8 + w, w), le, cache);
  if (local === null || remote === null) return null;
  return buildRow(w === 8 ? 'ipv4' : 'ipv6', local, localPort, remote, remotePort, state, txQ, rxQ, retransmits, uid, inode);
}

/** Value of `n` hex digits at `i`, or -1 if any is not a hex digit. */
function hexAt(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const ch = s.charCodeAt(k);
    const d = ch >= 48 && ch <= 57 ? ch - 48 : ch >= 65 && ch <= 70 ? ch - 55 : ch >= 97 && ch <= 102 ? ch - 87 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/** Decimal digits at `i` up to the next non-digit, or -1 if there are none. */
function decimalAt(s: string, i: number): number {
  let v = 0;
  let k = i;
  for (; k < s.length; k++) {
    const ch = s.charCodeAt(k);
    if (ch < 48 || ch > 57) break;
    v = v * 10 + (ch - 48);
  }
  // A value JSON cannot carry exactly (a mangled paste; the kernel's uid is 32-bit) is no value here.
  return k === i || v > Number.MAX_SAFE_INTEGER ? -1 : v;
}

function skipSpaces(s: string, i: number): number {
  while (s.charCodeAt(i) === 32) i++;
  return i;
}

function skipToken(s: string, i: number): number {
  while (i < s.length && s.charCodeAt(i) !== 32) i++;
  return i;
}

/** Whitespace-split parse, for pasted text whose spacing was changed (e.g. by markdown). */
function parseLooseRow(line: string, le: boolean, cache: Map<string | number, string>): SocketRow | null {
  const f = line.trim().split(/\s+/);
  const [local, remote, st, queues, , retr, uid, , inode] = f.slice(1);
  const l = /^([0-9A-F]{8}|[0-9A-F]{32}):([0-9A-F]{4})$/i.exec(local ?? '');
  const r = /^([0-9A-F]{8}|[0-9A-F]{32}):([0-9A-F]{4})$/i.exec(remote ?? '');
  const q = /^([0-9A-F]{8}):([0-9A-F]{8})$/i.exec(queues ?? '');
  // Exactly two hex digits: parseInt would read "1.5" as 1 (ESTABLISHED).
  const state = /^[\dA-F]{2}$/i.test(st ?? '') ? LINUX_TCP_STATES[parseInt(st!, 16)] : undefined;
  if (!l || !r || !q || !state || !/^[0-9A-F]{1,8}$/i.test(retr ?? '') || l[1]!.length !== r[1]!.length) return null;
  if (!/^\d+$/.test(uid ?? '') || !/^\d+$/.test(inode ?? '')) return null;
  // Numbers past 2^53 cannot be carried exactly (and the kernel prints none).
  if (!Number.isSafeInteger(Number(uid)) || !Number.isSafeInteger(Number(inode))) return null;
  const hex = (h: string) => parseInt(h, 16);
  return buildRow(
    l[1]!.length === 8 ? 'ipv4' : 'ipv6',
    hexAddress(l[1]!, le, cache),
    hex(l[2]!),
    hexAddress(r[1]!, le, cache),
    hex(r[2]!),
    state,
    hex(q[1]!),
    hex(q[2]!),
    hex(retr!),
    Number(uid),
    Number(inode),
  );
}

function buildRow(
  family: Family,
  localAddress: string,
  localPort: number,
  remoteAddress: string,
  remotePort: number,
  state: SocketRow['state'],
  txQ: number,
  rxQ: number,
  retransmits: number,
  uid: number,
  inode: number,
): SocketRow {
  const row: SocketRow = {
    protocol: 'tcp',
    family,
    local: { address: localAddress, port: localPort },
    remote: { address: remoteAddress, port: remotePort },
    state,
    pid: null,
    process: null,
    owner: 'not-collected',
    inode,
    uid,
    retransmits,
  };
  // For LISTEN, rx_queue is the accept-queue length; its limit is not in procfs.
  return Object.assign(row, queuesOf(state, rxQ, txQ, null));
}

/** An IPv4 address at `i`, cached by its numeric value (no substring per row). */
function v4At(line: string, i: number, le: boolean, cache: Map<string | number, string>): string | null {
  const n = hexAt(line, i, 8);
  if (n < 0) return null;
  let s = cache.get(n);
  if (s === undefined) {
    const b = [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
    s = (le ? b.reverse() : b).join('.');
    cache.set(n, s);
  }
  return s;
}

function hexAddress(hex: string, le: boolean, cache: Map<string | number, string>): string {
  let s = cache.get(hex);
  if (s === undefined) {
    s = hex.length === 8 ? formatV4(hex, le) : formatV6(hex, le);
    cache.set(hex, s);
  }
  return s;
}

function formatV4(hex: string, le: boolean): string {
  const n = parseInt(hex, 16);
  const b = [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  return (le ? b.reverse() : b).join('.');
}

function formatV6(hex: string, le: boolean): string {
  const bytes = new Uint8Array(16);
  for (let word = 0; word < 4; word++) {
    for (let i = 0; i < 4; i++) {
      const byte = parseInt(hex.substr(word * 8 + i * 2, 2), 16);
      bytes[word * 4 + (le ? 3 - i : i)] = byte;
    }
  }
  return formatIpv6(bytes);
}

export const HOST_IS_LITTLE_ENDIAN = endianness() === 'LE';

