// Keepalive options through libc, with each OS's constants (OS-FACTS.md
// "Keepalive"): Linux TCP_KEEPIDLE/INTVL/CNT, macOS TCP_KEEPALIVE (idle),
// TCP_KEEPINTVL, TCP_KEEPCNT. Windows gives Node no descriptor: no FFI there.

import type { KeepaliveOptions } from '../backend.js';
import { loadLibc } from './libc.js';

interface Constants {
  solSocket: number;
  soKeepalive: number;
  idle: number;
  intvl: number;
  cnt: number;
}

export const LINUX_KEEPALIVE: Constants = { solSocket: 1, soKeepalive: 9, idle: 4, intvl: 5, cnt: 6 };
export const DARWIN_KEEPALIVE: Constants = { solSocket: 0xffff, soKeepalive: 0x8, idle: 0x10, intvl: 0x101, cnt: 0x102 };
const IPPROTO_TCP = 6;

export async function keepaliveOptions(c: Constants): Promise<KeepaliveOptions | null> {
  const libc = await loadLibc();
  if (!libc) return null;
  return {
    set(fd, v) {
      const took: string[] = [];
      if (libc.setsockoptInt(fd, c.solSocket, c.soKeepalive, 1)) took.push('SO_KEEPALIVE');
      if (libc.setsockoptInt(fd, IPPROTO_TCP, c.idle, v.idleS)) took.push('idle');
      if (libc.setsockoptInt(fd, IPPROTO_TCP, c.intvl, v.intervalS)) took.push('interval');
      if (libc.setsockoptInt(fd, IPPROTO_TCP, c.cnt, v.count)) took.push('count');
      return took;
    },
    get(fd) {
      const on = libc.getsockoptInt(fd, c.solSocket, c.soKeepalive);
      const idleS = libc.getsockoptInt(fd, IPPROTO_TCP, c.idle);
      const intervalS = libc.getsockoptInt(fd, IPPROTO_TCP, c.intvl);
      const count = libc.getsockoptInt(fd, IPPROTO_TCP, c.cnt);
      if (on === null || idleS === null || intervalS === null || count === null) return null;
      return { enabled: on !== 0, idleS, intervalS, count };
    },
  };
}
