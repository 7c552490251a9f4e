// What a worker thread of the owner walk runs (os/linux/owner-walk.ts): the
// native walker and the task loop, from their source text, in a worker made
// with `eval`. No file of its own: the CLI stays one bundle (and a single
// executable has no files beside it). The task loop is shared with the main
// thread: each range is claimed once, the main thread taking them from the
// front and workers from the back, so the main thread and a worker seldom
// read one process at once (both then take that process's locks: measured, a
// worker reading links beside the main thread's kcmp calls on the same
// process slowed both). Further workers (hosts with more cores) all start at
// the back.

import { makeNativeFdWalker, type FdWalker, type PairSink } from './fd-walk.js';

/** The walk as the threads share it; every array lives in shared memory except `wanted`, which each thread copies. */
export interface WalkJob {
  /** The processes, by slot. */
  pids: Int32Array;
  /** [pid slot, first descriptor, end descriptor) per range, three entries each. */
  tasks: Int32Array;
  /** Per range: 0 free, 1 claimed by some thread (Atomics.compareExchange). */
  taken: Int32Array;
  /** Per pid slot: 0 open, else the walker's status (all wanted found, hidden, gone). */
  state: Int32Array;
  /** Only these inodes are recorded (null: every socket). */
  wanted: Uint32Array | null;
}

/**
 * Takes ranges, from the front or `fromBack`, until none is left (returns
 * false) or `until` (Date.now()) has passed (returns true). Self-contained:
 * a worker runs it from its source.
 */
export function takeWalkTasks(walk: FdWalker, job: WalkJob, out: PairSink, until: number, fromBack = false): boolean {
  const want = job.wanted ? new Set(job.wanted) : null;
  const count = job.tasks.length / 3;
  for (let k = 0; ; k++) {
    if (Date.now() > until) return true;
    if (k >= count) return false;
    const i = fromBack ? count - 1 - k : k;
    if (Atomics.compareExchange(job.taken, i, 0, 1) !== 0) continue;
    const slot = job.tasks[i * 3]!;
    // Another range of this process found every wanted inode, or the process is gone or hidden.
    if (Atomics.load(job.state, slot) !== 0) continue;
    const status = walk(job.pids[slot]!, job.tasks[i * 3 + 1]!, job.tasks[i * 3 + 2]!, out, want);
    if (status !== 0) Atomics.store(job.state, slot, status);
  }
}

/** The worker's program. esbuild may name functions through a helper (__name); the worker has its own stand-in. */
export function WORKER_SOURCE(): string {
  return `'use strict';
var __name = (f) => f;
const { parentPort, workerData } = require('node:worker_threads');
const make = (${makeNativeFdWalker.toString()});
// koffi from the file the main thread named: its package, or a native module itself (.node).
const koffi = workerData.koffiPath.endsWith('.node') ? (() => { const m = { exports: {} }; process.dlopen(m, workerData.koffiPath); return m.exports; })() : require(workerData.koffiPath);
const walk = make(koffi);
const takeWalkTasks = (${takeWalkTasks.toString()});
parentPort.on('message', (job) => {
  if (!walk) return parentPort.postMessage(null);
  const out = { pairs: new Uint32Array(4096), n: 0 };
  takeWalkTasks(walk, job, out, Infinity, true);
  parentPort.postMessage(out, [out.pairs.buffer]);
});
`;
}
