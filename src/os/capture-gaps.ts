// What a capture from each OS cannot tell bind, in the words of notJudged,
// with the command that would tell it where there is one. Kept beside the
// backends (as remedies.ts keeps the fixes), so the probe stays free of OS
// switches.

import type { OsName } from './port-ranges.js';

/** Why captured TIME_WAIT sockets come without their time left, and what shows it. */
export function timeWaitTimersGap(os: OsName | null): string {
  const hint = os === 'linux' ? ' (ss -tano would show them)' : os === 'win32' ? ' (Windows tools do not show them; the TcpTimedWaitDelay registry value bounds them)' : '';
  return `captured output carries no timers${hint}`;
}

/**
 * A port below 1024 in a Linux capture without ip_unprivileged_port_start:
 * whether the server may listen there at all is not in the paste. Null
 * elsewhere (the BSDs' and Windows' rules are told from their own settings).
 */
export function privilegedPortGap(os: OsName | null, port: number): string | null {
  if (os !== 'linux' || port >= 1024) return null;
  return `whether the server may listen on port ${port} at all: below 1024 only root or a program with CAP_NET_BIND_SERVICE may, unless ip_unprivileged_port_start is lower; the input holds neither (add sysctl net.ipv4.ip_unprivileged_port_start, and say which user runs the server)`;
}

/** Linux's bind rules changed over versions (explain/bind-conflict-linux.ts follows 6.8+); a capture does not say which kernel printed it. */
export const LINUX_KERNEL_GAP =
  'which Linux kernel printed the capture: it does not say; the answer follows Linux 6.8 and later, and older kernels judge some listens next to connections, TIME_WAIT, IPv6 and IPv4-mapped sockets otherwise';

/** What a captured answer assumes of the listen it did not attempt: the options libuv sets on this OS. */
export function assumedListenGap(os: OsName): string {
  return `whether a listen would succeed: nothing was attempted; the answer assumes ${os === 'win32' ? 'a Node listen (no socket option, as libuv sets none on Windows)' : 'a Node listen (SO_REUSEADDR, as libuv sets it before every bind on Unix)'}`;
}
