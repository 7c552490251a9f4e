// The owner walk as a whole. On a busy host as root the kernel walks every
// process's descriptors itself (a BPF iterator: os/linux/socket-files-bpf.ts,
// chosen in prepareOwnerWalk); otherwise /proc is read, as follows.
// Which processes are read (only those with open
// files: a kernel thread or a zombie holds no socket, and the descriptor
// count of /proc/<pid>/fd is one stat away on Linux >= 6.2), in which ranges,
// and on how many threads. Each process's descriptors are split into ranges
// that the main thread and worker threads claim one at a time (the main
// thread from the front, workers from the back), so a process with 16,000
// sockets does not keep one core busy while the other idles. Workers start
// only when the host holds enough descriptors to repay their start-up (about
// 30 ms each), and only for the native walk. They can start before the
// socket table is read (warm, or begin, then finish), so on a busy host their
// start-up, or the walk itself, overlaps the kernel's dump. A few wanted
// sockets are compared with their first holders instead
// (os/linux/owner-walk-compare.ts).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { onInterrupt } from '../../lifecycle/interrupt.js';
import { CannotRunError } from '../../report/errors.js';
import { loadKoffi } from '../ffi/libc.js';
import { makeNativeFdWalker, WALK_HIDDEN, type FdWalker, type PairSink } from './fd-walk.js';
import { makeNodeFdWalker } from './fd-walk-node.js';
import { takeWalkTasks, WORKER_SOURCE, type WalkJob } from './owner-walk-worker.js';
import { findFirstHolders, MAX_COMPARED, orderByFile } from './owner-walk-compare.js';
import { lookAgain, ownersOf, scanSocketFiles, socketFileIterUnavailable, type SocketFileScan } from './socket-files-bpf.js';

/** Descriptors per range: small enough to share a big process between threads, large enough that opening its directory is noise. */
const RANGE = 2048;
/** Past this many descriptors on the host a worker thread repays its start-up. */
const WORKER_MIN_FDS = 16_384;
const MAX_WORKERS = 3;
const ITER_ASKED = "TCPDIAG_OWNER_WALK=bpf asks for the kernel's socket file iterator";
/** Past this many open files on the host the kernel's iterator repays its set-up. */
const KERNEL_ITER_MIN_FDS = 16_384;
const NO_END = 0x7fffffff;
/** The main thread's share is walked in slices this long, so Ctrl-C and worker messages get through. */
const SLICE_MS = 20;

export interface OwnerWalkOptions {
  /** Only this process (sockets --pid). */
  onlyPid?: number;
  /**
   * bpf: the kernel's own iterator (os/linux/socket-files-bpf.ts); native:
   * readlinkat through koffi; node: readlinkSync; auto: the first of these
   * that can run here.
   */
  how?: 'auto' | 'bpf' | 'native' | 'node';
  /** Worker threads: auto decides by the host's descriptor count; a number forces that many (tests). */
  workers?: 'auto' | number;
  /** For a few wanted sockets, compare descriptors with a found holder (kcmp) once one is known; false: read every link (tests). */
  compare?: boolean;
  /**
   * Every wanted socket has this local or remote port (bind PORT, sockets
   * --port): the kernel's iterator then writes only those, in one read.
   */
  port?: number;
}

export interface OwnerWalkResult {
  /** (pid, inode) of every socket descriptor read (only wanted inodes, when given), two entries each. */
  pairs: Uint32Array;
  /** Processes whose descriptors could not be read (other users', without privilege). */
  hiddenPids: number;
  how: 'bpf' | 'native' | 'node';
  /** Threads that walked: 1 + workers (the kernel's iterator: 1, its reader not counted). */
  threads: number;
  /** Whether descriptors were compared with found holders (kcmp) after the first phase. */
  compared: boolean;
  /**
   * The kernel's iterator only: looks for sockets once more, for a caller
   * that did not name what it wanted and then missed some (a socket made
   * after the iterator passed its holder). Null when the pass failed.
   */
  lookAgain?: (inodes: ReadonlySet<number>) => Promise<Uint32Array | null>;
}

export interface OwnerWalk {
  /**
   * Starts the worker threads now, idle, when the host's open files say the
   * walk will want them: their start-up (about 30 ms) then overlaps what the
   * caller does before it knows which sockets to look for (the kernel's dump).
   */
  warm(): void;
  /** Starts the workers on the walk; `wanted`: only these inodes (null: every socket). */
  begin(wanted: ReadonlySet<number> | null): void;
  /** Walks what the workers left, then gathers everything; begins first if begin was not called. */
  finish(): Promise<OwnerWalkResult>;
  /** Ends the workers (after finish, or instead of it). */
  close(): void;
}

