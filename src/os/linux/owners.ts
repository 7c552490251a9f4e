// Socket owners on Linux: every /proc/<pid>/fd/N that links to
// "socket:[inode]" (the walk: os/linux/owner-walk.ts), or, on a busy host as
// root, the same pairs from the kernel's own iterator over every open file
// (os/linux/socket-files-bpf.ts). Reading another user's fd directory needs
// root (or CAP_SYS_PTRACE); without it those sockets keep pid null, owner
// "hidden".
//
// Every holder of a socket is found, not just the first: a socket shared
// after fork (pre-fork servers, systemd socket passing, a child that
// inherited it) has several, and ending one of them frees nothing (issue
// #20). So the walk reads every process that has open files; inside one
// process it stops once that process holds every wanted inode, and with a
// few wanted sockets, once a holder of each is known, the other processes'
// descriptors are compared with it rather than read. The holder
// with the lowest pid (the parent, as a rule) is pid/process, the others
// otherOwners, lowest first: the same answer whichever thread found what.

import { readFileSync, readlinkSync } from 'node:fs';
import type { SocketRow } from '../sockets.js';
import { prepareOwnerWalk, type OwnerWalk } from './owner-walk.js';

export interface OwnerScan {
  /** pids whose fd directory could not be read (other users' processes without privilege). */
  hiddenPids: number;
  /** Sockets whose owner was not found. */
  unseen: number;
}

/**
 * Fills pid/process/owner/otherOwners of `rows` in place. Only the rows'
 * inodes are looked for. With `onlyPid`, only that process's descriptors
 * are read: other rows stay unowned ("not-collected"). `walk`: one prepared
 * (warmed) beforehand for every process, used and closed here.
 */
export async function resolveLinuxOwners(rows: SocketRow[], opts: { onlyPid?: number; walk?: OwnerWalk } = {}): Promise<OwnerScan> {
  const wanted = new Map<number, SocketRow[]>();
  for (const r of rows) {
    if (!r.inode) {
      r.owner = 'none'; // TIME_WAIT and request sockets belong to no process
      continue;
    }
    const list = wanted.get(r.inode);
    if (list) list.push(r);
    else wanted.set(r.inode, [r]);
  }
  if (wanted.size === 0) {
    opts.walk?.close();
    return { hiddenPids: 0, unseen: 0 };
  }
  const walk = opts.walk ?? prepareOwnerWalk({ onlyPid: opts.onlyPid });
  let found: Awaited<ReturnType<typeof walk.finish>>;
  try {
    walk.begin(new Set(wanted.keys()));
    found = await walk.finish();
  } finally {
    walk.close(); // also when planning failed (/proc unreadable): no worker stays
  }
  const { pairs, hiddenPids } = found;
  const holders = holdersByInode(pairs);
  const names = new Map<number, string | null>();
  const nameOf = (pid: number) => {
    if (!names.has(pid)) names.set(pid, readProcessName(pid));
    return names.get(pid)!;
  };
  let unseen = 0;
  for (const [inode, list] of wanted) {
    const pids = holders.get(inode);
    for (const r of list) {
      if (pids) {
        r.pid = pids[0]!;
        r.process = nameOf(pids[0]!);
        r.owner = 'found';
        if (pids.length > 1) r.otherOwners = pids.slice(1).map((pid) => ({ pid, process: nameOf(pid) }));
      } else if (opts.onlyPid !== undefined) {
        r.owner = 'not-collected'; // not that process's; nobody else was asked
      } else {
        // A socket with an inode has an owning file, as a rule; not finding it means
        // we could not see the process (another user's without privilege, or one
        // in another PID namespace: a container sharing this network namespace),
        // or no process holds it (a kernel socket, one in flight between processes).
        r.owner = 'hidden';
        unseen++;
      }
    }
  }
  return { hiddenPids, unseen };
}

/** The holders of each inode, each pid once, lowest first. */
export function holdersByInode(pairs: Uint32Array): Map<number, number[]> {
  const holders = new Map<number, number[]>();
  for (let i = 0; i < pairs.length; i += 2) {
    const pid = pairs[i]!;
    const inode = pairs[i + 1]!;
    const list = holders.get(inode);
    if (!list) holders.set(inode, [pid]);
    else if (!list.includes(pid)) list.push(pid);
  }
  for (const list of holders.values()) if (list.length > 1) list.sort((a, b) => a - b);
  return holders;
}

/**
 * The program's name: the basename of /proc/<pid>/exe. Not `comm`, which is
 * the main thread's name and which programs rename (Node 24 calls its main
 * thread "MainThread"). Kernel threads and vanished programs fall back to comm.
 */
export function readProcessName(pid: number): string | null {
  try {
    const exe = readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
    return exe.slice(exe.lastIndexOf('/') + 1) || null;
  } catch {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trimEnd();
    } catch {
      return null;
    }
  }
}
