// The kernel's socket file iterator (issue #19, os/linux/socket-files-bpf.ts)
// against the /proc walk, on real sockets: the same holders of every socket
// of this test's processes, a socket two processes hold under both; a pass
// narrowed to one port gives exactly that port's sockets (local or remote
// side, the sock_common fields found inside the kernel's unnamed members);
// a socket made after a pass went by is found by the second look; it is
// chosen by the host's open files (16,384 or more) unless turned off; loads
// go through a profiler's signals and reads past a million files without a
// socket; a listener no process holds (in flight between two) is said to be
// held by no process; and it is never used where its pids would be wrong (a PID
// namespace of its own: the CLI there must answer with that namespace's
// pids) or where it may not run (an unprivileged user: the /proc walk
// answers, and says nothing of BPF).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKoffi } from '../../src/os/ffi/libc.js';
import { prepareOwnerWalk } from '../../src/os/linux/owner-walk.js';
import { holdersByInode } from '../../src/os/linux/owners.js';
import { assembleSocketFileProgram, kernelOffsets, ownersOf, scanSocketFiles, socketFileIterUnavailable } from '../../src/os/linux/socket-files-bpf.js';
import { cliShell, runCli } from '../helpers/cli.js';
import { unprivilegedCli } from '../helpers/unprivileged-cli.js';

const koffi = loadKoffi()?.koffi;
/** Why the iterator cannot run here (printed in the skip), or null. */
const why = process.platform !== 'linux' ? 'not Linux' : !koffi ? 'koffi is not installed' : socketFileIterUnavailable(koffi);
const fdOf = (s: Server | Socket) => (s as unknown as { _handle: { fd: number } })._handle.fd;
const inodeOfFd = (fd: number) => Number(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))![1]);

