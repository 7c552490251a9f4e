// Socket owners on Linux: every /proc/<pid>/fd/N that links to
// "socket:[inode]". Reading another user's fd directory needs root (or
// CAP_SYS_PTRACE); without it those sockets keep pid null, owner "hidden".
// Synchronous calls on purpose: for 100,000 descriptors, readlinkSync in a
// loop is far cheaper than as many promises.

import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { SocketRow } from './sockets.js';

export interface OwnerScan {
  /** pids whose fd directory could not be read (other users' processes without privilege). */
  hiddenPids: number;
  /** Sockets whose owner was not found. */
  unseen: number;
}

/**
 * Fills pid/process/owner of `rows` in place. Only the rows' inodes are
 * looked for, in every process: a socket shared after fork (pre-fork servers,
 * systemd socket passing, a child that inherited it) has several holders, and
 * ending one of them frees nothing, so the scan does not stop at the first
 * (issue #20). The first holder found is pid/process, the others
 * otherOwners. With `onlyPid`, only that process's descriptors are read
 * (--pid): cheaper, and a socket it shares with a parent is still found;
 * other rows stay unowned.
 */
export function resolveLinuxOwners(rows: SocketRow[], procRoot = '/proc', onlyPid?: number): OwnerScan {
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
  let hiddenPids = 0;
  const names = new Map<number, string | null>();
  const pids = wanted.size === 0 ? [] : onlyPid !== undefined ? [String(onlyPid)] : readdirSync(procRoot);
  for (const entry of pids) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`${procRoot}/${pid}/fd`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EACCES') hiddenPids++;
      continue; // ENOENT: the process exited meanwhile
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(`${procRoot}/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (!link.startsWith('socket:[')) continue;
      const owned = wanted.get(Number(link.slice(8, -1)));
      if (!owned) continue;
      if (!names.has(pid)) names.set(pid, readProcessName(procRoot, pid));
      for (const r of owned) {
        addOwner(r, pid, names.get(pid) ?? null);
        r.owner = 'found';
      }
    }
  }
  let unseen = 0;
  for (const list of wanted.values()) {
    for (const r of list) {
      // A socket with an inode has an owning file; not finding it means we
      // could not see the process: another user's without privilege, or one
      // in another PID namespace (a container sharing this network namespace).
      if (r.owner === 'found') continue;
      if (onlyPid !== undefined) {
        r.owner = 'not-collected'; // not that process's; nobody else was asked
        continue;
      }
      r.owner = 'hidden';
      unseen++;
    }
  }
  return { hiddenPids, unseen };
}

function addOwner(r: SocketRow, pid: number, name: string | null): void {
  if (r.pid === null) {
    r.pid = pid;
    r.process = name;
  } else if (r.pid !== pid) {
    (r.otherOwners ??= []).push({ pid, process: name });
  }
}

/**
 * The program's name: the basename of /proc/<pid>/exe. Not `comm`, which is
 * the main thread's name and which programs rename (Node 24 calls its main
 * thread "MainThread"). Kernel threads and vanished programs fall back to comm.
 */
function readProcessName(procRoot: string, pid: number): string | null {
  try {
    const exe = readlinkSync(`${procRoot}/${pid}/exe`).replace(/ \(deleted\)$/, '');
    return exe.slice(exe.lastIndexOf('/') + 1) || null;
  } catch {
    try {
      return readFileSync(`${procRoot}/${pid}/comm`, 'utf8').trimEnd();
    } catch {
      return null;
    }
  }
}
