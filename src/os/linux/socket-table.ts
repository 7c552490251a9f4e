// The Linux backend's socket table and owners (os/linux/backend.ts has the rest).
// A question pays for its answer, not for the host (issue #19): a query's
// states and ports go to the kernel (sock_diag filters them), owners are
// looked up only for the sockets that matched, and the whole table with
// owners is matched from the walk onto the kernel's records without a row
// object each. The owner walk starts before the kernel's dump, so on a busy
// host its worker threads read /proc while the main thread reads the table.

import { readFileSync } from 'node:fs';
import type { OsBackend } from '../backend.js';
import { plural } from '../../text/words.js';
import { CannotRunError } from '../../report/errors.js';
import { liveParse } from '../live-parse.js';
import { prepareOwnerWalk, type OwnerWalk } from './owner-walk.js';
import { readProcessName, resolveLinuxOwners } from './owners.js';
import { readSockDiag } from './sock-diag.js';
import { readLinuxTimeWaitTimers, timeWaitTimersOf } from './time-wait.js';
import { HOST_IS_LITTLE_ENDIAN, parseProcNetTcp } from '../parse/procfs-tcp.js';
import { readProcessTcpPorts } from './process-ports.js';
import { InodeIndex } from './inode-index.js';
import { matchRecordOwners } from './sock-diag-owners.js';
import { concatPairs } from './socket-files-bpf.js';
import { inFirstPidNamespace } from './pid-namespace.js';
import { narrowsTable, portRangesOf, type SockDiagQuery } from './sock-diag-query.js';
import { SockDiagRecords } from './sock-diag-records.js';
import { emptySocketTable, type SocketTable } from '../sockets.js';

type TableMethods = Required<Pick<OsBackend, 'readSocketTable' | 'readCompactSocketTable' | 'readProcessSockets' | 'resolveOwners' | 'prepareOwners' | 'readTimeWaitTimers'>>;

export function createLinuxSocketTable(): TableMethods {
  // Why sock_diag is closed here, once known: asking again (the compact
  // table first, then the row table) would only pay its timeout twice.
  let closed: string | undefined;
  /** The records of the last narrowed read, which also hold TIME_WAIT timers. */
  let lastNarrow: { query: SockDiagQuery; records: SockDiagRecords } | undefined;
  /** The owner walk prepareOwners warmed, for the next resolveOwners. */
  let warmed: OwnerWalk | undefined;

  const sockDiag = async (query?: SockDiagQuery): ReturnType<typeof readSockDiag> => {
    if (closed !== undefined) return { unavailable: closed };
    // The whole table: room for what the kernel counts, and an eighth more for sockets made meanwhile.
    const expected = query ? undefined : ((countKernelSockets() ?? 0) * 9) / 8 + 1024;
    const diag = await readSockDiag(undefined, query, expected);
    if ('unavailable' in diag) closed = diag.unavailable;
    return diag;
  };
  /** Records for `query`; a narrowed read also says what the whole table holds, without copying it out. */
  const readRecords = async (query: SockDiagQuery | undefined) => {
    const narrow = narrowsTable(query);
    // No port to ask for (a process without TCP sockets): nothing to copy out.
    const diag = query?.localPortRanges?.length === 0 ? { records: new SockDiagRecords(0) } : await sockDiag(narrow ? query : undefined);
    if (!('records' in diag)) return diag;
    const records = diag.records;
    if (!narrow || !query) return { records, whole: undefined };
    lastNarrow = { query, records };
    // Listeners sit in their own small hash: asking for them alone costs no walk of the table.
    const listeners = await sockDiag({ states: ['LISTEN'] });
    const listeningPorts = 'records' in listeners ? listeners.records.listeningPorts() : records.listeningPorts();
    return { records, whole: { total: countKernelSockets() ?? records.length, listeningPorts } };
  };
  const fallback = (why: string): SocketTable => {
    const table = readProcNetTcp();
    table.notes.push(`read /proc/net/tcp instead of netlink sock_diag (${why}): slower on busy hosts, and listeners' backlog limits are unknown`);
    return table;
  };

  return {
    async readSocketTable(query) {
      try {
        const read = await readRecords(query);
        if ('unavailable' in read) return fallback(read.unavailable);
        return { rows: read.records.toRows(), readFrom: [read.records.source], notes: [], ...(read.whole ? { whole: read.whole } : {}) };
      } catch (err) {
        // No table, so no owners to look up: the workers prepareOwners started end here.
        warmed?.close();
        warmed = undefined;
        throw err;
      }
    },

    async readCompactSocketTable(owners) {
      if (closed !== undefined) return null;
      const walk = owners ? prepareOwnerWalk() : undefined;
      try {
        walk?.begin(null); // the workers read /proc while this thread reads the table
        const diag = await sockDiag();
        if (!('records' in diag)) return null;
        const t = diag.records;
        if (!walk) return { table: t, notes: [] };
        // Indexed while the workers still walk, before this thread joins them.
        const inodeOf = (i: number) => t.inodeAt(i);
        const index = new InodeIndex(t.length, inodeOf);
        const { pairs, hiddenPids, lookAgain } = await walk.finish();
        t.owners = matchRecordOwners(t.length, inodeOf, pairs, readProcessName, index);
        // The kernel's iterator ran beside the dump: a socket made after it passed its holder is looked for again.
        if (t.owners.unseen > 0 && lookAgain) {
          const missed = new Set<number>();
          for (let r = 0; r < t.length; r++) if (t.owners.statusOf(r) === 'hidden') missed.add(inodeOf(r));
          const more = await lookAgain(missed);
          if (more && more.length > 0) t.owners = matchRecordOwners(t.length, inodeOf, concatPairs(pairs, more), readProcessName, index);
        }
        return { table: t, notes: ownerNotes(hiddenPids, t.owners.unseen) };
      } finally {
        walk?.close();
      }
    },

    async readProcessSockets(pid, query) {
      // Its descriptors say which sockets are its; their local ports let the
      // kernel copy out only those (os/linux/process-ports.ts); without the
      // right to borrow its descriptors, the whole table is read and sifted.
      const walk = prepareOwnerWalk({ onlyPid: pid });
      walk.begin(null);
      const { pairs, hiddenPids } = await walk.finish();
      const inodes = new Set<number>();
      for (let i = 1; i < pairs.length; i += 2) inodes.add(pairs[i]!);
      const ports = inodes.size > 0 ? readProcessTcpPorts(pid) : new Set<number>();
      const read = await readRecords(ports ? { ...query, localPortRanges: portRangesOf(ports) } : query);
      let table: SocketTable;
      if ('unavailable' in read) {
        const all = fallback(read.unavailable);
        const listeningPorts = new Set(all.rows.filter((r) => r.state === 'LISTEN').map((r) => r.local.port));
        table = { ...all, rows: all.rows.filter((r) => r.inode !== undefined && inodes.has(r.inode)), whole: { total: all.rows.length, listeningPorts } };
      } else {
        const t = read.records;
        table = { rows: t.toRows((i) => inodes.has(t.inodeAt(i))), readFrom: [t.source], notes: [], whole: read.whole ?? { total: t.length, listeningPorts: t.listeningPorts() } };
      }
      const name = readProcessName(pid);
      for (const r of table.rows) Object.assign(r, { pid, process: name, owner: 'found' });
      if (hiddenPids > 0) {
        table.notes.push(
          process.getuid?.() === 0
            ? `the sockets of process ${pid} are hidden: its descriptors could not be read even as root (a security module or a protected process refuses it)`
            : `the sockets of process ${pid} are hidden: it is another user's process; run as root (sudo) to see them`,
        );
      }
      return table;
    },

    prepareOwners(hint) {
      warmed?.close();
      warmed = prepareOwnerWalk({ port: hint?.port });
      warmed.warm();
    },

    async resolveOwners(rows, onlyPid) {
      const walk = warmed;
      warmed = undefined;
      // A warmed walk reads every process: not the one --pid asks about.
      if (onlyPid !== undefined) walk?.close();
      const { hiddenPids, unseen } = await resolveLinuxOwners(rows, { onlyPid, walk: onlyPid === undefined ? walk : undefined });
      return ownerNotes(hiddenPids, unseen);
    },

    async readTimeWaitTimers(port) {
      if (closed !== undefined) return null;
      // bind just read this port's sockets: their records hold the timers, so no second dump.
      const q = lastNarrow?.query;
      if (q && q.localPort === port && q.port === undefined && q.remotePort === undefined && !q.localPortRanges && (!q.states || q.states.includes('TIME_WAIT'))) {
        return timeWaitTimersOf(lastNarrow!.records, port);
      }
      return readLinuxTimeWaitTimers(port);
    },
  };
}