export function prepareOwnerWalk(opts: OwnerWalkOptions = {}): OwnerWalk {
  // TCPDIAG_OWNER_WALK=bpf: the kernel's iterator whatever the host's size, and nothing else (tests,
  // comparisons): where it cannot run, the command says why and exits 3 rather than answer another way.
  const how = opts.how ?? (process.env.TCPDIAG_OWNER_WALK === 'bpf' ? 'bpf' : 'auto');
  // The kernel's iterator reads every process at once: not for one process's descriptors. Its set-up (the
  // kernel's BTF read and searched, a program verified: 10-30 ms) is repaid only on a busy host.
  if (opts.onlyPid === undefined && (how === 'bpf' || (how === 'auto' && openFilesOnHost() >= KERNEL_ITER_MIN_FDS))) {
    const koffi = loadKoffi();
    const why = koffi ? socketFileIterUnavailable(koffi.koffi) : 'koffi is not installed';
    if (why === null) return kernelOwnerWalk(koffi!.koffi, opts.port, how === 'bpf' ? null : () => prepareProcWalk({ ...opts, how: 'auto' }));
    if (how === 'bpf') throw new CannotRunError(`${ITER_ASKED}: it cannot run here: ${why}`);
  }
  return prepareProcWalk(opts);
}

/**
 * The walk by the kernel's iterator: one pass started as soon as the walk
 * is warmed or begun (so it overlaps the caller's dump), its pairs sifted
 * at finish. Where the kernel refuses the program, the /proc walk answers.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function kernelOwnerWalk(koffi: any, port: number | undefined, procWalk: (() => OwnerWalk) | null): OwnerWalk {
  let scan: SocketFileScan | null | undefined;
  let wanted: ReadonlySet<number> | null = null;
  const start = () => {
    if (scan === undefined) scan = scanSocketFiles(koffi, port);
  };
  return {
    warm: start,
    begin(inodes) {
      wanted = inodes;
      start();
    },
    async finish() {
      start();
      const pairs = scan ? await ownersOf(koffi, scan, wanted) : null;
      if (pairs) return { pairs, hiddenPids: 0, how: 'bpf', threads: 1, compared: false, lookAgain: (inodes) => lookAgain(koffi, inodes) };
      if (!procWalk) throw new CannotRunError(`${ITER_ASKED}: the kernel refused its program or its read (seccomp, lockdown, an old verifier)`);
      const walk = procWalk();
      walk.begin(wanted);
      return walk.finish();
    },
    close() {
      scan?.abandon();
    },
  };
}

/** The walk over /proc/<pid>/fd: native or plain Node, with workers where they pay. */
function prepareProcWalk(opts: OwnerWalkOptions): OwnerWalk {
  const koffi = opts.how === 'node' ? null : loadKoffi();
  const native = koffi ? makeNativeFdWalker(koffi.koffi) : null;
  if (opts.how === 'native' && !native) throw new Error('the native descriptor walk needs koffi and libc');
  const walk: FdWalker = native ?? makeNodeFdWalker();
  const how = native ? 'native' : 'node';
  // TCPDIAG_OWNER_THREADS: worker threads for every walk (0: none), for tests and for hosts where the automatic choice is wrong.
  const fromEnv = Number.parseInt(process.env.TCPDIAG_OWNER_THREADS ?? '', 10);
  const asked = opts.workers ?? (fromEnv >= 0 ? Math.min(fromEnv, 16) : 'auto');
  const workers: Array<ReturnType<typeof startWorker>> = [];
  const forget = onInterrupt(() => close());
  let job: ReturnType<typeof planTasks> | undefined;
  let comparing = false;
  let results: Array<Promise<PairSink | null>> = [];
  let last = Date.now();
  /** Lets Ctrl-C and worker messages through once a slice of work has passed. */
  const yieldNow = async (): Promise<boolean> => {
    if (Date.now() - last < SLICE_MS) return false;
    await new Promise((r) => setImmediate(r));
    last = Date.now();
    return true;
  };
  /** Starts the worker threads this walk is worth (only for the native walk), idle until given work. */
  const startWorkers = (descriptors: number) => {
    // A worker loads koffi again from its file: none named (a bundler's alias), no workers.
    const count = !native || !koffi?.path ? 0 : asked === 'auto' ? (descriptors < WORKER_MIN_FDS ? 0 : Math.min(availableParallelism() - 1, MAX_WORKERS)) : asked;
    for (let i = 0; i < count; i++) workers.push(startWorker(koffi!.path!));
  };
  /** Gives the workers `shared` to walk beside this thread. */
  const share = (shared: WalkJob) => {
    results = workers.map((w) => w.run(shared));
  };

  function close(): void {
    forget();
    for (const w of workers) void w.worker.terminate();
  }
  function warm(): void {
    if (!job && workers.length === 0) startWorkers(openFilesOnHost());
  }
  function begin(inodes: ReadonlySet<number> | null): void {
    if (job) return;
    // The native walk reads a big process in ranges that threads share; the Node walk lists a directory per task, so one task per process.
    job = planTasks(opts.onlyPid, native !== null);
    job.wanted = inodes ? Uint32Array.from(inodes) : null;
    // A few wanted sockets: compared on this thread once a holder of each is known (os/linux/owner-walk-compare.ts).
    comparing = native !== null && opts.compare !== false && inodes !== null && inodes.size > 0 && inodes.size <= MAX_COMPARED;
    // Started now (unless warm did), so their start-up overlaps this thread's work (the kernel's dump, or the first holders' search).
    if (workers.length === 0) startWorkers(job.descriptors);
    if (!comparing) share(job);
  }
  async function finish(): Promise<OwnerWalkResult> {
    begin(null);
    const planned = job!;
    const mine: PairSink = { pairs: new Uint32Array(4096), n: 0 };
    try {
      let shared: WalkJob = planned;
      let own = walk;
      let compared = false;
      if (comparing) {
        const { left, holders } = await findFirstHolders(walk, planned, planned.sizes, mine, yieldNow);
        const refs = left.length > 0 && holders.length > 0 ? orderByFile(koffi!.koffi, holders) : null;
        const comparer = refs ? makeNativeFdWalker(koffi!.koffi, refs) : null;
        compared = comparer !== null;
        own = comparer ?? walk;
        shared = { ...planned, tasks: left, taken: new Int32Array(new SharedArrayBuffer(4 * Math.max(1, left.length / 3))) };
        // kcmp takes locks of the holder's task and a reference on its file that threads comparing at once fight
        // over (measured: two threads no faster than one; naming the holder by another of its threads still left
        // the file's reference count shared, and the walk slower than this), but not a thread reading links of
        // other processes meanwhile (about 4x slower per descriptor than this thread's one or two kcmp calls,
        // untouched by them): so this thread compares and the workers read links, each claiming ranges of the one list.
        share(shared);
      }
      last = Date.now();
      while (takeWalkTasks(own, shared, mine, last + SLICE_MS)) await yieldNow();
      const theirs = await Promise.all(results);
      if (theirs.includes(null)) return await walkAgainAlone(planned);
      const sinks = [mine, ...(theirs as PairSink[])];
      return { pairs: concat(sinks), hiddenPids: planned.state.filter((s) => s === WALK_HIDDEN).length, how, threads: 1 + workers.length, compared };
    } finally {
      close();
    }
  }
  /** A worker that failed may have taken ranges it never finished: walk everything again on this thread. */
  async function walkAgainAlone(planned: WalkJob): Promise<OwnerWalkResult> {
    const again: WalkJob = { ...planned, taken: new Int32Array(new SharedArrayBuffer(4 * Math.max(1, planned.tasks.length / 3))), state: new Int32Array(new SharedArrayBuffer(planned.state.length * 4)) };
    const out: PairSink = { pairs: new Uint32Array(4096), n: 0 };
    while (takeWalkTasks(walk, again, out, Date.now() + SLICE_MS)) await new Promise((r) => setImmediate(r));
    return { pairs: out.pairs.slice(0, out.n), hiddenPids: again.state.filter((s) => s === WALK_HIDDEN).length, how, threads: 1, compared: false };
  }
  return { warm, begin, finish, close };
}

