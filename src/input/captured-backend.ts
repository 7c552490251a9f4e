// An OS backend made of captured output (doctor --from): what a customer
// pasted stands in for the host. Each capability answers from the files that
// hold it; one the files do not hold is "could not run" with what to capture,
// so doctor's checks say exactly which output would let them run.

import { UNIX_BIND, WIN32_BIND, type OsBackend } from '../os/backend.js';
import { combinePortRanges, ephemeral, type OsName } from '../os/port-ranges.js';
import { DEFAULT_EPHEMERAL } from '../os/remedies.js';
import type { SocketTable } from '../os/sockets.js';
import { CannotRunError } from '../report/errors.js';
import type { CapturedPart } from './parse-captured.js';

const REGISTRY = 'Windows keeps this setting in the registry, which tcpdiag does not read yet';

/** The source of an ephemeral range assumed for lack of one in the files. */
export function isAssumedRange(e: { source: string }): boolean {
  return e.source.endsWith('(assumed)');
}

export function createCapturedBackend(os: OsName, parts: readonly CapturedPart[]): OsBackend {
  const tables = parts.flatMap((p) => (p.kind === 'table' ? [{ file: p.file, table: p.table }] : []));
  const ranges = parts.flatMap((p) => (p.kind === 'ranges' ? [p.ranges] : []));
  // Later files win, as later lines do within one file.
  const settings = new Map(parts.flatMap((p) => (p.kind === 'settings' ? [...p.values] : [])));
  const setting = (...keys: string[]) => keys.map((k) => settings.get(k)).find((v) => v !== undefined);
  return {
    os,
    bindSemantics: os === 'win32' ? WIN32_BIND : UNIX_BIND,
    async readPortRanges() {
      const out = { ...combinePortRanges(ranges), os };
      // As `sockets --from` does: without the host's range, its OS's default is assumed, and said.
      if (out.ephemeral.length === 0) {
        const d = DEFAULT_EPHEMERAL[os];
        out.ephemeral.push(ephemeral(d.start, d.end, `${os} default (assumed)`));
        out.readFrom.push(`the ${os} default ephemeral range ${d.start}-${d.end} (assumed: the files hold none)`);
      }
      return out;
    },
    async readSocketTable() {
      if (tables.length === 0) throw new CannotRunError('the captured files hold no socket table (add netstat -ano, ss -tanp or similar)');
      const table: SocketTable = { rows: tables.flatMap((t) => t.table.rows), readFrom: tables.map((t) => t.file), notes: tables.flatMap((t) => t.table.notes) };
      return table;
    },
    async readListenCounters() {
      throw new CannotRunError('captured output holds no overflow counters (they are sampled live)');
    },
    async readKeepaliveDefaults() {
      if (os === 'win32') throw new CannotRunError(REGISTRY);
      const linux = [setting('net.ipv4.tcp_keepalive_time'), setting('net.ipv4.tcp_keepalive_intvl'), setting('net.ipv4.tcp_keepalive_probes')];
      if (linux.every((v) => v !== undefined)) return { idleS: linux[0]!, intervalS: linux[1]!, count: linux[2]! };
      // macOS and FreeBSD give milliseconds.
      const bsd = [setting('net.inet.tcp.keepidle'), setting('net.inet.tcp.keepintvl'), setting('net.inet.tcp.keepcnt')];
      if (bsd.every((v) => v !== undefined)) return { idleS: bsd[0]! / 1000, intervalS: bsd[1]! / 1000, count: bsd[2]! };
      throw new CannotRunError('the captured files hold no keepalive settings (add sysctl net.ipv4.tcp_keepalive_time net.ipv4.tcp_keepalive_intvl net.ipv4.tcp_keepalive_probes, or sysctl net.inet.tcp.keepidle net.inet.tcp.keepintvl net.inet.tcp.keepcnt)');
    },
    async readBacklogSettings() {
      if (os === 'win32') throw new CannotRunError(REGISTRY);
      const somaxconn = setting('net.core.somaxconn', 'kern.ipc.somaxconn', 'kern.ipc.soacceptqueue');
      if (somaxconn === undefined) throw new CannotRunError('the captured files hold no somaxconn (add sysctl net.core.somaxconn, or sysctl kern.ipc.somaxconn)');
      return { somaxconn };
    },
  };
}
