// BSD/macOS `sysctl` output: "name: value" lines (FreeBSD also "name=value"
// in sysctl.conf style), shell prompts and other text ignored. `sysctl -w
// name=value` prints "name: old -> new"; the new value is the one in force.
// When a paste holds several runs, the last value of a name wins.

import type { OsName } from '../port-ranges.js';
import { splitLines } from './text.js';

const LINE = /^([a-z][\w.]*)\s*[:=]\s*(?:-?\d+\s*->\s*)?(-?\d+)$/;

/** Every numeric sysctl value in the text, by name (a value too large to be true is left out). */
export function parseSysctlValues(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of splitLines(text)) {
    const m = readSysctlLine(line);
    if (m && Number.isSafeInteger(m.value)) values.set(m.name, m.value);
  }
  return values;
}

/** One "name: value" / "name = value" / "name: old -> new" line, or null. */
export function readSysctlLine(line: string): { name: string; value: number; text: string } | null {
  const m = LINE.exec(line.trim());
  return m ? { name: m[1]!, value: Number(m[2]), text: m[2]! } : null;
}

/** The host settings tcpdiag reads from sysctl output, by the OS whose names they are. */
export const HOST_SETTING_KEYS: Readonly<Record<string, OsName>> = {
  'net.ipv4.tcp_keepalive_time': 'linux',
  'net.ipv4.tcp_keepalive_intvl': 'linux',
  'net.ipv4.tcp_keepalive_probes': 'linux',
  'net.core.somaxconn': 'linux',
  'net.inet.tcp.keepidle': 'darwin',
  'net.inet.tcp.keepintvl': 'darwin',
  'net.inet.tcp.keepcnt': 'darwin',
  'kern.ipc.somaxconn': 'darwin',
  // FreeBSD 10 renamed kern.ipc.somaxconn (the old name stays as an alias).
  'kern.ipc.soacceptqueue': 'freebsd',
};

/** Keepalive defaults in seconds: Linux names give seconds, macOS/FreeBSD names milliseconds. Null unless all three are there. */
export function keepaliveFromSysctl(values: ReadonlyMap<string, number>): { idleS: number; intervalS: number; count: number } | null {
  const linux = ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'].map((k) => values.get(k));
  if (linux.every((v) => v !== undefined)) return { idleS: linux[0]!, intervalS: linux[1]!, count: linux[2]! };
  const bsd = ['net.inet.tcp.keepidle', 'net.inet.tcp.keepintvl', 'net.inet.tcp.keepcnt'].map((k) => values.get(k));
  if (bsd.every((v) => v !== undefined)) return { idleS: bsd[0]! / 1000, intervalS: bsd[1]! / 1000, count: bsd[2]! };
  return null;
}

/** The listen backlog cap under any of its names, or null. */
export function somaxconnFromSysctl(values: ReadonlyMap<string, number>): number | null {
  return values.get('net.core.somaxconn') ?? values.get('kern.ipc.somaxconn') ?? values.get('kern.ipc.soacceptqueue') ?? null;
}