/**
 * Open files on the whole host (the first field of /proc/sys/fs/file-nr): one
 * read instead of a stat of every process's descriptor directory, an upper
 * bound of what the walk will read (it also counts processes this /proc does
 * not show, so on a host of containers a worker may start for nothing). 0
 * when unreadable: then no worker starts early.
 */
function openFilesOnHost(): number {
  try {
    return Number.parseInt(readFileSync('/proc/sys/fs/file-nr', 'latin1'), 10) || 0;
  } catch {
    return 0;
  }
}

/** The processes to read and their ranges: [pid slot, first fd, end fd) per task. */
function planTasks(onlyPid: number | undefined, split: boolean): WalkJob & { descriptors: number; sizes: Int32Array } {
  const entries = onlyPid !== undefined ? [String(onlyPid)] : readdirSync('/proc');
  // Linux >= 6.2 reports the number of open descriptors as the size of /proc/<pid>/fd; older kernels report 0.
  const counted = statSync('/proc/self/fd').size > 0;
  const pids: number[] = [];
  const sizes: number[] = [];
  const tasks: number[] = [];
  let descriptors = 0;
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    const size = statSync(`/proc/${pid}/fd`, { throwIfNoEntry: false })?.size;
    if (size === undefined) continue; // ended meanwhile
    if (counted && size === 0) continue; // no open file, so no socket: a kernel thread or a zombie
    const slot = pids.push(pid) - 1;
    sizes.push(size);
    descriptors += size;
    if (!split || !counted || size <= RANGE) tasks.push(slot, 0, NO_END);
    else for (let from = 0; from < size; from += RANGE) tasks.push(slot, from, from + RANGE >= size ? NO_END : from + RANGE);
  }
  return {
    pids: Int32Array.from(pids),
    tasks: Int32Array.from(tasks),
    taken: new Int32Array(new SharedArrayBuffer(4 * Math.max(1, tasks.length / 3))),
    state: new Int32Array(new SharedArrayBuffer(4 * Math.max(1, pids.length))),
    wanted: null,
    descriptors,
    sizes: Int32Array.from(sizes),
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
