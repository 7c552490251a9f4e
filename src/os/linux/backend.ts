// Linux backend. Mechanisms: /proc/sys/net/ipv4/* for port settings;
// netlink sock_diag for sockets (through koffi), else /proc/net/tcp{,6};
// /proc/<pid>/fd for owners (both in os/linux/socket-table.ts);
// /proc/net/netstat for counters. All readable
// without root (owners of other users' sockets excepted) and present in
// minimal containers where `ss`, `netstat` and `sysctl` are not. Values are per network namespace: what this
// reads is the namespace the process runs in.

import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { UNIX_BIND, type OsBackend } from '../backend.js';
import { canDestroySockets } from './sock-destroy.js';
import { createLinuxSocketTable } from './socket-table.js';
import { readLinuxBacklogSettings } from './backlog-settings.js';
import { keepaliveOptions, LINUX_KEEPALIVE } from '../ffi/keepalive.js';
import { applyLinuxSetting, LINUX_KEYS } from '../parse/linux-port-settings.js';
import { parseProcNetNetstat } from '../parse/proc-net-netstat.js';
import { emptyPortRanges, type PortRanges } from '../port-ranges.js';
import { CannotRunError } from '../../report/errors.js';
import { liveParse } from '../live-parse.js';
import { loadLibc } from '../ffi/libc.js';
import { parseTrackedAttempts } from '../parse/nf-conntrack.js';

const IPPROTO_TCP = 6;
const TCP_USER_TIMEOUT = 18;

const SYSCTL_DIR = '/proc/sys/net/ipv4';

export function createLinuxBackend(): OsBackend {
  return {
    os: 'linux',
    bindSemantics: UNIX_BIND,
    readPortRanges,
    ...createLinuxSocketTable(),
    readBacklogSettings: readLinuxBacklogSettings,
    async readTrackedAttempts() {
      // Root-only, and absent without conntrack (or without CONFIG_NF_CONNTRACK_PROCFS).
      return readFile('/proc/net/nf_conntrack', 'utf8').then(parseTrackedAttempts, () => null);
    },
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
      // Read at once, not through the thread pool: a counter sample's window
      // starts when this returns, and a busy host's table read would hold
      // the event loop (and so the callback) for a while.
      const text = readFileSync(source, 'utf8');
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
