// Can this kernel close one TCP socket on request (`ss -K`)? Only when built
// with CONFIG_INET_DIAG_DESTROY: then sock_diag answers a SOCK_DESTROY for a
// socket that does not exist with ENOENT (tcp_diag_destroy found nothing);
// without it, with EOPNOTSUPP (inet_diag_cmd_exact has no destroy handler).
// Asking about a socket that cannot exist (ports 0) closes nothing and needs
// no privilege: the CAP_NET_ADMIN check comes after the lookup.

import { endianness } from 'node:os';
import { loadLibc } from '../ffi/libc.js';
import { AF_INET, AF_NETLINK, IPPROTO_TCP, NETLINK_SOCK_DIAG, NLM_F_REQUEST, NLMSG_ERROR, SO_RCVTIMEO, SOCK_CLOEXEC, SOCK_RAW, SOL_SOCKET } from './netlink.js';

const SOCK_DESTROY = 21;
const NLM_F_ACK = 0x4;
const ENOENT = 2;
const EOPNOTSUPP = 95;

/** true: `ss -K` works here; false: the kernel lacks CONFIG_INET_DIAG_DESTROY; null: could not tell. */
export async function canDestroySockets(): Promise<boolean | null> {
  if (endianness() !== 'LE') return null;
  const libc = await loadLibc();
  if (!libc) return null;
  const fd = libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) return null;
  try {
    const timeout = Buffer.alloc(16);
    timeout.writeBigInt64LE(2n, 0);
    if (libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout, timeout.length) !== 0) return null;
    // nlmsghdr (16) + struct inet_diag_req_v2 (56): family, protocol, ext, pad, states, sockid.
    const req = Buffer.alloc(16 + 56);
    req.writeUInt32LE(req.length, 0);
    req.writeUInt16LE(SOCK_DESTROY, 4);
    req.writeUInt16LE(NLM_F_REQUEST | NLM_F_ACK, 6);
    req.writeUInt32LE(1, 8);
    req.writeUInt8(AF_INET, 16);
    req.writeUInt8(IPPROTO_TCP, 17);
    req.writeUInt32LE(0xffffffff, 20); // every state
    req.writeUInt32LE(0xffffffff, 16 + 8 + 40); // idiag_cookie: INET_DIAG_NOCOOKIE
    req.writeUInt32LE(0xffffffff, 16 + 8 + 44);
    const kernel = Buffer.alloc(12);
    kernel.writeUInt16LE(AF_NETLINK, 0);
    if (libc.sendto(fd, req, req.length, 0, kernel, kernel.length) !== req.length) return null;
    const buf = Buffer.alloc(4096);
    const n = libc.recv(fd, buf, buf.length, 0);
    if (n < 20 || buf.readUInt16LE(4) !== NLMSG_ERROR) return null;
    const error = -buf.readInt32LE(16);
    return error === ENOENT ? true : error === EOPNOTSUPP ? false : null;
  } finally {
    libc.close(fd);
  }
}
