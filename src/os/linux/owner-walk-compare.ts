// The owner walk for a few wanted sockets (bind PORT, sockets --port on a
// busy host), in two phases. Every holder must still be found (issue #20),
// so every process is still read; but once one holder of each wanted socket
// is known, the other processes' descriptors can be compared with it
// (kcmp(2), os/linux/fd-walk.ts) instead of each link being read. Phase one
// reads links process by process, smallest descriptor table first (a server
// is rarely the biggest process), until every wanted inode has a holder;
// phase two compares what is left on the main thread while workers read
// the links of the rest (os/linux/owner-walk.ts says why). Where kcmp is
// missing (a kernel without CONFIG_KCMP) or refused, phase two reads links
// on every thread.

import { closeSync, openSync } from 'node:fs';
import type { FdWalker, PairSink } from './fd-walk.js';
import type { WalkJob } from './owner-walk-worker.js';

/** Compared walks are worth it up to this many wanted sockets: a binary search of at most 3 kcmp calls per descriptor. */
export const MAX_COMPARED = 7;
const KCMP_FILE = 0;

/**
 * Phase one: walks `job`'s processes smallest first, recording the descriptor
 * of each wanted inode found, until every one has a holder. Returns the tasks
 * it left, and one holder per wanted inode ([pid, fd, inode] each); `yieldNow`
 * lets Ctrl-C through between slices.
 */
export async function findFirstHolders(walk: FdWalker, job: WalkJob, sizes: Int32Array, out: PairSink, yieldNow: () => Promise<boolean>): Promise<{ left: Int32Array; holders: number[] }> {
  const wanted = new Set(job.wanted ?? []);
  const holders = new Map<number, [number, number]>();
  out.fds = [];
  const order = Array.from({ length: job.tasks.length / 3 }, (_, i) => i).sort((a, b) => sizes[job.tasks[a * 3]!]! - sizes[job.tasks[b * 3]!]! || a - b);
  let at = 0;
  while (at < order.length && holders.size < wanted.size) {
    // One process: all its ranges, then see whether every wanted inode has a holder.
    const slot = job.tasks[order[at]! * 3]!;
    for (; at < order.length && job.tasks[order[at]! * 3] === slot; at++) {
      const t = order[at]! * 3;
      if (job.state[slot] !== 0) continue;
      const seen = out.n;
      const status = walk(job.pids[slot]!, job.tasks[t + 1]!, job.tasks[t + 2]!, out, wanted);
      if (status !== 0) job.state[slot] = status;
      for (let i = seen; i < out.n; i += 2) if (!holders.has(out.pairs[i + 1]!)) holders.set(out.pairs[i + 1]!, [out.pairs[i]!, out.fds[i / 2]!]);
    }
    await yieldNow();
  }
  const left = order.slice(at).flatMap((i) => [job.tasks[i * 3]!, job.tasks[i * 3 + 1]!, job.tasks[i * 3 + 2]!]);
  delete out.fds;
  return { left: Int32Array.from(left), holders: [...holders].flatMap(([inode, [pid, fd]]) => [pid, fd, inode]) };
}

/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * The holders ordered by file, as kcmp orders them (the order the compared
 * walk's binary search needs), or null where kcmp cannot be used here.
 */
export function orderByFile(koffi: any, holders: number[]): Int32Array | null {
  const nr = ({ x64: 312, arm64: 272 } as Record<string, number>)[process.arch];
  if (nr === undefined) return null;
  let kcmp: (a: number, b: number, type: number, fa: number, fb: number) => number;
  try {
    const syscall = koffi.load('libc.so.6').func('long syscall(long, long, long, long, long, long)');
    kcmp = (a, b, type, fa, fb) => Number(syscall(nr, a, b, type, fa, fb));
  } catch {
    return null;
  }
  // Does it answer here at all (ENOSYS without CONFIG_KCMP, EPERM under some security modules)?
  const fd = openSync('/dev/null', 'r');
  try {
    if (kcmp(process.pid, process.pid, KCMP_FILE, fd, fd) !== 0) return null;
  } finally {
    closeSync(fd);
  }
  const refs = Array.from({ length: holders.length / 3 }, (_, i) => holders.slice(i * 3, i * 3 + 3) as [number, number, number]);
  let failed = false;
  refs.sort((a, b) => {
    const r = kcmp(a[0], b[0], KCMP_FILE, a[1], b[1]);
    if (r < 0) failed = true; // a holder closed its copy meanwhile
    return r === 1 ? -1 : r === 2 ? 1 : 0;
  });
  return failed ? null : Int32Array.from(refs.flat());
}
/* eslint-enable @typescript-eslint/no-explicit-any */