function ownerNotes(hiddenPids: number, unseen: number): string[] {
  if (unseen === 0) return [];
  if (hiddenPids === 0) {
    // From the first PID namespace every process is visible: a socket nobody was seen holding is held by no process.
    if (inFirstPidNamespace()) return [`owners of ${plural(unseen, 'socket')} were not found: no process holds them as an open file (a kernel socket: NFS, iSCSI, a tunnel; one being passed between processes; or one closed while tcpdiag read)`];
    return [`owners of ${plural(unseen, 'socket')} are not visible from here: they belong to processes in another PID namespace (a container sharing this network namespace)`];
  }
  const who = plural(hiddenPids, 'process');
  // Without root they are other users' processes; as root, a security module (or the process's protection) refuses.
  return [
    process.getuid?.() === 0
      ? `owners of ${plural(unseen, 'socket')} are hidden: ${who} could not be read even as root (a security module or a protected process refuses it)`
      : `owners of ${plural(unseen, 'socket')} are hidden: ${who} of other users could not be read; run as root (sudo) to see them`,
  ];
}

/**
 * The kernel's own count of this namespace's TCP sockets (/proc/net/sockstat
 * and sockstat6: sockets in use and TIME_WAIT), for the total of a table read
 * through a filter. Connection requests not yet answered (SYN_RECEIVED) are
 * not in it. Null when the files cannot be read.
 */
export function countKernelSockets(): number | null {
  let total = 0;
  for (const [path, wanted] of [
    ['/proc/net/sockstat', ['inuse', 'tw']],
    ['/proc/net/sockstat6', ['inuse']],
  ] as const) {
    let text: string;
    try {
      text = readFileSync(path, 'latin1');
    } catch {
      if (path.endsWith('6')) continue; // IPv6 disabled
      return null;
    }
    const line = text.split('\n').find((l) => l.startsWith(path.endsWith('6') ? 'TCP6:' : 'TCP:'));
    if (!line) return null;
    const words = line.split(' ');
    for (const key of wanted) {
      const n = Number(words[words.indexOf(key) + 1]);
      if (!Number.isInteger(n) || words.indexOf(key) < 0) return null;
      total += n;
    }
  }
  return total;
}

function readProcNetTcp(): SocketTable {
  const table = emptySocketTable();
  for (const path of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      // One synchronous read: procfs hands out ~4 KiB per read() whatever is
      // asked, so streaming it (thread pool, or a `cat` pipe) only added
      // per-chunk overhead (measured with 100,000 sockets, bench/busy-host.mjs).
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
