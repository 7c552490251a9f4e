// Socket rows as JSON bytes, one row per line. On a host with 100,000 sockets
// `sockets --json` writes 25 MB of rows, and JSON.stringify of them was a
// third of the command's time (bench/sockets). Rows have one known shape and
// their strings (addresses, states, process names) repeat, so each distinct
// string is encoded once and a row is copied together from ready-made bytes.
// The document means exactly what JSON.stringify(rows) means
// (test/unit/write-json.test.ts); keys come in the order listed below.

import type { RowStream, SocketRow } from '../os/sockets.js';

/** Every key a row can have, in the order they are written (a key missing here fails tsc). */
type Written = 'protocol' | 'family' | 'local' | 'remote' | 'state' | 'pid' | 'process' | 'owner' | 'otherOwners' | 'acceptQueue' | 'recvQ' | 'sendQ' | 'inAcceptQueue' | 'inode' | 'uid' | 'retransmits';
type AllWritten<T extends true> = T;
export type SocketRowKeysAllWritten = AllWritten<[Exclude<keyof SocketRow, Written>] extends [never] ? true : false>;

const CHUNK = 1 << 20;
const bytes = (s: string) => Buffer.from(s, 'utf8');
const K = {
  port: bytes(',"port":'),
  otherOwners: bytes(',"otherOwners":'),
  acceptQueue: bytes(',"acceptQueue":{"length":'),
  max: bytes(',"max":'),
  recvQ: bytes(',"recvQ":'),
  sendQ: bytes(',"sendQ":'),
  inAcceptQueue: bytes(',"inAcceptQueue":'),
  inode: bytes(',"inode":'),
  uid: bytes(',"uid":'),
  retransmits: bytes(',"retransmits":'),
  null: bytes('null'),
  true: bytes('true'),
  false: bytes('false'),
  close: bytes('}'),
};

/**
 * Takes a chunk of output; returns true when the chunk is already written out
 * (its memory may be used again), false when the chunk is kept for later.
 */
export type ChunkWriter = (chunk: Uint8Array) => boolean;

/**
 * Writes `rows` as the elements of a JSON array (without the brackets): each
 * row on its own line after `indent`, rows separated by commas, in chunks of
 * about 1 MB.
 */
export function writeSocketRowsJson(rows: RowStream, indent: string, write: ChunkWriter): void {
  const out = new ByteWriter(write);
  const pieces = new RowPieces();
  let lead = bytes(`\n${indent}`);
  const nextLead = bytes(`,\n${indent}`);
  rows.forEach((r) => {
    out.raw(lead);
    lead = nextLead;
    writeRow(out, pieces, r);
  });
  out.flush();
}

/**
 * The text between a row's numbers depends on a few strings that repeat from
 * row to row (family, addresses, state, process, owner): each such run is
 * encoded once and then copied whole.
 */
class RowPieces {
  private readonly head = { ipv4: new Map<string, Uint8Array>(), ipv6: new Map<string, Uint8Array>() };
  private readonly remote = new Map<string, Uint8Array>();
  private readonly state = new Map<string, Uint8Array>();
  private readonly who = new Map<string | null, Map<string, Uint8Array>>();
  private readonly nobody = new Map<string, Map<string, Uint8Array>>();

  /** `{"protocol":"tcp","family":F,"local":{"address":A,"port":` (protocol is always tcp) */
  headOf(r: SocketRow): Uint8Array {
    return cached(this.head[r.family], r.local.address, () => `{"protocol":${JSON.stringify(r.protocol)},"family":${JSON.stringify(r.family)},"local":{"address":${JSON.stringify(r.local.address)},"port":`);
  }

  /** `},"remote":{"address":A,"port":` */
  remoteOf(address: string): Uint8Array {
    return cached(this.remote, address, () => `},"remote":{"address":${JSON.stringify(address)},"port":`);
  }

  /** `},"state":S,"pid":` */
  stateOf(state: string): Uint8Array {
    return cached(this.state, state, () => `},"state":${JSON.stringify(state)},"pid":`);
  }

  /** `},"state":S,"pid":null,"process":null,"owner":O`: a row without a process, in one piece. */
  nobodyOf(state: string, owner: string): Uint8Array {
    let byOwner = this.nobody.get(state);
    if (byOwner === undefined) this.nobody.set(state, (byOwner = new Map()));
    return cached(byOwner, owner, () => `},"state":${JSON.stringify(state)},"pid":null,"process":null,"owner":${JSON.stringify(owner)}`);
  }

