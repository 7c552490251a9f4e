// The socket table as the kernel's sock_diag records (struct inet_diag_msg,
// os/linux/inet-diag-msg.ts), kept as bytes. Turning 100,000 records into row
// objects (and collecting them again) costs about as much as the kernel takes
// to report them (bench/busy-host.mjs), so passes over the whole table read the
// records through one view instead (forEach), JSON output is written straight
// from them (os/linux/sock-diag-json.ts), and callers that keep rows ask for real
// ones (toRows, listeners). Being the whole table, it knows every listening
// port, so rows waiting in an accept queue come marked (inAcceptQueue).

import type { ChunkWriter } from '../../report/byte-writer.js';
import { formatIpv6 } from '../parse/ipv6-format.js';
import type { Family } from '../port-ranges.js';
import { writeRecordsJson } from './sock-diag-json.js';
import { waitsInAcceptQueue, type CompactSocketTable, type OwnerStatus, type SocketRow } from '../sockets.js';
import type { RecordOwners } from './sock-diag-owners.js';
import { LINUX_TCP_STATES, type TcpState } from '../tcp-states.js';
import { AF_INET6, DPORT, DST, FAMILY, INET_DIAG_MSG_LEN, INODE, retransmitsAt, RQUEUE, SPORT, SRC, STATE, u16be, UID, WQUEUE } from './inet-diag-msg.js';

export const SOCK_DIAG_SOURCE = 'netlink sock_diag';

export class SockDiagRecords implements CompactSocketTable {
  readonly source = SOCK_DIAG_SOURCE;
  /** Record i at i * INET_DIAG_MSG_LEN; `words` is the same memory as 32-bit words. Read by RecordView and os/linux/sock-diag-json.ts. */
  buf: Buffer;
  words: Uint32Array;
  length = 0;
  /** Owners of the records, once looked up (os/linux/sock-diag-owners.ts); null: not collected. */
  owners: RecordOwners | null = null;
  /** Each distinct address formatted once. */
  private readonly addresses = new Map<string | number, string>();
  /** Ports of the listeners, once all records are in. */
  private listening: Set<number> | undefined;

  /** Room for `expected` records at first (the whole table's size, when known): growing 100,000 records copies them four times. */
  constructor(expected = 1024) {
    this.buf = Buffer.allocUnsafe(INET_DIAG_MSG_LEN * Math.max(16, Math.ceil(expected)));
    this.words = new Uint32Array(this.buf.buffer, this.buf.byteOffset, this.buf.length / 4);
  }

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

  writeJsonRows(indent: string, write: ChunkWriter): void {
    writeRecordsJson(this, indent, write);
  }

  /** The inode of record `i` (0: no process holds it). */
  inodeAt(i: number): number {
    return this.words[(i * INET_DIAG_MSG_LEN + INODE) >> 2]!;
  }

  /**
   * Every row (with `keep`, those it keeps) as an object of its own. Fields a
   * state does not have are undefined, so all rows have one shape.
   */
  toRows(keep?: (record: number) => boolean): SocketRow[] {
    const view = new RecordView(this);
    if (keep) {
      const kept: SocketRow[] = [];
      for (let i = 0; i < this.length; i++) if (keep(i)) kept.push(view.at(i).copy());
      return kept;
    }
    const rows = new Array<SocketRow>(this.length);
    for (let i = 0; i < this.length; i++) rows[i] = view.at(i).copy();
    return rows;
  }

  listeners(): SocketRow[] {
    const view = new RecordView(this);
    const rows: SocketRow[] = [];
    for (let i = 0; i < this.length; i++) if (view.at(i).state === 'LISTEN') rows.push(view.copy());
    return rows;
  }

  /**
   * Every row through one view that moves from record to record: `visit`
   * must copy what it keeps. A field is decoded when read, so a pass that
   * counts states reads one byte per record.
   */
  forEach(visit: (row: SocketRow) => void): void {
    const view = new RecordView(this);
    for (let i = 0; i < this.length; i++) visit(view.at(i));
  }

