// The owner walk as a whole: which processes are read (only those with open
// files: a kernel thread or a zombie holds no socket, and the descriptor
// count of /proc/<pid>/fd is one stat away on Linux >= 6.2), in which ranges,
// and on how many threads. Each process's descriptors are split into ranges
// that the main thread and worker threads take one at a time from a shared
// cursor, so a process with 16,000 sockets does not keep one core busy while
// the other idles. Workers start only when the host holds enough descriptors
// to repay their start-up (about 30 ms each), and only for the native walk.
// The walk can begin before the socket table is read (begin, then finish), so
// on a busy host it overlaps the kernel's dump.

import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { onInterrupt } from '../lifecycle/interrupt.js';
import { loadKoffi } from './ffi/libc.js';
import { makeNativeFdWalker, WALK_HIDDEN, type FdWalker, type PairSink } from './linux-fd-walk.js';
import { makeNodeFdWalker } from './linux-fd-walk-node.js';
import { takeWalkTasks, WORKER_SOURCE, type WalkJob } from './linux-owner-walk-worker.js';

/** Descriptors per range: small enough to share a big process between threads, large enough that opening its directory is noise. */
const RANGE = 2048;
/** Past this many descriptors on the host a worker thread repays its start-up. */
const WORKER_MIN_FDS = 16_384;
const MAX_WORKERS = 3;
const NO_END = 0x7fffffff;
/** The main thread's share is walked in slices this long, so Ctrl-C and worker messages get through. */
const SLICE_MS = 20;

export interface OwnerWalkOptions {
  /** Only this process (sockets --pid). */
  onlyPid?: number;
  /** native: readlinkat through koffi; node: readlinkSync; auto: native where it can. */
  how?: 'auto' | 'native' | 'node';
  /** Worker threads: auto decides by the host's descriptor count; a number forces that many (tests). */
  workers?: 'auto' | number;
}

export interface OwnerWalkResult {
  /** (pid, inode) of every socket descriptor read (only wanted inodes, when given), two entries each. */
  pairs: Uint32Array;
  /** Processes whose descriptors could not be read (other users', without privilege). */
  hiddenPids: number;
  how: 'native' | 'node';
  /** Threads that walked: 1 + workers. */
  threads: number;
}

export interface OwnerWalk {
  /** Starts the workers on the walk; `wanted`: only these inodes (null: every socket). */
  begin(wanted: ReadonlySet<number> | null): void;
  /** Walks what the workers left, then gathers everything; begins first if begin was not called. */
  finish(): Promise<OwnerWalkResult>;
  /** Ends the workers (after finish, or instead of it). */
  close(): void;
}

