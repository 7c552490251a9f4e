// Keepalive on Windows, where Node gives no socket descriptor (its handle's fd
// is -1): nothing can be set or read through FFI, so tcpdiag says what a
// socket gets instead of verifying it (OS-FACTS.md "Keepalive"):
//  - Node 24.19+ / 26.4+ take setKeepAlive(enable, idle, interval, count)
//    (libuv sets TCP_KEEPIDLE/INTVL/CNT; Windows 10 1709 and later);
//  - older Node sets SO_KEEPALIVE and the idle time only. libuv 1.52 and
//    later then set interval 1 s and count 10 themselves (Windows 10 1709+);
//    before it, the socket runs with the system KeepAliveInterval (registry,
//    1 s when absent) and 10 probes, fixed from Vista on (SIO_KEEPALIVE_VALS
//    remarks).

import type { KeepaliveDefaults, KeepaliveWithoutDescriptor } from '../backend.js';
import { WINDOWS_KEEPALIVE_PROBES } from './tcpip-values.js';

const NO_READ_BACK = 'Node gives no socket descriptor on Windows, so the values the socket holds cannot be read back';

/** Whether a dotted version ("1.46.0") is at least major.minor. */
export function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

/** `defaults`: the registry's keepalive defaults, or why they could not be read. */
export function windowsKeepalive(uvVersion: string, defaults: KeepaliveDefaults | { unreadable: string }): KeepaliveWithoutDescriptor {
  if (versionAtLeast(uvVersion, 1, 52)) {
    return { idleOnly: { intervalS: 1, count: WINDOWS_KEEPALIVE_PROBES, source: `interval 1 s and 10 probes, which libuv ${uvVersion} sets with the idle time (Windows 10 1709 and later)` }, noReadBack: NO_READ_BACK };
  }
  const said = 'unreadable' in defaults ? undefined : defaults.from?.find((f) => f.startsWith('KeepAliveInterval'));
  const interval = 'unreadable' in defaults ? { s: 1, why: `the documented default 1 s: KeepAliveInterval could not be read (${defaults.unreadable})` } : { s: defaults.intervalS, why: said ?? `KeepAliveInterval ${defaults.intervalS} s` };
  return {
    idleOnly: { intervalS: interval.s, count: WINDOWS_KEEPALIVE_PROBES, source: `the system interval (${interval.why}) and 10 probes (fixed from Windows Vista on), as libuv ${uvVersion} sets only the idle time` },
    noReadBack: NO_READ_BACK,
  };
}
