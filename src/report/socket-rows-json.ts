// Socket rows as JSON bytes, one row per line. On a host with 100,000 sockets
// `sockets --json` writes 25 MB of rows, and JSON.stringify of them was a
// third of the command's time (bench/busy-host.mjs). Rows have one known shape and
// their strings (addresses, states, process names) repeat, so each distinct
// string is encoded once and a row is copied together from ready-made bytes.
// The document means exactly what JSON.stringify(rows) means
// (test/unit/write-json.test.ts); keys come in the order listed below.

import type { RowStream, SocketRow } from '../os/sockets.js';
import { ByteWriter, type ChunkWriter } from './byte-writer.js';

/** Every key a row can have, in the order they are written (a key missing here fails tsc). */
type Written = 'protocol' | 'family' | 'local' | 'remote' | 'state' | 'pid' | 'process' | 'owner' | 'otherOwners' | 'acceptQueue' | 'recvQ' | 'sendQ' | 'inAcceptQueue' | 'inode' | 'uid' | 'user' | 'retransmits';
type AllWritten<T extends true> = T;
export type SocketRowKeysAllWritten = AllWritten<[Exclude<keyof SocketRow, Written>] extends [never] ? true : false>;

const bytes = (s: string) => Buffer.from(s, 'utf8');
/** The fixed pieces of a row, also for writers of other row sources (os/linux/sock-diag-json.ts). */
export const K = {
  port: bytes(',"port":'),
  otherOwners: bytes(',"otherOwners":'),
  acceptQueue: bytes(',"acceptQueue":{"length":'),
  max: bytes(',"max":'),
  recvQ: bytes(',"recvQ":'),
  sendQ: bytes(',"sendQ":'),
  inAcceptQueue: bytes(',"inAcceptQueue":'),
  inode: bytes(',"inode":'),
  uid: bytes(',"uid":'),
  user: bytes(',"user":'),
  retransmits: bytes(',"retransmits":'),
  close: bytes('}'),
  addressIsName: bytes(',"addressIsName":true'),
  addressCut: bytes(',"addressCut":true'),
};

/**
 * Writes `rows` as the elements of a JSON array (without the brackets): each
 * row on its own line after `indent`, rows separated by commas, in chunks of
 * about 1 MB.
 */
export function writeSocketRowsJson(rows: RowStream, indent: string, write: ChunkWriter): void {
  const out = new ByteWriter(write);
  const pieces = new RowPieces();
  const [first, next] = rowLeads(indent);
  let lead = first;
  rows.forEach((r) => {
    out.raw(lead);
    lead = next;
    writeRow(out, pieces, r);
  });
  out.flush();
}

/** What comes before the first row, and before each further row. */
export function rowLeads(indent: string): [Uint8Array, Uint8Array] {
  return [bytes(`\n${indent}`), bytes(`,\n${indent}`)];
}

const TRUE = bytes('true');
const FALSE = bytes('false');
export const IN_ACCEPT_QUEUE = bytes(',"inAcceptQueue":true');

// The runs of text between a row's numbers, by what they depend on.

/** `{"protocol":"tcp","family":F,"local":{"address":A,"port":` (protocol is always tcp) */
export const headPiece = (family: SocketRow['family'], address: string) =>
  bytes(`{"protocol":"tcp","family":${JSON.stringify(family)},"local":{"address":${JSON.stringify(address)},"port":`);

/** `},"remote":{"address":A,"port":` */
export const remotePiece = (address: string) => bytes(`},"remote":{"address":${JSON.stringify(address)},"port":`);

/** `},"state":S,"pid":null,"process":null,"owner":O`: a row without a process, in one piece. */
export const nobodyPiece = (state: string, owner: string) =>
  bytes(`},"state":${JSON.stringify(state)},"pid":null,"process":null,"owner":${JSON.stringify(owner)}`);

/** `},"state":S,"pid":` (a pid follows) */
export const statePiece = (state: string) => bytes(`},"state":${JSON.stringify(state)},"pid":`);

/** `,"process":P,"owner":O` */
export const whoPiece = (process: string | null, owner: string) => bytes(`,"process":${JSON.stringify(process)},"owner":${JSON.stringify(owner)}`);

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

  headOf(r: SocketRow): Uint8Array {
    return cached(this.head[r.family], r.local.address, () => headPiece(r.family, r.local.address));
  }

  remoteOf(address: string): Uint8Array {
    return cached(this.remote, address, () => remotePiece(address));
  }

  /** `},"state":S,"pid":` */
  stateOf(state: string): Uint8Array {
    return cached(this.state, state, () => statePiece(state));
  }

  nobodyOf(state: string, owner: string): Uint8Array {
    let byOwner = this.nobody.get(state);
    if (byOwner === undefined) this.nobody.set(state, (byOwner = new Map()));
    return cached(byOwner, owner, () => nobodyPiece(state, owner));
  }

  /** `,"process":P,"owner":O` */
  whoOf(process: string | null, owner: string): Uint8Array {
    let byOwner = this.who.get(process);
    if (byOwner === undefined) this.who.set(process, (byOwner = new Map()));
    return cached(byOwner, owner, () => whoPiece(process, owner));
  }
}

function cached<K>(map: Map<K, Uint8Array>, key: K, piece: () => Uint8Array): Uint8Array {
  let b = map.get(key);
  if (b === undefined) map.set(key, (b = piece()));
  return b;
}

/** An endpoint's optional flags, after its port (where JSON.stringify puts them: parsers build endpoints address, port, flags). */
function writeAddressFlags(out: ByteWriter, e: SocketRow['local']): void {
  if (e.addressIsName) out.raw(K.addressIsName);
  if (e.addressCut) out.raw(K.addressCut);
}

function writeRow(out: ByteWriter, pieces: RowPieces, r: SocketRow): void {
  out.raw(pieces.headOf(r));
  out.num(r.local.port);
  writeAddressFlags(out, r.local);
  out.raw(pieces.remoteOf(r.remote.address));
  out.num(r.remote.port);
  writeAddressFlags(out, r.remote);
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
    out.raw(r.inAcceptQueue ? TRUE : FALSE);
  }
  out.numField(K.inode, r.inode);
  out.numField(K.uid, r.uid);
  if (r.user !== undefined) {
    out.raw(K.user);
    out.json(r.user);
  }
  out.numField(K.retransmits, r.retransmits);
  out.raw(K.close);
}