  /** Ports of the listeners, for inAcceptQueue. */
  listeningPorts(): ReadonlySet<number> {
    if (!this.listening) {
      this.listening = new Set();
      for (let i = 0, o = 0; i < this.length; i++, o += INET_DIAG_MSG_LEN) {
        if (LINUX_TCP_STATES[this.buf[o + STATE]!] === 'LISTEN') this.listening.add(u16be(this.buf, o + SPORT));
      }
    }
    return this.listening;
  }

  /** The address at byte `o` of the records, formatted once per distinct value. */
  address(o: number, family: Family): string {
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

/** One record as a SocketRow, decoded field by field as read; `at` moves it to another record. */
class RecordView implements SocketRow {
  readonly protocol = 'tcp';
  readonly local: EndpointView;
  readonly remote: EndpointView;
  /** Byte offset of the record. */
  o = 0;

  constructor(readonly t: SockDiagRecords) {
    this.local = new EndpointView(this, SRC, SPORT);
    this.remote = new EndpointView(this, DST, DPORT);
  }

  at(i: number): this {
    this.o = i * INET_DIAG_MSG_LEN;
    return this;
  }

  private get i(): number {
    return this.o / INET_DIAG_MSG_LEN;
  }

  get pid(): number | null {
    const pid = this.t.owners?.pid[this.i] ?? 0;
    return pid === 0 ? null : pid;
  }

  get process(): string | null {
    return this.t.owners?.processOf(this.i) ?? null;
  }

  get owner(): OwnerStatus {
    return this.t.owners?.statusOf(this.i) ?? 'not-collected';
  }

  get otherOwners(): SocketRow['otherOwners'] {
    return this.t.owners?.otherOwnersOf(this.i);
  }

  get family(): Family {
    return this.t.buf[this.o + FAMILY] === AF_INET6 ? 'ipv6' : 'ipv4';
  }

  get state(): TcpState {
    return LINUX_TCP_STATES[this.t.buf[this.o + STATE]!]!;
  }

  /** For listeners the kernel reports the accept queue and its limit (sk_max_ack_backlog) as rqueue and wqueue. */
  get acceptQueue(): SocketRow['acceptQueue'] {
    return this.state === 'LISTEN' ? { length: this.word(RQUEUE), max: this.word(WQUEUE) } : undefined;
  }

  get recvQ(): number | undefined {
    return this.state === 'LISTEN' ? undefined : this.word(RQUEUE);
  }

  get sendQ(): number | undefined {
    return this.state === 'LISTEN' ? undefined : this.word(WQUEUE);
  }

  get inAcceptQueue(): true | undefined {
    return waitsInAcceptQueue(this.state, this.inode, this.local.port, this.t.listeningPorts()) || undefined;
  }

  get inode(): number {
    return this.word(INODE);
  }

  get uid(): number {
    return this.word(UID);
  }

  get retransmits(): number {
    return retransmitsAt(this.t.buf, this.o);
  }

  /** This record as a row of its own, with every field in the order rows are written (JSON key order). */
  copy(): SocketRow {
    return {
      protocol: 'tcp',
      family: this.family,
      local: { address: this.local.address, port: this.local.port },
      remote: { address: this.remote.address, port: this.remote.port },
      state: this.state,
      pid: this.pid,
      process: this.process,
      owner: this.owner,
      ...(this.t.owners?.others.has(this.i) ? { otherOwners: this.otherOwners } : {}),
      acceptQueue: this.acceptQueue,
      recvQ: this.recvQ,
      sendQ: this.sendQ,
      inAcceptQueue: this.inAcceptQueue,
      inode: this.inode,
      uid: this.uid,
      retransmits: this.retransmits,
    };
  }

  private word(field: number): number {
    return this.t.words[(this.o + field) >> 2]!;
  }
}

class EndpointView {
  constructor(
    private readonly row: RecordView,
    private readonly addressAt: number,
    private readonly portAt: number,
  ) {}

  get address(): string {
    return this.row.t.address(this.row.o + this.addressAt, this.row.family);
  }

  get port(): number {
    return u16be(this.row.t.buf, this.row.o + this.portAt);
  }
}
