// The socket table as the kernel's sock_diag records (struct inet_diag_msg,
// linux/inet_diag.h), kept as bytes. Turning 100,000 records into row objects
// costs more than reading them from the kernel (bench/sockets), so whole-table
// output walks the records through one reused row instead (forEach), and
// callers that keep rows ask for real ones (toRows, listeners). Being the
// whole table, it knows every listening port, so rows waiting in an accept
// queue come marked (inAcceptQueue).

import { formatIpv6 } from './parse/ipv6-format.js';
import type { Family } from './port-ranges.js';
import { waitsInAcceptQueue, type CompactSocketTable, type SocketRow } from './sockets.js';
import { LINUX_TCP_STATES } from './tcp-states.js';

export const INET_DIAG_MSG_LEN = 72;
const AF_INET6 = 10;
// Field offsets in struct inet_diag_msg.
const FAMILY = 0;
const STATE = 1;
const TIMER = 2;
const RETRANS = 3;
const SPORT = 4;
const DPORT = 6;
const SRC = 8;
const DST = 24;
const RQUEUE = 56;
const WQUEUE = 60;
const UID = 64;
const INODE = 68;

export const SOCK_DIAG_SOURCE = 'netlink sock_diag';

export class SockDiagRecords implements CompactSocketTable {
  readonly source = SOCK_DIAG_SOURCE;
  /** Record i at i * INET_DIAG_MSG_LEN; `words` is the same memory as 32-bit words. */
  private buf = Buffer.allocUnsafe(INET_DIAG_MSG_LEN * 1024);
  private words = new Uint32Array(this.buf.buffer, this.buf.byteOffset, this.buf.length / 4);
  length = 0;
  /** Each distinct address formatted once. */
  private readonly addresses = new Map<string | number, string>();
  /** Ports of the listeners, once all records are in. */
  private listening: Set<number> | undefined;

  /**
   * Keeps the record at `answer[o]`, a known TCP state only (the kernel may
   * know newer ones). `answerWords` is `answer` as 32-bit words: netlink
   * aligns records to 4 bytes, and copying 18 words beats a Buffer.copy call
   * per record.
   */
  add(answer: Buffer, answerWords: Uint32Array, o: number): void {
    if (!LINUX_TCP_STATES[answer[o + STATE]!]) return;
    const to = this.length * INET_DIAG_MSG_LEN;
    if (to + INET_DIAG_MSG_LEN > this.buf.length) this.grow();
    const words = this.words;
    for (let w = to >> 2, from = o >> 2, end = from + INET_DIAG_MSG_LEN / 4; from < end; ) words[w++] = answerWords[from++]!;
    this.length++;
    this.listening = undefined;
  }

  private grow(): void {
    const grown = Buffer.allocUnsafe(this.buf.length * 4);
    grown.set(this.buf);
    this.buf = grown;
    this.words = new Uint32Array(grown.buffer, grown.byteOffset, grown.length / 4);
  }

  /** Every row as an object of its own. Fields a state does not have are undefined, so all rows have one shape. */
  toRows(): SocketRow[] {
    const rows = new Array<SocketRow>(this.length);
    for (let i = 0; i < this.length; i++) rows[i] = this.fill(i, emptyRow());
    return rows;
  }

  listeners(): SocketRow[] {
    const rows: SocketRow[] = [];
    for (let i = 0; i < this.length; i++) if (this.isListener(i)) rows.push(this.fill(i, emptyRow()));
    return rows;
  }

  /** Every row through one object, refilled for each record: `visit` must copy what it keeps. */
  forEach(visit: (row: SocketRow) => void): void {
    const row = emptyRow();
    for (let i = 0; i < this.length; i++) visit(this.fill(i, row));
  }

  private isListener(i: number): boolean {
    return LINUX_TCP_STATES[this.buf[i * INET_DIAG_MSG_LEN + STATE]!] === 'LISTEN';
  }

  private listeningPorts(): ReadonlySet<number> {
    if (!this.listening) {
      this.listening = new Set();
      for (let i = 0; i < this.length; i++) if (this.isListener(i)) this.listening.add(u16be(this.buf, i * INET_DIAG_MSG_LEN + SPORT));
    }
    return this.listening;
  }

  /** Sets every field of `row` from record i; the queue fields of the other kind of state become undefined. */
  private fill(i: number, row: SocketRow): SocketRow {
    const b = this.buf;
    const w = this.words;
    const o = i * INET_DIAG_MSG_LEN;
    const family: Family = b[o + FAMILY] === AF_INET6 ? 'ipv6' : 'ipv4';
    row.family = family;
    row.state = LINUX_TCP_STATES[b[o + STATE]!]!;
    row.local.address = this.address(o + SRC, family);
    row.local.port = u16be(b, o + SPORT);
    row.remote.address = this.address(o + DST, family);
    row.remote.port = u16be(b, o + DPORT);
    row.inode = w[(o + INODE) >> 2]!;
    row.uid = w[(o + UID) >> 2]!;
    // idiag_retrans is the retransmit count only while the retransmit timer
    // runs (idiag_timer 1); under a probe timer it counts probes instead.
    row.retransmits = b[o + TIMER] === 1 ? b[o + RETRANS]! : 0;
    // For listeners the kernel reports the accept queue and its limit
    // (sk_max_ack_backlog) as rqueue and wqueue; set inline, as queuesOf
    // says, to allocate nothing per row.
    if (row.state === 'LISTEN') {
      row.acceptQueue = { length: w[(o + RQUEUE) >> 2]!, max: w[(o + WQUEUE) >> 2]! };
      row.recvQ = row.sendQ = undefined;
    } else {
      row.acceptQueue = undefined;
      row.recvQ = w[(o + RQUEUE) >> 2]!;
      row.sendQ = w[(o + WQUEUE) >> 2]!;
    }
    row.inAcceptQueue = waitsInAcceptQueue(row, this.listeningPorts()) || undefined;
    return row;
  }

  /** An address in network byte order. */
  private address(o: number, family: Family): string {
    const b = this.buf;
    // IPv4 by its value as a small integer (a fast Map key), IPv6 by its hex.
    const key = family === 'ipv4' ? (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]! : b.toString('hex', o, o + 16);
    let s = this.addresses.get(key);
    if (s === undefined) {
      s = family === 'ipv4' ? `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}` : formatIpv6(b.subarray(o, o + 16));
      this.addresses.set(key, s);
    }
    return s;
  }
}

/** A row with every field a sock_diag record fills, in the order rows are written (JSON key order). */
function emptyRow(): SocketRow {
  return {
    protocol: 'tcp',
    family: 'ipv4',
    local: { address: '', port: 0 },
    remote: { address: '', port: 0 },
    state: 'CLOSED',
    pid: null,
    process: null,
    owner: 'not-collected',
    acceptQueue: undefined,
    recvQ: undefined,
    sendQ: undefined,
    inAcceptQueue: undefined,
    inode: 0,
    uid: 0,
    retransmits: 0,
  };
}

function u16be(b: Buffer, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}
