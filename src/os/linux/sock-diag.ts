// Linux socket table through netlink sock_diag (linux/inet_diag.h), the
// binary interface `ss` uses: the kernel hands over fixed-size records
// instead of formatting /proc/net/tcp as text, which on a host with 100,000
// sockets takes about as long as all of `ss -tan` (bench/busy-host.mjs). It also
// reports each listener's backlog limit, which procfs does not show.
// Needs koffi (optional); null when koffi or netlink sock_diag is unavailable.

import { endianness } from 'node:os';
import { libcUnavailableReason, loadLibc, type Libc } from '../ffi/libc.js';
import { INET_DIAG_MSG_LEN } from './inet-diag-msg.js';
import { AF_INET, AF_NETLINK, IPPROTO_TCP, NETLINK_SOCK_DIAG, NLM_F_REQUEST, NLMSG_ERROR, SO_RCVTIMEO, SOCK_CLOEXEC, SOCK_RAW, SOL_SOCKET } from './netlink.js';
import { SockDiagRecords } from './sock-diag-records.js';
import { bytecodeOf, stateMaskOf, type SockDiagQuery } from './sock-diag-query.js';

const AF_INET6 = 10;
const TCPDIAG_GETSOCK = 18;
const SOCK_DIAG_BY_FAMILY = 20;
const NLM_F_DUMP = 0x300;
const NLMSG_DONE = 3;
const NLMSG_HDRLEN = 16;
const RECV_BUFFER = 1 << 20;
const INET_DIAG_REQ_BYTECODE = 1;
const NLA_HDRLEN = 4;

/**
 * How to ask. The original request (TCPDIAG_GETSOCK, struct inet_diag_req)
 * has the kernel walk its socket hash once for IPv4 and IPv6 together; the
 * newer one (SOCK_DIAG_BY_FAMILY) takes a walk per family, and each walk
 * visits every socket of every namespace: with 100,000 sockets the second
 * walk costs about 30 ms even when it finds nothing. A kernel that refuses
 * the original request is asked the newer way.
 */
export type SockDiagRequest = 'one-walk' | 'per-family';

/**
 * The TCP socket table from the kernel, or the reason this way is closed.
 * With a query, only the sockets it asks for (states, ports): the kernel
 * filters them (os/linux/sock-diag-query.ts). `expected`: about how many
 * records will come, to make room for them at once.
 */
export async function readSockDiag(how?: SockDiagRequest, query?: SockDiagQuery, expected?: number): Promise<{ records: SockDiagRecords } | { unavailable: string }> {
  // Netlink headers and inet_diag_msg fields are in host byte order; this reads them little-endian.
  if (endianness() !== 'LE') return { unavailable: 'netlink parsing here assumes a little-endian host' };
  const libc = await loadLibc();
  if (!libc) return { unavailable: libcUnavailableReason() };
  const fd = libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) return { unavailable: `netlink sock_diag socket failed (errno ${libc.errno()})` };
  try {
    // A kernel that never answered would block this thread: each read is bounded at 5 s.
    const timeout = Buffer.alloc(16);
    timeout.writeBigInt64LE(5n, 0);
    if (libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout, timeout.length) !== 0) {
      return { unavailable: `could not bound the netlink read (setsockopt errno ${libc.errno()})` };
    }
    if (how !== 'per-family') {
      const records = new SockDiagRecords(expected);
      const failed = dump(libc, fd, oneWalkRequest(query), TCPDIAG_GETSOCK, records);
      if (!failed) return { records };
      // Only a refusal is worth asking again: a timeout would just repeat.
      if (how === 'one-walk' || !failed.refused) return { unavailable: failed.message };
    }
    const records = new SockDiagRecords(expected);
    for (const family of [AF_INET, AF_INET6]) {
      const failed = dump(libc, fd, perFamilyRequest(family, query), SOCK_DIAG_BY_FAMILY, records);
      if (failed) return { unavailable: failed.message };
    }
    return { records };
  } finally {
    libc.close(fd);
  }
}