  /** `,"process":P,"owner":O` */
  whoOf(process: string | null, owner: string): Uint8Array {
    let byOwner = this.who.get(process);
    if (byOwner === undefined) this.who.set(process, (byOwner = new Map()));
    return cached(byOwner, owner, () => `,"process":${JSON.stringify(process)},"owner":${JSON.stringify(owner)}`);
  }
}

function cached<K>(map: Map<K, Uint8Array>, key: K, text: () => string): Uint8Array {
  let b = map.get(key);
  if (b === undefined) map.set(key, (b = bytes(text())));
  return b;
}

function writeRow(out: ByteWriter, pieces: RowPieces, r: SocketRow): void {
  out.raw(pieces.headOf(r));
  out.num(r.local.port);
  out.raw(pieces.remoteOf(r.remote.address));
  out.num(r.remote.port);
  if (r.pid === null && r.process === null) out.raw(pieces.nobodyOf(r.state, r.owner));
  else {
    out.raw(pieces.stateOf(r.state));
    out.nullableNum(r.pid);
    out.raw(pieces.whoOf(r.process, r.owner));
  }
  if (r.otherOwners !== undefined) {
    out.raw(K.otherOwners);
    out.json(r.otherOwners);
  }
  if (r.acceptQueue !== undefined) {
    out.raw(K.acceptQueue);
    out.num(r.acceptQueue.length);
    out.raw(K.max);
    out.nullableNum(r.acceptQueue.max);
    out.raw(K.close);
  }
  out.numField(K.recvQ, r.recvQ);
  out.numField(K.sendQ, r.sendQ);
  if (r.inAcceptQueue !== undefined) {
    out.raw(K.inAcceptQueue);
    out.raw(r.inAcceptQueue ? K.true : K.false);
  }
  out.numField(K.inode, r.inode);
  out.numField(K.uid, r.uid);
  out.numField(K.retransmits, r.retransmits);
  out.raw(K.close);
}

/** Appends bytes to a chunk, handing each full chunk to `write`. */
class ByteWriter {
  private buf = Buffer.allocUnsafe(CHUNK);
  private pos = 0;
  constructor(private readonly write: ChunkWriter) {}

  raw(b: Uint8Array): void {
    const n = b.length;
    if (this.pos + n > this.buf.length) this.next(n);
    if (n > 16) {
      this.buf.set(b, this.pos);
      this.pos += n;
      return;
    }
    // A loop beats TypedArray.set for short pieces.
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = b[i]!;
    this.pos = p;
  }

  /** Any value, through JSON.stringify (rare fields: otherOwners). */
  json(v: unknown): void {
    this.raw(Buffer.from(JSON.stringify(v), 'utf8'));
  }

  /** `key` and the number, or nothing when the field is absent. */
  numField(key: Uint8Array, n: number | undefined): void {
    if (n === undefined) return;
    this.raw(key);
    this.num(n);
  }

  nullableNum(n: number | null): void {
    if (n === null) this.raw(K.null);
    else this.num(n);
  }

  /** Digits of a whole number up to 2^32 - 1 written directly; anything else as JSON.stringify spells it. */
  num(n: number): void {
    if (n >= 0 && n < 10 && (n | 0) === n) {
      // Queues, uids, retransmits: mostly 0.
      if (this.pos === this.buf.length) this.next(1);
      this.buf[this.pos++] = 48 + n;
      return;
    }
    if (!(n >= 0 && n <= 0xffffffff && n === Math.floor(n))) {
      this.json(n);
      return;
    }
    let digits = 1;
    for (let m = n; m >= 10; m = Math.floor(m / 10)) digits++;
    if (this.pos + digits > this.buf.length) this.next(digits);
    const buf = this.buf;
    let p = this.pos + digits;
    this.pos = p;
    do {
      const q = Math.floor(n / 10);
      buf[--p] = 48 + n - q * 10;
      n = q;
    } while (n > 0);
  }

  flush(): void {
    // Fresh memory costs page faults: keep the chunk when the writer is done with it.
    if (this.pos > 0 && !this.write(this.buf.subarray(0, this.pos))) this.buf = Buffer.allocUnsafe(CHUNK);
    this.pos = 0;
  }

  private next(need: number): void {
    this.flush();
    if (need > this.buf.length) this.buf = Buffer.allocUnsafe(Math.max(need, CHUNK));
  }
}
