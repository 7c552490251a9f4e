// Linux backend. Mechanisms: /proc/sys/net/ipv4/* for port settings;
// netlink sock_diag for sockets (through koffi), else /proc/net/tcp{,6};
// /proc/<pid>/fd for owners; /proc/net/netstat for counters. All readable
// without root (owners of other users' sockets excepted) and present in
// minimal containers where `ss`, `netstat` and `sysctl` are not. Values are per network namespace: what this
// reads is the namespace the process runs in.

import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { UNIX_BIND, type OsBackend } from './backend.js';
import { resolveLinuxOwners } from './linux-owners.js';
import { readSockDiag } from './linux-sock-diag.js';
import { canDestroySockets } from './linux-sock-destroy.js';
import { readLinuxTimeWaitTimers } from './linux-time-wait.js';
import { readLinuxBacklogSettings } from './linux-backlog-settings.js';
import { keepaliveOptions, LINUX_KEEPALIVE } from './keepalive-ffi.js';
import { applyLinuxSetting, LINUX_KEYS } from './parse/linux-port-settings.js';
import { parseProcNetNetstat } from './parse/proc-net-netstat.js';
import { HOST_IS_LITTLE_ENDIAN, parseProcNetTcp } from './parse/procfs-tcp.js';
import { emptyPortRanges, type PortRanges } from './port-ranges.js';
import { emptySocketTable, type SocketTable } from './sockets.js';
import { CannotRunError } from '../report/errors.js';
import { plural } from '../explain/words.js';
import { liveParse } from './live-parse.js';
import { loadLibc } from './ffi/libc.js';
import { parseTrackedAttempts } from './parse/nf-conntrack.js';

const IPPROTO_TCP = 6;
const TCP_USER_TIMEOUT = 18;

const SYSCTL_DIR = '/proc/sys/net/ipv4';

export function createLinuxBackend(): OsBackend {
  // Why sock_diag is closed here, once known: asking again (the compact
  // table first, then the row table) would only pay its timeout twice.
  let sockDiagClosed: string | undefined;
  const sockDiag = async (): ReturnType<typeof readSockDiag> => {
    if (sockDiagClosed !== undefined) return { unavailable: sockDiagClosed };
    const diag = await readSockDiag();
    if ('unavailable' in diag) sockDiagClosed = diag.unavailable;
    return diag;
  };
  return {
    os: 'linux',
    bindSemantics: UNIX_BIND,
    readPortRanges,
    async readSocketTable() {
      const diag = await sockDiag();
      if ('records' in diag) return { rows: diag.records.toRows(), readFrom: [diag.records.source], notes: [] };
      const table = readProcNetTcp();
      table.notes.push(`read /proc/net/tcp instead of netlink sock_diag (${diag.unavailable}): slower on busy hosts, and listeners' backlog limits are unknown`);
      return table;
    },
    async readCompactSocketTable() {
      const diag = await sockDiag();
      return 'records' in diag ? diag.records : null;
    },
    async resolveOwners(rows, onlyPid) {
      const { hiddenPids, unseen } = await resolveLinuxOwners(rows, { onlyPid });
      if (unseen === 0) return [];
      return [
        hiddenPids > 0
          ? `owners of ${plural(unseen, 'socket')} are hidden: ${plural(hiddenPids, 'process')} of other users could not be read; run as root (sudo) to see them`
          : `owners of ${plural(unseen, 'socket')} are not visible from here: they belong to processes in another PID namespace (a container sharing this network namespace)`,
      ];
    },
    readBacklogSettings: readLinuxBacklogSettings,
    async readTrackedAttempts() {
      // Root-only, and absent without conntrack (or without CONFIG_NF_CONNTRACK_PROCFS).
      return readFile('/proc/net/nf_conntrack', 'utf8').then(parseTrackedAttempts, () => null);
    },
    readTimeWaitTimers: (port) => (sockDiagClosed === undefined ? readLinuxTimeWaitTimers(port) : Promise.resolve(null)),
    canCloseSockets: canDestroySockets,
    prepareKeepaliveOptions: () => keepaliveOptions(LINUX_KEEPALIVE),
    async readKeepaliveDefaults() {
      const read = (k: string) => readFile(`/proc/sys/net/ipv4/${k}`, 'utf8').then((t) => Number(t.trim()), () => NaN);
      const [idleS, intervalS, count] = await Promise.all([read('tcp_keepalive_time'), read('tcp_keepalive_intvl'), read('tcp_keepalive_probes')]);
      return [idleS, intervalS, count].every(Number.isFinite) ? { idleS, intervalS, count } : null;
    },
    async prepareUserTimeout() {
      // TCP_USER_TIMEOUT applies during SYN_SENT (tested in connect-linux) and
      // has millisecond precision; TCP_SYNCNT only steps through 1, 3, 7, 15 s.
      const libc = await loadLibc();
      if (!libc) return null;
      return (fd, timeoutMs) => (libc.setsockoptInt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, timeoutMs) ? 'TCP_USER_TIMEOUT' : null);
    },
    async readListenCounters() {
      const source = '/proc/net/netstat';
      const text = await readFile(source, 'utf8');
      const counters = liveParse(source, () => parseProcNetNetstat(text));
      const listenOverflows = counters.get('TcpExtListenOverflows');
      const listenDrops = counters.get('TcpExtListenDrops');
      if (listenOverflows === undefined || listenDrops === undefined) {
        throw new CannotRunError(`${source} has no TcpExt ListenOverflows/ListenDrops counters`);
      }
      return { listenOverflows, listenDrops, source };
    },
  };
}

async function readPortRanges(): Promise<PortRanges> {
  const out = emptyPortRanges('linux');
  await Promise.all(
    LINUX_KEYS.map(async (key) => {
      const path = `${SYSCTL_DIR}/${key}`;
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (err) {
        // ip_unprivileged_port_start exists only since Linux 4.11.
        out.notes.push(`could not read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
        return;
      }
      applyLinuxSetting(out, key, text, path);
      out.readFrom.push(path);
    }),
  );
  // Promise.all finishes in any order; keep the listing stable.
  out.notes.sort();
  out.readFrom.sort();
  return out;
}

function readProcNetTcp(): SocketTable {
  const table = emptySocketTable();
  for (const path of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      // One synchronous read: procfs hands out ~4 KiB per read() whatever is
      // asked, so streaming it (thread pool, or a `cat` pipe) only added
      // per-chunk overhead (measured with 100,000 sockets, bench/sockets).
      // latin1: the content is ASCII and this decode is the cheapest.
      text = readFileSync(path, 'latin1');
    } catch (err) {
      // tcp6 is absent when IPv6 is disabled (ipv6.disable=1).
      table.notes.push(`could not read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      continue;
    }
    liveParse(path, () => parseProcNetTcp(text, path, table, { littleEndian: HOST_IS_LITTLE_ENDIAN }));
  }
  if (table.readFrom.length === 0) throw new CannotRunError(`neither /proc/net/tcp nor /proc/net/tcp6 could be read`);
  return table;
}
