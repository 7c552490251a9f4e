// An OS backend made of captured output (doctor --from): what a customer
// pasted stands in for the host. Each capability answers from the files that
// hold it; one the files do not hold is "could not run" with what to capture,
// so doctor's checks say exactly which output would let them run.

import type { CapturedPart } from './parts.js';
import { CannotRunError } from '../../report/errors.js';
import { UNIX_BIND, WIN32_BIND, type OsBackend, type TcpipParameters } from '../backend.js';
import { keepaliveFromSysctl, somaxconnFromSysctl } from '../parse/sysctl-values.js';
import { combinePortRanges, type OsName } from '../port-ranges.js';
import { assumedEphemeralRange } from '../remedies.js';
import type { SocketTable } from '../sockets.js';
import { keepaliveFromRegistry, locateTcpipKey } from '../windows/tcpip-values.js';
import { registryScope } from '../parse/windows-registry.js';
import { formatLines } from '../../text/words.js';

const NO_REGISTRY = 'the captured files hold no registry values (add `reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters /s` output or a .reg export of that key)';

export function createCapturedBackend(os: OsName, parts: readonly CapturedPart[]): OsBackend {
  const tables = parts.flatMap((p) => (p.kind === 'table' ? [{ file: p.file, table: p.table }] : []));
  const ranges = parts.flatMap((p) => (p.kind === 'ranges' ? [p.ranges] : []));
  // Later files win, as later lines do within one file.
  const settings = new Map(parts.flatMap((p) => (p.kind === 'settings' ? [...p.values] : [])));
  const registry = parts.filter((p) => p.kind === 'registry');
  const tcpip: TcpipParameters = {
    values: registry.flatMap((p) => (p.kind === 'registry' ? p.values : [])),
    readFrom: registry.map((p) => p.file),
    notes: [],
    captures: registry.map((p) => ({ scope: p.kind === 'registry' ? registryScope(p.command, p.values) : null, where: `${formatLines(p.lines)} of ${p.file}`, holdsTcpip: p.kind === 'registry' && p.values.some((v) => /^Interfaces?$|^Parameters$/.test(locateTcpipKey(v.key) ?? '')) })),
  };
  return {
    os,
    captured: true,
    bindSemantics: os === 'win32' ? WIN32_BIND : UNIX_BIND,
    async readPortRanges() {
      const out = { ...combinePortRanges(ranges), os };
      // As `sockets --from` does: without the host's range, its OS's default is assumed, and said.
      // Only a default-allocator range counts: a paste of hifirst/hilast alone does not say what ordinary sockets get.
      if (!out.ephemeral.some((e) => e.allocator === 'default')) {
        const assumed = assumedEphemeralRange(os);
        out.ephemeral.push(assumed);
        out.readFrom.push(`the ${os} default ephemeral range ${assumed.start}-${assumed.end} (assumed: the files hold none)`);
      }
      return out;
    },
    async readSocketTable() {
      if (tables.length === 0) throw new CannotRunError('the captured files hold no socket table (add netstat -ano, ss -tanp or similar)');
      const table: SocketTable = { rows: tables.flatMap((t) => t.table.rows), readFrom: [...new Set(tables.map((t) => t.file))], notes: tables.flatMap((t) => t.table.notes) };
      return table;
    },
    async readListenCounters() {
      throw new CannotRunError('captured output holds no overflow counters (they are sampled live)');
    },
    async readTcpipParameters() {
      if (registry.length === 0) throw new CannotRunError(NO_REGISTRY);
      return tcpip;
    },
    async readKeepaliveDefaults() {
      if (os === 'win32') {
        if (registry.length === 0) throw new CannotRunError(NO_REGISTRY);
        // A capture does not say which Windows printed it: the values are read as Vista and later read them.
        const v = keepaliveFromRegistry(tcpip, tcpip.readFrom.join(', '));
        if ('unknown' in v) throw new CannotRunError(v.unknown);
        return v;
      }
      const v = keepaliveFromSysctl(settings);
      if (!v) throw new CannotRunError('the captured files hold no keepalive settings (add sysctl net.ipv4.tcp_keepalive_time net.ipv4.tcp_keepalive_intvl net.ipv4.tcp_keepalive_probes, or sysctl net.inet.tcp.keepidle net.inet.tcp.keepintvl net.inet.tcp.keepcnt)');
      return v;
    },
    async readBacklogSettings() {
      if (os === 'win32') throw new CannotRunError('Windows has no setting that caps listen() backlogs');
      const somaxconn = somaxconnFromSysctl(settings);
      if (somaxconn === null) throw new CannotRunError('the captured files hold no somaxconn (add sysctl net.core.somaxconn, or sysctl kern.ipc.somaxconn)');
      return { somaxconn };
    },
  };
}
