// The owner walk (issue #19): the native walk (readlinkat through koffi, on
// one thread or shared with workers) and the plain-Node fallback must find
// the same (pid, inode) pairs on the same processes: a crowd of sockets with
// single and long gaps in its descriptor table (ranges, probing and listing),
// and a socket two processes hold. A walk asked for a few inodes returns
// exactly their holders, also when the processes read after the first holders
// are compared with them (kcmp) instead. Nothing is left behind: not a
// directory descriptor, not a worker thread, also when a walk is ended early.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareOwnerWalk, type OwnerWalkOptions } from '../../src/os/linux/owner-walk.js';
import { holdersByInode } from '../../src/os/linux/owners.js';
import { orderByFile } from '../../src/os/linux/owner-walk-compare.js';
import { loadKoffi } from '../../src/os/ffi/libc.js';
import { createLinuxSocketTable } from '../../src/os/linux/socket-table.js';
import { scanSocketFiles, socketFileIterUnavailable } from '../../src/os/linux/socket-files-bpf.js';
import type { SocketRow } from '../../src/os/sockets.js';

const CROWD = join(__dirname, '..', 'helpers', 'scripts', 'socket-crowd.cjs');
const CONNECTIONS = 1200; // about 2,200 socket descriptors: more than one range of 2,048

const inodeOf = (link: string) => Number(/^socket:\[(\d+)\]$/.exec(link)?.[1] ?? NaN);
const openFds = () => readdirSync('/proc/self/fd').length;
const threads = () => readdirSync('/proc/self/task').length;
/** Whether kcmp(2) answers on this kernel: one holder (this process's stdin) ordered by itself. */
const kcmpHere = orderByFile(loadKoffi()?.koffi, [process.pid, 0, 1]) !== null;
/** Why the kernel's socket file iterator cannot run here (root, BTF, this PID namespace), or null: then it is one of the ways. */
let noKernelIter: string | null = 'not asked yet';

/** Why the kernel's iterator cannot run here, trying it when nothing else says so; null when it can. */
async function kernelIterHere(): Promise<string | null> {
  const koffi = loadKoffi()?.koffi;
  if (process.platform !== 'linux' || !koffi) return 'not Linux, or koffi is not installed';
  const why = socketFileIterUnavailable(koffi);
  if (why !== null) return why;
  const pairs = await scanSocketFiles(koffi, 1)?.pairs;
  return pairs ? null : 'the kernel refused the program or its read (seccomp, lockdown)';
}

