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
import type { SocketRow, SocketTable } from '../sockets.js';
import { PROCFS_STATES } from '../tcp-states.js';
import { formatIpv6 } from './ipv6-format.js';
import { ParseError } from './text.js';

const HEADER = /^\s*sl\s+local_address\s+rem(?:ote)?_address\s+st\s/;

export function looksLikeProcNetTcp(text: string): boolean {
  return HEADER.test(text.slice(0, 200));
}

export interface ProcfsParseOptions {
  /** Byte order of the host that produced the text (live: this host; --from: little, as on x86 and arm64). */
  littleEndian?: boolean;
}

/** Parses one or more concatenated /proc/net/tcp{,6} dumps into `into.rows`. */
export function parseProcNetTcp(text: string, source: string, into: SocketTable, opts: ProcfsParseOptions = {}): void {
  const le = opts.littleEndian ?? true;
  const cache = new Map<string, string>();
  let lineNo = 0;
  let start = 0;
  while (start < text.length) {
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

/** Fixed-offset parse of a row exactly as the kernel prints it; null if the layout differs. */
function parseRow(line: string, le: boolean, cache: Map<string, string>): SocketRow | null {
  const c = line.indexOf(':');
  if (c < 1) return null;
  // Address width: 8 hex digits (IPv4) or 32 (IPv6), told apart by where the port colon is.
  const w = line.charCodeAt(c + 10) === 58 ? 8 : line.charCodeAt(c + 34) === 58 ? 32 : 0;
  if (w === 0 || line.length < c + 55 + 2 * w) return null;
  const state = PROCFS_STATES[parseInt(line.substr(c + 14 + 2 * w, 2), 16)];
  if (!state || line.charCodeAt(c + 8 + 2 * w) !== 58) return null; // the remote address's port colon
  const tail = line.slice(c + 55 + 2 * w).trim().split(/\s+/);
  return makeRow(
    w === 8 ? 'ipv4' : 'ipv6',
    line.substr(c + 2, w),
    line.substr(c + 3 + w, 4),
    line.substr(c + 8 + w, w),
    line.substr(c + 9 + 2 * w, 4),
    state,
    line.substr(c + 17 + 2 * w, 8),
    line.substr(c + 26 + 2 * w, 8),
    line.substr(c + 47 + 2 * w, 8),
    tail,
    le,
    cache,
  );
}

/** Whitespace-split parse, for pasted text whose spacing was changed (e.g. by markdown). */
function parseLooseRow(line: string, le: boolean, cache: Map<string, string>): SocketRow | null {
  const f = line.trim().split(/\s+/);
  const [local, remote, st, queues, , retr, ...tail] = f.slice(1);
  const l = /^([0-9A-F]{8}|[0-9A-F]{32}):([0-9A-F]{4})$/i.exec(local ?? '');
  const r = /^([0-9A-F]{8}|[0-9A-F]{32}):([0-9A-F]{4})$/i.exec(remote ?? '');
  const q = /^([0-9A-F]{8}):([0-9A-F]{8})$/i.exec(queues ?? '');
  const state = PROCFS_STATES[parseInt(st ?? '', 16)];
  if (!l || !r || !q || !state || !/^[0-9A-F]+$/i.test(retr ?? '') || l[1]!.length !== r[1]!.length) return null;
  return makeRow(l[1]!.length === 8 ? 'ipv4' : 'ipv6', l[1]!, l[2]!, r[1]!, r[2]!, state, q[1]!, q[2]!, retr!, tail, le, cache);
}

function makeRow(
  family: Family,
  lAddr: string,
  lPort: string,
  rAddr: string,
  rPort: string,
  state: SocketRow['state'],
  tx: string,
  rx: string,
  retr: string,
  tail: string[],
  le: boolean,
  cache: Map<string, string>,
): SocketRow | null {
  const [uid, , inode] = tail;
  const nums = [lPort, rPort, tx, rx, retr].map((h) => parseInt(h, 16));
  if (nums.some(Number.isNaN) || uid === undefined || inode === undefined || !/^\d+$/.test(uid) || !/^\d+$/.test(inode)) return null;
  const [localPort, remotePort, txQ, rxQ, retransmits] = nums as [number, number, number, number, number];
  const row: SocketRow = {
    protocol: 'tcp',
    family,
    local: { address: hexAddress(lAddr, le, cache), port: localPort },
    remote: { address: hexAddress(rAddr, le, cache), port: remotePort },
    state,
    pid: null,
    process: null,
    owner: 'not-collected',
    inode: Number(inode),
    uid: Number(uid),
    retransmits,
  };
  if (state === 'LISTEN') row.acceptQueue = { length: rxQ, max: null };
  else {
    row.recvQ = rxQ;
    row.sendQ = txQ;
  }
  return row;
}

function hexAddress(hex: string, le: boolean, cache: Map<string, string>): string {
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

