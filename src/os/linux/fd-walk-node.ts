// The descriptor walk in plain Node (readdirSync and readlinkSync): the
// fallback where koffi is not installed or libc lacks what the native walk
// needs (os/linux/fd-walk.ts). Same ranges, same results, same statuses, so
// the two can be compared on one table (test/live/owner-walk.test.ts).
// Synchronous on purpose: for 100,000 descriptors readlinkSync in a loop is
// far cheaper than as many promises.

import { readdirSync, readlinkSync } from 'node:fs';
import { WALK_ALL_FOUND, WALK_DONE, WALK_GONE, WALK_HIDDEN, type FdWalker, type PairSink } from './fd-walk.js';

const SOCKET_PREFIX = 'socket:[';

export function makeNodeFdWalker(procRoot = '/proc'): FdWalker {
  return (pid, from, to, out, wanted) => {
    let fds: string[];
    try {
      fds = readdirSync(`${procRoot}/${pid}/fd`);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return code === 'EACCES' || code === 'EPERM' ? WALK_HIDDEN : WALK_GONE;
    }
    const found = wanted ? new Set<number>() : null;
    for (const name of fds) {
      const fd = Number(name);
      if (fd < from || fd >= to) continue;
      let link: string;
      try {
        link = readlinkSync(`${procRoot}/${pid}/fd/${name}`);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') continue; // closed meanwhile
        return code === 'EACCES' || code === 'EPERM' ? WALK_HIDDEN : WALK_GONE;
      }
      if (!link.startsWith(SOCKET_PREFIX)) continue;
      const inode = Number(link.slice(SOCKET_PREFIX.length, -1));
      if (wanted && !wanted.has(inode)) continue;
      push(out, pid, inode, fd);
      if (found) {
        found.add(inode);
        if (found.size === wanted!.size) return WALK_ALL_FOUND;
      }
    }
    return WALK_DONE;
  };
}

function push(out: PairSink, pid: number, inode: number, fd: number): void {
  if (out.n + 2 > out.pairs.length) {
    const grown = new Uint32Array(out.pairs.length * 2 || 1024);
    grown.set(out.pairs);
    out.pairs = grown;
  }
  out.pairs[out.n++] = pid;
  out.pairs[out.n++] = inode;
  out.fds?.push(fd);
}