describe.skipIf(process.platform !== 'linux')('the owner walk (skip reason: not Linux)', () => {
  let crowd: ChildProcess;
  let crowdSockets = 0;
  let server: Server;
  let shared: Socket;
  let sleeper: ChildProcess;
  let sharedInode = 0;

  beforeAll(async () => {
    crowd = spawn(process.execPath, [CROWD, String(CONNECTIONS)], { stdio: ['pipe', 'pipe', 'inherit'] });
    crowdSockets = JSON.parse(String(await new Promise((r) => crowd.stdout!.once('data', r)))).sockets;
    // A client socket this process shares with a child: its fd 3.
    server = createServer((s) => s.on('error', () => {}));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    shared = await new Promise<Socket>((r, reject) => {
      const c = connect((server.address() as { port: number }).port, '127.0.0.1', () => r(c));
      c.on('error', reject);
    });
    sleeper = spawn('sleep', ['60'], { stdio: ['ignore', 'ignore', 'ignore', shared] });
    sharedInode = inodeOf(readlinkSync(`/proc/self/fd/${(shared as unknown as { _handle: { fd: number } })._handle.fd}`));
  });
  afterAll(async () => {
    sleeper?.kill('SIGKILL');
    crowd?.stdin?.end();
    shared?.destroy();
    await new Promise((r) => server.close(r));
  });

  /** The shared client socket as a row of the socket table (its inode is what the owner lookup asks for). */
  const sharedRow = (): SocketRow => ({
    protocol: 'tcp',
    family: 'ipv4',
    local: { address: '127.0.0.1', port: shared.localPort! },
    remote: { address: '127.0.0.1', port: shared.remotePort! },
    state: 'ESTABLISHED',
    pid: null,
    process: null,
    owner: 'not-collected',
    inode: sharedInode,
  });
  const walk = async (opts: OwnerWalkOptions & { warm?: boolean }, wanted: ReadonlySet<number> | null) => {
    const w = prepareOwnerWalk(opts);
    // Warmed: the workers start before the wanted inodes are known, as bind and sockets --port start them.
    if (opts.warm) w.warm();
    w.begin(wanted);
    return w.finish();
  };
  /** The pairs of the processes this test made, as sorted text. */
  const ours = (pairs: Uint32Array) => {
    const pids = new Set([crowd.pid, sleeper.pid, process.pid]);
    const out: string[] = [];
    for (let i = 0; i < pairs.length; i += 2) if (pids.has(pairs[i])) out.push(`${pairs[i]} ${pairs[i + 1]}`);
    return out.sort();
  };
  const ways: Array<[string, OwnerWalkOptions & { warm?: boolean }]> = [
    ['native, one thread', { how: 'native', workers: 0 }],
    ['native, one worker', { how: 'native', workers: 1 }],
    ['native, two workers', { how: 'native', workers: 2 }],
    ['native, two workers started early', { how: 'native', workers: 2, warm: true }],
    ['plain Node', { how: 'node' }],
  ];
  beforeAll(async () => {
    noKernelIter = await kernelIterHere();
    if (noKernelIter === null) ways.push(["the kernel's iterator", { how: 'bpf' }]);
  });
  it("the kernel's socket file iterator is one of the ways wherever it can run (the reason it cannot is printed)", () => {
    if (noKernelIter !== null) console.log(`the kernel's socket file iterator is not one of the ways here: ${noKernelIter}`);
    // As root in the first PID namespace of a kernel with BTF, only the kernel may refuse (seccomp, lockdown): tcpdiag's
    // part must work. (A program the verifier refuses fails test/live/socket-files-bpf.test.ts, which does not allow for it.)
    const shouldRun = process.getuid?.() === 0 && readlinkSync('/proc/self/ns/pid') === 'pid:[4026531836]' && existsSync('/sys/kernel/btf/vmlinux');
    if (shouldRun) expect(noKernelIter ?? '').not.toMatch(/BTF|koffi|bpf\(2\) number/);
  });

  it('every way finds the same sockets of every process, the shared one under both holders', async () => {
    const results = [];
    for (const [name, opts] of ways) {
      const r = await walk(opts, null);
      expect(r.how, name).toBe(opts.how);
      expect(r.threads, name).toBe(1 + (typeof opts.workers === 'number' ? opts.workers : 0));
      results.push(ours(r.pairs));
    }
    const [first, ...rest] = results;
    for (const other of rest) expect(other).toEqual(first);
    expect(first!.filter((p) => p.startsWith(`${crowd.pid} `))).toHaveLength(crowdSockets);
    const pairs = Uint32Array.from(first!.flatMap((p) => p.split(' ').map(Number)));
    expect(holdersByInode(pairs).get(sharedInode)).toEqual([process.pid, sleeper.pid!].sort((a, b) => a - b));
  });

  it('asked for a few inodes, every way returns exactly their holders', async () => {
    const crowdInodes = readdirSync(`/proc/${crowd.pid}/fd`).flatMap((fd) => {
      const inode = inodeOf(readlinkSync(`/proc/${crowd.pid}/fd/${fd}`));
      return Number.isNaN(inode) ? [] : [inode];
    });
    // One from the start of the crowd's table, one from the middle, one from its end; and the shared one.
    const wanted = new Set([crowdInodes[0]!, crowdInodes[1000]!, crowdInodes.at(-1)!, sharedInode]);
    const expected = [...[crowdInodes[0], crowdInodes[1000], crowdInodes.at(-1)].map((i) => `${crowd.pid} ${i}`), `${process.pid} ${sharedInode}`, `${sleeper.pid} ${sharedInode}`].sort();
    for (const [name, opts] of [...ways, ['native, every link read', { how: 'native', workers: 1, compare: false }] as const]) {
      const r = await walk(opts, wanted);
      expect(ours(r.pairs), name).toEqual(expected);
      // Nobody else holds them: no pair names another process.
      expect(r.pairs.length, name).toBe(expected.length * 2);
      // (Whether anything was left to compare depends on this host's other processes: the crowd may be the biggest.)
    }
  });

  it('a socket whose first holder is small: the bigger processes are compared with it, and its other holder is found', async () => {
    // The sleeper (a few descriptors) is read first; this process and the crowd are then compared with its copy.
    for (const [name, opts] of [...ways, ['native, every link read', { how: 'native', compare: false }] as const]) {
      const r = await walk(opts, new Set([sharedInode]));
      expect(ours(r.pairs), name).toEqual([`${process.pid} ${sharedInode}`, `${sleeper.pid} ${sharedInode}`].sort());
      // Compared wherever kcmp answers (a kernel without CONFIG_KCMP reads every link instead, and must find the same).
      expect(r.compared, name).toBe(kcmpHere && opts.how === 'native' && opts.compare !== false);
      // Workers asked for walk beside the comparing thread (reading links), whether started early or not.
      if (typeof opts.workers === 'number') expect(r.threads, name).toBe(1 + opts.workers);
    }
  });

  it('the /proc walk starts its workers itself on a host with 16,384 open files or more, warmed or begun; none on a quiet host', async () => {
    if (!loadKoffi()?.path) throw new Error('koffi is needed here: the workers walk natively (npm ci installs it)');
    const openFiles = () => Number.parseInt(readFileSync('/proc/sys/fs/file-nr', 'latin1'), 10);
    // What the automatic choice starts on this machine: a worker per core beside this thread's, at most 3.
    const busy = 1 + Math.min(availableParallelism() - 1, 3);
    const threadsOf = async (warmed: boolean) => {
      const w = prepareOwnerWalk();
      if (warmed) w.warm();
      w.begin(new Set([sharedInode]));
      const r = await w.finish();
      expect(r.how).toBe('native');
      expect(holdersByInode(r.pairs).get(sharedInode)).toEqual([process.pid, sleeper.pid!].sort((a, b) => a - b));
      return r.threads;
    };
    const env = { walk: process.env.TCPDIAG_OWNER_WALK, threads: process.env.TCPDIAG_OWNER_THREADS };
    process.env.TCPDIAG_OWNER_WALK = 'proc'; // the kernel's iterator, which the same count would choose, kept out
    delete process.env.TCPDIAG_OWNER_THREADS;
    let many: ChildProcess | undefined;
    try {
      // Quiet: this thread alone (judged only when no other test held many files before and after).
      const quietBefore = openFiles() < 12_000;
      const quiet = [await threadsOf(true), await threadsOf(false)];
      if (quietBefore && openFiles() < 12_000) expect(quiet).toEqual([1, 1]);
      // 17,000 files more, each opened on its own so the kernel counts each (file-nr and /proc/<pid>/fd's size).
      many = spawn('bash', ['-c', 'ulimit -n 17100; for i in $(seq 17000); do exec {fd}</dev/null; done; echo held; sleep 60'], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
      await new Promise((r) => many!.stdout!.once('data', r));
      expect(openFiles()).toBeGreaterThanOrEqual(16_384);
      // Warmed: counted from file-nr before the walk is planned. Begun: from the processes' own counts, which
      // Linux gives as the size of /proc/<pid>/fd from 6.2 on (before, 0: then only a warmed walk starts workers).
      const counted = statSync('/proc/self/fd').size > 0;
      expect([await threadsOf(true), await threadsOf(false)]).toEqual([busy, counted ? busy : 1]);
    } finally {
      if (many) process.kill(-many.pid!, 'SIGKILL');
      for (const [name, value] of [['TCPDIAG_OWNER_WALK', env.walk], ['TCPDIAG_OWNER_THREADS', env.threads]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('leaves no descriptor and no thread behind, finished or ended early', async () => {
    // Workers of the walks above end in the background (their event loops hold descriptors until then).
    const settled = async () => {
      for (let seen = -1, i = 0; i < 50 && seen !== threads(); i++) {
        seen = threads();
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await settled();
    const [fds, tasks] = [openFds(), threads()];
    await walk({ how: 'native', workers: 2 }, null);
    const early = prepareOwnerWalk({ how: 'native', workers: 2 });
    early.begin(null);
    early.close();
    // Started early and never used (the table read failed): closed, nothing stays.
    const unused = prepareOwnerWalk({ how: 'native', workers: 2 });
    unused.warm();
    unused.close();
    // Workers ended while the walk runs (as Ctrl-C ends them): the walk still ends, whole, on this thread.
    const whole = ours((await walk({ how: 'node' }, null)).pairs);
    // The kernel's iterator, begun and closed unfinished: its pass reads on to its end, then its worker and descriptor go.
    if (noKernelIter === null) {
      const unfinished = prepareOwnerWalk({ how: 'bpf' });
      unfinished.begin(null);
      unfinished.close();
    }
    const racing = prepareOwnerWalk({ how: 'native', workers: 2 });
    racing.begin(null);
    const done = racing.finish();
    racing.close();
    expect(ours((await done).pairs)).toEqual(whole);
    // The Linux backend's warmed walk (prepareOwners, then resolveOwners), workers forced: closed whichever way it
    // ends, nothing asked for, a --pid question (which reads one process instead), prepared twice, or used.
    const env = process.env.TCPDIAG_OWNER_THREADS;
    process.env.TCPDIAG_OWNER_THREADS = '2';
    try {
      const backend = createLinuxSocketTable();
      backend.prepareOwners();
      await backend.resolveOwners([]);
      backend.prepareOwners();
      await backend.resolveOwners([{ ...sharedRow(), pid: null }], process.pid);
      backend.prepareOwners();
      backend.prepareOwners();
      const row = sharedRow();
      await backend.resolveOwners([row]);
      expect([row.pid, ...(row.otherOwners ?? []).map((o) => o.pid)].sort()).toEqual([process.pid, sleeper.pid!].sort());
    } finally {
      if (env === undefined) delete process.env.TCPDIAG_OWNER_THREADS;
      else process.env.TCPDIAG_OWNER_THREADS = env;
    }
    // Ended threads leave /proc/self/task within moments.
    await settled();
    expect(threads()).toBe(tasks);
    expect(openFds()).toBe(fds);
  });
});
