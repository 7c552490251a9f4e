// The local ports of one process's TCP sockets, so that `sockets --pid` can
// ask sock_diag for those ports alone instead of the whole table (issue #19:
// on a host with 100,000 sockets the whole dump is most of the time). The
// kernel has no filter by inode, and /proc/<pid>/fd only names inodes, so
// each socket descriptor is borrowed for a moment with pidfd_getfd(2) (Linux
// >= 5.6) and asked getsockname(2); the copy is closed at once. Borrowing
// changes nothing for the process: the socket stays open as long as any
// descriptor holds it, and closing a copy sends nothing while its own is
// open. It needs ptrace rights over the process (root, or your own process
// where Yama allows it); where they are missing, null, and the caller reads
// the whole table instead.

import { readdirSync } from 'node:fs';
import { loadKoffi } from '../ffi/libc.js';

// Syscall numbers shared by every architecture since the unified table (x86_64 and arm64 alike).
const SYS_PIDFD_OPEN = 434;
const SYS_PIDFD_GETFD = 438;
const SOL_SOCKET = 1;
const SO_PROTOCOL = 38;
const SO_DOMAIN = 39;
const AF_INET = 2;
const AF_INET6 = 10;
const IPPROTO_TCP = 6;
const EPERM = 1;

/* eslint-disable @typescript-eslint/no-explicit-any */
let calls: { syscall: any; getsockopt: any; getsockname: any; close: any; errno: () => number } | null | undefined;

function libcCalls(): typeof calls {
  if (calls !== undefined) return calls;
  calls = null;
  const k = loadKoffi();
  if (!k || process.platform !== 'linux') return calls;
  try {
    const lib = k.koffi.load('libc.so.6');
    calls = {
      syscall: lib.func('long syscall(long, long, long, long)'),
      getsockopt: lib.func('int getsockopt(int, int, int, _Out_ uint8_t *, _Inout_ uint32_t *)'),
      getsockname: lib.func('int getsockname(int, _Out_ uint8_t *, _Inout_ uint32_t *)'),
      close: lib.func('int close(int)'),
      errno: () => k.koffi.errno(),
    };
  } catch {
    calls = null;
  }
  return calls;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The local ports of `pid`'s TCP sockets, or null when its descriptors cannot be borrowed here. */
export function readProcessTcpPorts(pid: number): Set<number> | null {
  const c = libcCalls();
  if (!c) return null;
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return null;
  }
  const pidfd = Number(c.syscall(SYS_PIDFD_OPEN, pid, 0, 0));
  if (pidfd < 0) return null;
  const ports = new Set<number>();
  const int = Buffer.alloc(4);
  const intLen = [4];
  const addr = Buffer.alloc(128);
  const addrLen = [128];
  const option = (fd: number, name: number) => {
    intLen[0] = 4;
    return c.getsockopt(fd, SOL_SOCKET, name, int, intLen) === 0 ? int.readInt32LE(0) : -1;
  };
  try {
    for (const name of fds) {
      const fd = Number(c.syscall(SYS_PIDFD_GETFD, pidfd, Number(name), 0));
      if (fd < 0) {
        // EPERM: no rights over this process (other errors: the descriptor closed meanwhile).
        if (c.errno() === EPERM) return null;
        continue;
      }
      try {
        // getsockopt fails with ENOTSOCK on anything but a socket.
        const domain = option(fd, SO_DOMAIN);
        if ((domain !== AF_INET && domain !== AF_INET6) || option(fd, SO_PROTOCOL) !== IPPROTO_TCP) continue;
        addrLen[0] = addr.length;
        // sockaddr_in and sockaddr_in6 both hold the port in network order at offset 2.
        if (c.getsockname(fd, addr, addrLen) === 0) ports.add(addr.readUInt16BE(2));
      } finally {
        c.close(fd);
      }
    }
    return ports;
  } finally {
    c.close(pidfd);
  }
}
