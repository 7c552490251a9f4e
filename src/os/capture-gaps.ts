// What a capture from each OS cannot tell bind, in the words of notJudged,
// with the command that would tell it where there is one. Kept beside the
// backends (as remedies.ts keeps the fixes), so the probe stays free of OS
// switches.

import type { NetshList } from './parse/netsh.js';
import { EPHEMERAL_RANGE_COMMAND, type EphemeralRange, type OsName } from './port-ranges.js';

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

/**
 * Whether an excluded range covers a TCP port, when a Windows paste holds no
 * TCP list that answers it (null when one does). Windows keeps one list per
 * transport protocol, IPv4 and IPv6 alike: Microsoft's reservation API
 * (CreatePersistentTcpPortReservation and its Udp twin,
 * SIO_ACQUIRE_PORT_RESERVATION's INET_PORT_RANGE) takes a protocol and a
 * port block, never an address family, so `netsh int ipv6 ...
 * protocol=tcp` answers for an IPv4 listen too. A UDP list says nothing of
 * TCP ports (a user trial: OK for TCP from a UDP list alone), and a list
 * pasted without its title line does not say its protocol.
 */
export function excludedRangeGap(port: number, lists: readonly NetshList[]): string | null {
  const excluded = lists.filter((l) => l.kind === 'netsh-excludedportrange');
  if (excluded.some((l) => l.protocol === 'tcp')) return null;
  const ask = `whether a Windows excluded port range covers port ${port}`;
  if (excluded.length === 0) return `${ask}: the input holds no \`${EXCLUDED_TCP_COMMAND}\` output`;
  const held = [
    ...(excluded.some((l) => l.protocol === 'udp') ? ['the UDP list (protocol=udp), which says nothing of TCP ports'] : []),
    ...(excluded.some((l) => l.protocol === null) ? ['a list without the title line that names its protocol'] : []),
  ];
  return `${ask}: the input holds only ${held.join(' and ')}; add \`${EXCLUDED_TCP_COMMAND}\` output`;
}

const EXCLUDED_TCP_COMMAND = 'netsh int ipv4 show excludedportrange protocol=tcp';

/**
 * A Windows paste whose only dynamic port ranges are UDP's: TCP draws from
 * its own range (`netsh ... set dynamicport tcp` moves only that one), so the
 * TCP default is assumed, as for a paste without any range, and said.
 */
export function udpOnlyRangeNote(os: OsName, udp: readonly EphemeralRange[], assumed: EphemeralRange): string {
  const ranges = [...new Set(udp.map((e) => `${e.start}-${e.end}`))].join(', ');
  return `the input holds only the UDP dynamic port range (${ranges}), and TCP draws from its own: the ${os} default ${assumed.start}-${assumed.end} is assumed for TCP (add \`${EPHEMERAL_RANGE_COMMAND[os]}\` output)`;
}

const ADDRESS_COMMAND: Record<OsName, string> = { linux: 'ip -br addr', win32: 'ipconfig', darwin: 'ifconfig', freebsd: 'ifconfig' };

/**
 * A specific address asked about (--host) that no socket of the paste is
 * on: a socket table lists sockets, not the host's addresses, so a listen
 * there may fail with EADDRNOTAVAIL. Null for the loopback addresses every
 * host of the OS has: ::1 and 127.0.0.1, and all of 127.0.0.0/8 on Linux and
 * Windows (both route the whole block to loopback; macOS and FreeBSD
 * configure only 127.0.0.1 on lo0). `v4`: the address's IPv4 form, if any.
 */
export function hostAddressGap(os: OsName | null, address: string, v4: string | null): string | null {
  if (v4 === '127.0.0.1' || (v4 === null && /^(?:0{0,4}:){2,7}0{0,3}1$/.test(address.toLowerCase()))) return null;
  if (v4?.startsWith('127.') && (os === 'linux' || os === 'win32')) return null;
  const check = os ? `\`${ADDRESS_COMMAND[os]}\`` : '`ip -br addr`, `ipconfig` or `ifconfig`';
  return `whether ${address} is an address of the captured host: a socket table does not list the host's addresses, and no socket in this one is on ${address}; a listen on an address the host does not have fails with EADDRNOTAVAIL (check with ${check} on that host)`;
}

const OWNERS_COMMAND: Record<OsName, string> = { win32: 'netstat -ano', linux: 'sudo ss -tanp', darwin: 'sudo lsof -nP -iTCP', freebsd: 'sockstat -46 -P tcp' };

/** Why a captured socket has no owner when its table has no PID column, and the capture that names it. */
export function ownerNotCapturedWords(os: OsName | null): string {
  const command = os ? `\`${OWNERS_COMMAND[os]}\`` : '`netstat -ano`, `sudo ss -tanp` or `sudo lsof -nP -iTCP`';
  return `its owner is not in the capture: the socket table has no PID column, which ${command} adds`;
}