export function prepareOwnerWalk(opts: OwnerWalkOptions = {}): OwnerWalk {
  const koffi = opts.how === 'node' ? null : loadKoffi();
  const native = koffi ? makeNativeFdWalker(koffi.koffi) : null;
  if (opts.how === 'native' && !native) throw new Error('the native descriptor walk needs koffi and libc');
  const walk: FdWalker = native ?? makeNodeFdWalker();
  const how = native ? 'native' : 'node';
  // Planned here to size the thread pool, and again when the walk begins: a
  // process started in between (while the table is read) is then read too.
  // The native walk reads a big process in ranges that threads share; the Node walk lists a directory per task, so one task per process.
  let job = planTasks(opts.onlyPid, native !== null);
  const descriptors = job.descriptors;
  // TCPDIAG_OWNER_THREADS: worker threads for every walk (0: none), for tests and for hosts where the automatic choice is wrong.
  const fromEnv = Number.parseInt(process.env.TCPDIAG_OWNER_THREADS ?? '', 10);
  const asked = opts.workers ?? (fromEnv >= 0 ? Math.min(fromEnv, 16) : 'auto');
  const count = !native || !koffi ? 0 : asked === 'auto' ? (descriptors < WORKER_MIN_FDS ? 0 : Math.min(availableParallelism() - 1, MAX_WORKERS)) : asked;
  const workers = Array.from({ length: count }, () => startWorker(koffi!.path));
  const forget = onInterrupt(() => close());
  let begun = false;
  let results: Array<Promise<PairSink | null>> = [];

  function close(): void {
    forget();
    for (const w of workers) void w.worker.terminate();
  }
  function begin(inodes: ReadonlySet<number> | null): void {
    if (begun) return;
    begun = true;
    job = planTasks(opts.onlyPid, native !== null);
    job.wanted = inodes ? Uint32Array.from(inodes) : null;
    results = workers.map((w) => w.run(job));
  }
  async function finish(): Promise<OwnerWalkResult> {
    begin(null);
    const mine: PairSink = { pairs: new Uint32Array(4096), n: 0 };
    try {
      while (takeWalkTasks(walk, job, mine, Date.now() + SLICE_MS)) await new Promise((r) => setImmediate(r));
      const theirs = await Promise.all(results);
      if (theirs.includes(null)) return await walkAgainAlone();
      const sinks = [mine, ...(theirs as PairSink[])];
      return { pairs: concat(sinks), hiddenPids: job.state.filter((s) => s === WALK_HIDDEN).length, how, threads: 1 + workers.length };
    } finally {
      close();
    }
  }
  /** A worker that failed may have taken ranges it never finished: walk everything again on this thread. */
  async function walkAgainAlone(): Promise<OwnerWalkResult> {
    const again: WalkJob = { ...job, cursor: new Int32Array(new SharedArrayBuffer(4)), state: new Int32Array(new SharedArrayBuffer(job.state.length * 4)) };
    const out: PairSink = { pairs: new Uint32Array(4096), n: 0 };
    while (takeWalkTasks(walk, again, out, Date.now() + SLICE_MS)) await new Promise((r) => setImmediate(r));
    return { pairs: out.pairs.slice(0, out.n), hiddenPids: again.state.filter((s) => s === WALK_HIDDEN).length, how, threads: 1 };
  }
  return { begin, finish, close };
}

/** The processes to read and their ranges: [pid slot, first fd, end fd) per task. */
function planTasks(onlyPid: number | undefined, split: boolean): WalkJob & { descriptors: number } {
  const entries = onlyPid !== undefined ? [String(onlyPid)] : readdirSync('/proc');
  // Linux >= 6.2 reports the number of open descriptors as the size of /proc/<pid>/fd; older kernels report 0.
  const counted = statSync('/proc/self/fd').size > 0;
  const pids: number[] = [];
  const tasks: number[] = [];
  let descriptors = 0;
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    const size = statSync(`/proc/${pid}/fd`, { throwIfNoEntry: false })?.size;
    if (size === undefined) continue; // ended meanwhile
    if (counted && size === 0) continue; // no open file, so no socket: a kernel thread or a zombie
    const slot = pids.push(pid) - 1;
    descriptors += size;
    if (!split || !counted || size <= RANGE) tasks.push(slot, 0, NO_END);
    else for (let from = 0; from < size; from += RANGE) tasks.push(slot, from, from + RANGE >= size ? NO_END : from + RANGE);
  }
  return {
    pids: Int32Array.from(pids),
    tasks: Int32Array.from(tasks),
    cursor: new Int32Array(new SharedArrayBuffer(4)),
    state: new Int32Array(new SharedArrayBuffer(4 * Math.max(1, pids.length))),
    wanted: null,
    descriptors,
  };
}

function startWorker(koffiPath: string): { worker: Worker; run: (job: WalkJob) => Promise<PairSink | null> } {
  const worker = new Worker(WORKER_SOURCE(), { eval: true, workerData: { koffiPath } });
  // Idle, it is never what keeps the process alive; while it walks, the result is awaited.
  worker.unref();
  const outcome = new Promise<PairSink | null>((resolve) => {
    worker.once('message', (m: PairSink | null) => (worker.unref(), resolve(m)));
    worker.once('error', () => resolve(null));
    worker.once('exit', () => resolve(null));
  });
  return { worker, run: (job) => (worker.ref(), worker.postMessage(job), outcome) };
}

function concat(sinks: PairSink[]): Uint32Array {
  const all = new Uint32Array(sinks.reduce((n, s) => n + s.n, 0));
  let at = 0;
  for (const s of sinks) {
    all.set(s.pairs.subarray(0, s.n), at);
    at += s.n;
  }
  return all;
}
