// sock_diag records written as JSON rows straight from their bytes: byte for
// byte what the row writer (report/socket-rows-json.ts) writes for the same
// rows (test/live/sock-diag.test.ts). Going through the row view decodes a
// field on every read and asks for the state five times per row; this decodes
// each once, and on 100,000 records takes half the time (bench/busy-host.mjs).

import { ByteWriter, type ChunkWriter } from '../../report/byte-writer.js';
import { headPiece, IN_ACCEPT_QUEUE, K, nobodyPiece, remotePiece, rowLeads, statePiece, whoPiece } from '../../report/socket-rows-json.js';
import { AF_INET6, DPORT, DST, FAMILY, INET_DIAG_MSG_LEN, INODE, retransmitsAt, RQUEUE, SPORT, SRC, STATE, u16be, UID, WQUEUE } from './inet-diag-msg.js';
import { waitsInAcceptQueue } from '../sockets.js';
import type { Family } from '../port-ranges.js';
import { OWNER_STATUSES, type RecordOwners } from './sock-diag-owners.js';
import { LINUX_TCP_STATES } from '../tcp-states.js';

/** What the writer reads of a SockDiagRecords, by shape: sock-diag-records.ts imports this module, so this one does not import it. */
export interface RecordBytes {
  readonly buf: Buffer;
  readonly words: Uint32Array;
  readonly length: number;
  listeningPorts(): ReadonlySet<number>;
  address(o: number, family: Family): string;
  /** Owners of the records, once looked up; null: not collected. */
  readonly owners: RecordOwners | null;
}

export function writeRecordsJson(t: RecordBytes, indent: string, write: ChunkWriter): void {
  const out = new ByteWriter(write);
  const [lead, nextLead] = rowLeads(indent);
  const b = t.buf;
  const w = t.words;
  const listening = t.listeningPorts();
  // Pieces by the address they hold: IPv4 by its value (a number), IPv6 by its hex (a string).
  const heads = new Map<number | string, Uint8Array>();
  const remotes = new Map<number | string, Uint8Array>();
  const pieceAt = (cache: Map<number | string, Uint8Array>, at: number, v6: boolean, make: (address: string) => Uint8Array) => {
    const key = v6 ? b.toString('hex', at, at + 16) : (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
    let piece = cache.get(key);
    if (piece === undefined) cache.set(key, (piece = make(t.address(at, v6 ? 'ipv6' : 'ipv4'))));
    return piece;
  };
  const head4 = (address: string) => headPiece('ipv4', address);
  const head6 = (address: string) => headPiece('ipv6', address);
  // A row without a process: state, pid, process and owner in one piece per state and owner status.
  const nobody = LINUX_TCP_STATES.map((state) => (state ? OWNER_STATUSES.map((status) => nobodyPiece(state, status)) : []));
  // A row with a process: state, pid, process and owner in one piece per state and pid (a busy host has few owners).
  const owners = t.owners;
  const owned = new Map<number, Uint8Array>();
  const ownedPiece = (state: number, pid: number) => {
    const key = pid * 16 + state;
    let piece = owned.get(key);
    if (piece === undefined) {
      const who = whoPiece(owners!.names.get(pid) ?? null, 'found');
      const head = statePiece(LINUX_TCP_STATES[state]!);
      owned.set(key, (piece = Buffer.concat([head, Buffer.from(String(pid)), who])));
    }
    return piece;
  };
  for (let i = 0, o = 0; i < t.length; i++, o += INET_DIAG_MSG_LEN) {
    out.raw(i === 0 ? lead : nextLead);
    const v6 = b[o + FAMILY] === AF_INET6;
    out.raw(pieceAt(heads, o + SRC, v6, v6 ? head6 : head4));
    const localPort = u16be(b, o + SPORT);
    out.num(localPort);
    out.raw(pieceAt(remotes, o + DST, v6, remotePiece));
    out.num(u16be(b, o + DPORT));
    const state = b[o + STATE]!;
    const pid = owners ? owners.pid[i]! : 0;
    if (pid === 0) out.raw(nobody[state]![owners ? owners.status[i]! : 0]!);
    else {
      out.raw(ownedPiece(state, pid));
      const others = owners!.otherOwnersOf(i);
      if (others) {
        out.raw(K.otherOwners);
        out.json(others);
      }
    }
    const inode = w[(o + INODE) >> 2]!;
    if (LINUX_TCP_STATES[state] === 'LISTEN') {
      // The accept queue and its limit (sk_max_ack_backlog), as the row view reads them.
      out.raw(K.acceptQueue);
      out.num(w[(o + RQUEUE) >> 2]!);
      out.raw(K.max);
      out.num(w[(o + WQUEUE) >> 2]!);
      out.raw(K.close);
    } else {
      out.numField(K.recvQ, w[(o + RQUEUE) >> 2]!);
      out.numField(K.sendQ, w[(o + WQUEUE) >> 2]!);
      if (waitsInAcceptQueue(LINUX_TCP_STATES[state]!, inode, localPort, listening)) out.raw(IN_ACCEPT_QUEUE);
    }
    out.numField(K.inode, inode);
    out.numField(K.uid, w[(o + UID) >> 2]!);
    out.numField(K.retransmits, retransmitsAt(b, o));
    out.raw(K.close);
  }
  out.flush();
}