/** A dump request: header, `payload` bytes of request struct, then the query's bytecode as an attribute. */
function request(type: number, payload: number, seq: number, query: SockDiagQuery | undefined): Buffer {
  const bc = bytecodeOf(query);
  // Both request structs are 4-byte aligned (60 and 56 bytes), so the attribute follows directly.
  const req = Buffer.alloc(NLMSG_HDRLEN + payload + (bc ? NLA_HDRLEN + bc.length : 0));
  req.writeUInt32LE(req.length, 0);
  req.writeUInt16LE(type, 4);
  req.writeUInt16LE(NLM_F_REQUEST | NLM_F_DUMP, 6);
  req.writeUInt32LE(seq, 8);
  if (bc) {
    const at = NLMSG_HDRLEN + payload;
    req.writeUInt16LE(NLA_HDRLEN + bc.length, at);
    req.writeUInt16LE(INET_DIAG_REQ_BYTECODE, at + 2);
    bc.copy(req, at + NLA_HDRLEN);
  }
  return req;
}

/** struct inet_diag_req: family (ignored: both), lengths, ext, sockid (48 bytes), states, dbs. */
function oneWalkRequest(query: SockDiagQuery | undefined): Buffer {
  const req = request(TCPDIAG_GETSOCK, 60, 1, query);
  req.writeUInt32LE(stateMaskOf(query), NLMSG_HDRLEN + 52);
  return req;
}

/** struct inet_diag_req_v2: family, protocol, ext, pad, states, sockid. */
function perFamilyRequest(family: number, query: SockDiagQuery | undefined): Buffer {
  const req = request(SOCK_DIAG_BY_FAMILY, 56, family, query);
  req.writeUInt8(family, NLMSG_HDRLEN);
  req.writeUInt8(IPPROTO_TCP, NLMSG_HDRLEN + 1);
  req.writeUInt32LE(stateMaskOf(query), NLMSG_HDRLEN + 4);
  return req;
}

interface DumpFailure {
  message: string;
  /** The kernel answered with an error (it does not know the request), rather than failing to answer. */
  refused: boolean;
}

/**
 * Sends one dump request and reads every answer (records come as
 * `answerType`); null when the dump is complete. Answers to an earlier
 * request on the same socket (one that failed halfway) are told apart by
 * their sequence number and skipped.
 */
function dump(libc: Libc, fd: number, req: Buffer, answerType: number, records: SockDiagRecords): DumpFailure | null {
  const failure = (message: string, refused = false) => ({ message, refused });
  const seq = req.readUInt32LE(8);
  const kernel = Buffer.alloc(12);
  kernel.writeUInt16LE(AF_NETLINK, 0);
  if (libc.sendto(fd, req, req.length, 0, kernel, kernel.length) !== req.length) return failure(`netlink send failed (errno ${libc.errno()})`);
  const buf = Buffer.allocUnsafe(RECV_BUFFER);
  const words = new Uint32Array(buf.buffer, buf.byteOffset, buf.length / 4);
  for (;;) {
    const n = libc.recv(fd, buf, buf.length, 0);
    if (n <= 0) return failure(`netlink recv failed (errno ${libc.errno()})`);
    for (let off = 0; off + NLMSG_HDRLEN <= n; ) {
      const len = buf.readUInt32LE(off);
      const type = buf.readUInt16LE(off + 4);
      if (len < NLMSG_HDRLEN || off + len > n) return failure('netlink answer is malformed');
      if (buf.readUInt32LE(off + 8) === seq) {
        if (type === NLMSG_DONE) return null;
        if (type === NLMSG_ERROR) return failure(`netlink sock_diag refused the dump (error ${-buf.readInt32LE(off + NLMSG_HDRLEN)})`, true);
        if (type === answerType && len >= NLMSG_HDRLEN + INET_DIAG_MSG_LEN) records.add(buf, words, off + NLMSG_HDRLEN);
      }
      off += (len + 3) & ~3; // NLMSG_ALIGN
    }
  }
}