describe.skipIf(why !== null)(`the kernel's socket file iterator (skip reason: ${why})`, () => {
  let server: Server;
  let other: Server;
  let client: Socket;
  let accepted: Socket;
  let sleeper: ChildProcess;
  beforeAll(async () => {
    server = createServer((s) => (accepted = s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    other = createServer();
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    client = connect((server.address() as { port: number }).port, '127.0.0.1');
    await new Promise((r) => client.once('connect', r));
    while (!accepted) await new Promise((r) => setImmediate(r));
    // The listener, shared with a child: two holders.
    sleeper = spawn('sleep', ['60'], { stdio: ['ignore', 'ignore', 'ignore', fdOf(server)] });
  });
  afterAll(async () => {
    sleeper?.kill('SIGKILL');
    client?.destroy();
    accepted?.destroy();
    await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => other.close(r))]);
  });
  const port = () => (server.address() as { port: number }).port;
  /** This test's processes' pairs, as sorted "pid inode" text. */
  const ours = (pairs: Uint32Array) => {
    const pids = new Set([process.pid, sleeper.pid]);
    const out: string[] = [];
    for (let i = 0; i < pairs.length; i += 2) if (pids.has(pairs[i])) out.push(`${pairs[i]} ${pairs[i + 1]}`);
    return out.sort();
  };

  it('finds what the /proc walk finds: every socket of these processes, the shared listener under both holders', async () => {
    const walk = async (how: 'bpf' | 'native') => {
      const w = prepareOwnerWalk({ how, workers: 0 });
      w.begin(null);
      return w.finish();
    };
    const kernel = await walk('bpf');
    expect(kernel.how).toBe('bpf');
    expect(kernel.hiddenPids).toBe(0);
    const proc = await walk('native');
    expect(ours(kernel.pairs)).toEqual(ours(proc.pairs));
    const listener = inodeOfFd(fdOf(server));
    expect(holdersByInode(kernel.pairs).get(listener)).toEqual([process.pid, sleeper.pid!].sort((a, b) => a - b));
    // Threads share their process's descriptors: each socket once per process, however many threads it has.
    expect(new Set(ours(kernel.pairs)).size).toBe(ours(kernel.pairs).length);
  });

  it('is chosen on a host with 16,384 open files or more, and never with TCPDIAG_OWNER_WALK=proc', async () => {
    const openFiles = () => Number.parseInt(readFileSync('/proc/sys/fs/file-nr', 'latin1'), 10);
    const how = async () => {
      const w = prepareOwnerWalk();
      w.begin(new Set([inodeOfFd(fdOf(server))]));
      return (await w.finish()).how;
    };
    // Quiet: the /proc walk, whose set-up costs nothing (judged only when no other test held many files before and after).
    const quietBefore = openFiles() < 12_000;
    const quiet = await how();
    if (quietBefore && openFiles() < 12_000) expect(quiet).not.toBe('bpf');
    // 17,000 files more (each opened on its own, so the kernel counts each).
    const env = process.env.TCPDIAG_OWNER_WALK;
    const crowd = spawn('bash', ['-c', 'ulimit -n 17100; for i in $(seq 17000); do exec {fd}</dev/null; done; echo held; sleep 60'], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    try {
      await new Promise((r) => crowd.stdout!.once('data', r));
      expect(openFiles()).toBeGreaterThanOrEqual(16_384);
      expect(await how()).toBe('bpf');
      process.env.TCPDIAG_OWNER_WALK = 'proc';
      expect(await how()).not.toBe('bpf');
    } finally {
      if (env === undefined) delete process.env.TCPDIAG_OWNER_WALK;
      else process.env.TCPDIAG_OWNER_WALK = env;
      process.kill(-crowd.pid!, 'SIGKILL');
    }
  });

  it('a pass narrowed to a port gives exactly the sockets with that local or remote port', async () => {
    const pairs = await scanSocketFiles(koffi, port())!.pairs;
    const expected = [
      `${process.pid} ${inodeOfFd(fdOf(server))}`,
      `${sleeper.pid} ${inodeOfFd(fdOf(server))}`,
      `${process.pid} ${inodeOfFd(fdOf(client))}`, // remote port
      `${process.pid} ${inodeOfFd(fdOf(accepted))}`, // local port
    ].sort();
    // Other processes of this host may hold sockets on the same port number (in other namespaces): only ours are compared.
    expect(ours(pairs!)).toEqual(expected);
    expect(ours(pairs!)).not.toContain(`${process.pid} ${inodeOfFd(fdOf(other))}`);
  });

  it('a holder that ended after the pass is dropped, its socket still named under the holder that lives', async () => {
    const other = spawn('sleep', ['60'], { stdio: ['ignore', 'ignore', 'ignore', fdOf(server)] });
    await new Promise((r) => other.once('spawn', r));
    const scan = scanSocketFiles(koffi, port())!;
    const listener = inodeOfFd(fdOf(server));
    expect(ours(await scan.pairs.then((p) => p!))).toContain(`${process.pid} ${listener}`);
    const seen = Array.from((await scan.pairs)!);
    expect(seen.some((v, i) => i % 2 === 0 && v === other.pid)).toBe(true);
    // Ended, and reaped, between the pass and the answer (as between a pass and bind's table read).
    const ended = new Promise((r) => other.once('exit', r));
    other.kill('SIGKILL');
    await ended;
    const pairs = Array.from((await ownersOf(koffi, scan, new Set([listener])))!);
    expect(pairs.filter((_, i) => i % 2 === 0).sort((a, b) => a - b)).toEqual([process.pid, sleeper.pid].sort((a, b) => a! - b!));
  });

  it('a listener no process holds (in flight to a stopped child) is said to be held by no process, not to be in another PID namespace', async () => {
    const inFlight = spawn(process.execPath, [join(__dirname, '..', 'helpers', 'scripts', 'in-flight-listener.cjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      const { port: held } = JSON.parse(String(await new Promise((r) => inFlight.stdout!.once('data', r))));
      const ask = (env: NodeJS.ProcessEnv) => runCli(['sockets', '--port', String(held), '--json'], { env }).json();
      const owners = (r: { data: { rows: Array<{ owner: string; pid: number | null }> } }) => r.data.rows.map((row) => [row.owner, row.pid]);
      const said = (r: { findings: Array<{ code: string; message: string }> }) => r.findings.find((f) => f.code === 'owners-hidden')?.message ?? '';
      // The kernel's iterator sees every process: nobody holds it, and that is what is said (after a second look).
      const kernel = ask({ TCPDIAG_OWNER_WALK: 'bpf' });
      expect(owners(kernel)).toEqual([['hidden', null]]);
      expect(said(kernel)).toMatch(/owners of 1 socket were not found: no process holds them as an open file/);
      // The /proc walk, from the first PID namespace: a process it could not read may be the holder (this host's
      // PID 1 refuses even root), or nobody is; never a process of another PID namespace.
      const proc = ask({ TCPDIAG_OWNER_WALK: 'proc' });
      expect(owners(proc)).toEqual([['hidden', null]]);
      expect(said(proc)).toMatch(/no process holds them as an open file|could not be read even as root/);
      expect(said(proc)).not.toMatch(/PID namespace/);
    } finally {
      inFlight.stdin!.end();
    }
  });

  it('a socket made after a pass went by is found by a second look', async () => {
    const scan = scanSocketFiles(koffi, port())!;
    await scan.pairs;
    const late = createServer();
    await new Promise<void>((r) => late.listen(0, '127.0.0.1', r));
    try {
      const inode = inodeOfFd(fdOf(late));
      // Not on the narrowed port either: the second look is not narrowed.
      const pairs = await ownersOf(koffi, scan, new Set([inode]));
      expect(Array.from(pairs!)).toEqual([process.pid, inode]);
    } finally {
      await new Promise((r) => late.close(r));
    }
  });

  it('loads while a profiler samples this thread every 100 us (the verifier gives up with EAGAIN on a signal: asked again)', async () => {
    // V8's sampling profiler signals the sampled thread (SIGPROF): the one calling bpf(2).
    const session = new Session();
    session.connect();
    const post = (method: string, params?: object) => new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
    try {
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 100 });
      await post('Profiler.start');
      let loaded = 0;
      for (let i = 0; i < 40; i++) {
        const scan = scanSocketFiles(koffi, 1);
        if (scan && (await scan.pairs)) loaded++;
      }
      expect(loaded).toBe(40);
    } finally {
      await post('Profiler.stop');
      session.disconnect();
    }
  });

  it('reads on past a million open files without a socket of the port (the kernel answers such a read with EAGAIN)', async () => {
    // Processes holding the same descriptors of /dev/null (inherited; as many as the hard limit allows, 20,000
    // here): over two million objects in a row, none a socket, so one read after this test's sockets is all of
    // them (a read that wrote something ends at the millionth object with what it has). Their standard streams
    // go to /dev/null: a pipe from Node is a socket pair, which the whole pass writes.
    const hard = Number(spawnSync('bash', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout.trim());
    const each = Math.min(Number.isFinite(hard) ? hard : 1e6, 100_000) - 20; // "unlimited" is not finite
    if (each < 10_000) throw new Error(`this test needs a hard descriptor limit of 10,000 or more (ulimit -Hn is ${hard})`);
    const count = Math.ceil(2_100_000 / each);
    const script = `ulimit -n ${each + 20}; for i in $(seq ${each}); do exec {fd}</dev/null; done; for i in $(seq ${count}); do sleep 60 </dev/null >/dev/null 2>&1 & done; ls /proc/$!/fd | wc -l; wait`;
    const crowd = spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    try {
      const held = Number(String(await new Promise((r) => crowd.stdout!.once('data', r))).trim());
      expect(held * count).toBeGreaterThan(2_000_000);
      // Narrowed to this test's port (on the pool) and whole (in a worker): after this test's sockets, nothing
      // written for over a million files.
      const narrowed = await scanSocketFiles(koffi, port())!.pairs;
      expect(narrowed).not.toBeNull();
      expect(ours(narrowed!)).toContain(`${process.pid} ${inodeOfFd(fdOf(server))}`);
      const whole = await scanSocketFiles(koffi)!.pairs;
      expect(whole).not.toBeNull();
      expect(ours(whole!)).toContain(`${process.pid} ${inodeOfFd(fdOf(other))}`);
    } finally {
      process.kill(-crowd.pid!, 'SIGKILL');
    }
  }, 60_000);

  it("reads its offsets from this kernel's BTF, nested unnamed members included", () => {
    const o = kernelOffsets(readFileSync('/sys/kernel/btf/vmlinux'))!;
    expect(o).not.toBeNull();
    // skc_num and skc_dport sit side by side in an unnamed struct inside an unnamed union of sock_common (include/net/sock.h).
    expect(o.ports!.localPort - o.ports!.remotePort).toBe(2);
    expect(assembleSocketFileProgram(o, 80).length).toBeGreaterThan(assembleSocketFileProgram(o).length);
    expect(kernelOffsets(Buffer.from('not BTF at all, longer than its header'))).toBeNull();
  });

  it('is not used in a PID namespace of its own: the CLI there names owners by that namespace\'s pids', () => {
    if (spawnSync('unshare', ['--version']).status !== 0) throw new Error('unshare (util-linux) is missing: .ci/run installs it');
    // In a new PID namespace (with its own /proc), a listener, 17,000 open files (a host busy enough for the
    // iterator) and tcpdiag asked about the listener's port; then the same with the iterator forced, refused.
    const script = `
      node -e "require('net').createServer().listen(0, '127.0.0.1', function () { console.log(this.address().port) })" > "$T/port" &
      holder=$!
      (ulimit -n 17100; for i in $(seq 17000); do exec {fd}</dev/null; done; sleep 60) &
      files=$!
      for i in $(seq 200); do [ -s "$T/port" ] && [ "$(ls /proc/$files/fd | wc -l)" -gt 17000 ] && break; sleep 0.05; done
      echo "$holder $(cut -f1 /proc/sys/fs/file-nr)"
      ${cliShell()} sockets --port "$(cat "$T/port")" --json
      TCPDIAG_OWNER_WALK=bpf ${cliShell()} sockets --port "$(cat "$T/port")" --json 2>&1 >/dev/null
      echo "exit $?"
      kill $holder $files`;
    const dir = spawnSync('mktemp', ['-d'], { encoding: 'utf8' }).stdout.trim();
    try {
      const r = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'bash', '-c', script], { encoding: 'utf8', env: { ...process.env, T: dir, PATH: `${process.execPath.replace(/\/[^/]*$/, '')}:${process.env.PATH}` }, timeout: 60_000 });
      const [first, ...rest] = r.stdout.trim().split('\n');
      const [holder, openFiles] = first!.split(' ').map(Number);
      expect(openFiles).toBeGreaterThanOrEqual(16_384);
      const forced = rest.splice(-2);
      const rows = JSON.parse(rest.join('\n')).data.rows;
      expect(rows.map((row: { pid: number }) => row.pid)).toEqual([holder]);
      expect(holder).toBeLessThan(100); // a pid of the new namespace, not of this one
      expect(forced).toEqual([expect.stringMatching(/TCPDIAG_OWNER_WALK=bpf asks for the kernel's socket file iterator: it cannot run here: this process is in a PID namespace of its own/), 'exit 3']);
    } finally {
      spawnSync('rm', ['-rf', dir]);
    }
  });
});

describe.skipIf(process.platform !== 'linux' || process.getuid?.() !== 0)('the iterator without privilege (skip reason: not Linux, or not root)', () => {
  it("is not tried: the /proc walk names the user's own listener; asked for, the iterator is refused with the reason", async () => {
    const { node, bin, exe } = unprivilegedCli();
    const nobody = ['--reuid=65534', '--regid=65534', '--clear-groups'];
    const listen = "require('net').createServer().listen(0, '127.0.0.1', function () { console.log(this.address().port) })";
    const holder = spawn('setpriv', [...nobody, node, '-e', listen], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const port = String(await new Promise((r) => holder.stdout!.once('data', r))).trim();
      const cli = exe ? [exe] : [node, bin];
      const r = spawnSync('setpriv', [...nobody, ...cli, 'sockets', '--port', port, '--json'], { encoding: 'utf8', timeout: 60_000 });
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout).data.rows.map((row: { owner: string; pid: number }) => [row.owner, row.pid])).toEqual([['found', holder.pid]]);
      const forced = spawnSync('setpriv', [...nobody, ...cli, 'sockets', '--port', port, '--json'], { encoding: 'utf8', env: { ...process.env, TCPDIAG_OWNER_WALK: 'bpf' }, timeout: 60_000 });
      expect(forced.status).toBe(3);
      expect(JSON.parse(forced.stdout).summary).toMatch(/it cannot run here: loading a BPF program needs CAP_BPF and CAP_PERFMON \(root\)/);
    } finally {
      holder.kill('SIGKILL');
    }
  });
});
