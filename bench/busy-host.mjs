// tcpdiag on a busy host (issues #3 and #19), every figure against its anchor
// measured in the same run, min/median/max over BENCH_RUNS_BUSY rounds (5):
//   sockets --json (owners)       <= 0.15x ss -tanp and <= 3x ss -tan
//   sockets --no-owners --json    <= 1.5x ss -tan (issue #3)
//   bind 43611, sockets --port 43611, sockets --pid HOLDER
//                                 <= 2x their own time in the same namespace
//                                    before the load existed
//   doctor --json                 <= 0.35x ss -tanp
//   peak RSS of sockets --json    < 100 MB
//   --version from an npm install <= 1.2x node -e 0
// A private namespace holds a listener on 127.0.0.1:43611 that a `sleep` child
// shares (two owners) with two connections to it; the idle figures are taken
// there first, then 100,000 established loopback sockets are added (bench/
// socket-load.cjs, several processes: the per-process file limit is 20,000).
// Timed commands run from a timing process inside the namespace, so `ip netns
// exec` is in no figure. Linux, root, iproute2 and ss; says why when it cannot run.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interleave, spread } from './lib.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const BIN = join(HERE, '..', 'bin', 'tcpdiag.js');
const LOAD = join(HERE, 'socket-load.cjs');
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 100_000);
const PER_PROCESS = 16_000; // sockets per generator: 8,000 connections, both ends
const PORT = 43611;
// Listens on PORT, hands the listener to a `sleep` child (a second owner), connects twice, prints both pids.
const HOLDER = `const net = require('net'); const { spawn } = require('child_process');
const s = net.createServer(() => {}).listen(${PORT}, '127.0.0.1', () => {
  const child = spawn('sleep', ['3600'], { stdio: ['ignore', 'ignore', 'ignore', s._handle.fd] });
  for (let i = 0; i < 2; i++) net.connect(${PORT}, '127.0.0.1');
  setTimeout(() => console.log(process.pid, child.pid), 200);
  process.stdin.on('end', () => (child.kill('SIGKILL'), process.exit(0))).resume();
});`;

function cannotRun() {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs root (network namespace)';
  for (const tool of ['ip', 'ss']) if (spawnSync(tool, ['-V']).status !== 0) return `needs ${tool}`;
  return null;
}

export async function busyHost() {
  const reason = cannotRun();
  if (reason) return console.log(`skipped: ${reason}`);
  const runs = Math.max(3, Number(process.env.BENCH_RUNS_BUSY ?? 5));
  const ns = `tdg-bench-busy-${process.pid}`;
  const children = [];
  const pids = [];
  const cleanup = () => {
    for (const c of children) c.kill('SIGKILL');
    for (const pid of pids) spawnSync('kill', ['-KILL', pid]);
    spawnSync('ip', ['netns', 'del', ns]);
  };
  process.once('SIGINT', () => (cleanup(), process.exit(130)));
  const node = process.execPath;
  const tcpdiag = (...args) => ({ cmd: node, args: [BIN, ...args] });
  // The same without the kernel's socket file iterator: the /proc walk, for the gain in the same rounds (env adds its exec, ~1 ms).
  const procWalk = (...args) => ({ cmd: 'env', args: ['TCPDIAG_OWNER_WALK=proc', node, BIN, ...args] });
  try {
    console.log(`load average at start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${runs} rounds, Node ${process.version}`);
    startup(runs * 8);
    execFileSync('ip', ['netns', 'add', ns]);
    execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    const holder = spawn('ip', ['netns', 'exec', ns, node, '-e', HOLDER], { stdio: ['pipe', 'pipe', 'inherit'] });
    children.push(holder);
    const [holderPid, sleepPid] = String(await new Promise((r) => holder.stdout.once('data', r))).trim().split(' ');
    pids.push(sleepPid);
    const questions = {
      bind: tcpdiag('bind', String(PORT), '--json'),
      port: tcpdiag('sockets', '--port', String(PORT), '--json'),
      pid: tcpdiag('sockets', '--pid', holderPid, '--json'),
    };
    const idle = measureIn(ns, { node: { cmd: node, args: ['-e', '0'] }, ...questions }, runs);

    const t0 = Date.now();
    const procs = Math.ceil(SOCKETS / PER_PROCESS);
    await Promise.all(
      Array.from({ length: procs }, (_, i) => {
        const g = spawn('ip', ['netns', 'exec', ns, node, LOAD, String(20_000 + i), String(Math.ceil(SOCKETS / procs / 2))], { stdio: ['pipe', 'pipe', 'inherit'] });
        children.push(g);
        return new Promise((resolve, reject) => {
          g.stdout.once('data', resolve);
          g.once('exit', (code) => reject(new Error(`generator exited ${code}`)));
        });
      }),
    );
    const rows = execFileSync('ip', ['netns', 'exec', ns, 'ss', '-tanH'], { encoding: 'utf8', maxBuffer: 1 << 30 }).split('\n').filter(Boolean).length;
    console.log(`${rows} sockets in ${procs} load processes and the holder, built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const busy = measureIn(ns, {
      'ss -tanp': { cmd: 'ss', args: ['-tanp'] },
      'ss -tan': { cmd: 'ss', args: ['-tan'] },
      owners: tcpdiag('sockets', '--json'),
      noOwners: tcpdiag('sockets', '--no-owners', '--json'),
      doctor: tcpdiag('doctor', '--json'),
      ...questions,
      ownersProc: procWalk('sockets', '--json'),
      bindProc: procWalk('bind', String(PORT), '--json'),
      portProc: procWalk('sockets', '--port', String(PORT), '--json'),
    }, runs);
    const per = (name, anchor) => busy[name].map((t, i) => t / busy[anchor][i]);
    const line = (what, samples, ratios, anchor, target) => {
      const s = spread(samples);
      const r = spread(ratios);
      const ok = r.median <= target ? 'ok' : 'OVER TARGET';
      console.log(`${what.padEnd(34)} ${fmt(s)} ms  ${r.median.toFixed(2)}x ${anchor} (${r.min.toFixed(2)}-${r.max.toFixed(2)})  ${ok} (target <= ${target}x)`);
    };
    console.log(`anchors: ss -tanp ${fmt(spread(busy['ss -tanp']))} ms, ss -tan ${fmt(spread(busy['ss -tan']))} ms (min/median/max)`);
    line('sockets --json', busy.owners, per('owners', 'ss -tanp'), 'ss -tanp', 0.15);
    line('sockets --json', busy.owners, per('owners', 'ss -tan'), 'ss -tan', 3);
    line('sockets --no-owners --json', busy.noOwners, per('noOwners', 'ss -tan'), 'ss -tan', 1.5);
    line('doctor --json', busy.doctor, per('doctor', 'ss -tanp'), 'ss -tanp', 0.35);
    for (const [name, label] of [['bind', `bind ${PORT}`], ['port', `sockets --port ${PORT}`], ['pid', 'sockets --pid HOLDER']]) {
      const before = spread(idle[name]);
      line(label, busy[name], busy[name].map((t) => t / before.median), `idle (${fmt(before)} ms)`, 2);
    }
    const asked = (label, name) => console.log(`${label.padEnd(34)} ${fmt(spread(busy[name]))} ms  (without the kernel's iterator, same rounds)`);
    asked('sockets --json, /proc walk', 'ownersProc');
    asked(`bind ${PORT}, /proc walk`, 'bindProc');
    asked(`sockets --port ${PORT}, /proc walk`, 'portProc');
    sameOwnersAsSs(ns);
    peakMemory(ns, runs);
    console.log(`load average at end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    cleanup();
  }
}

/** Runs `cases` interleaved from a timing process inside the namespace; samples per case name. */
function measureIn(ns, cases, runs) {
  const code = `import(${JSON.stringify(join(HERE, 'lib.mjs'))}).then(({ interleave }) => process.stdout.write(JSON.stringify(interleave(${JSON.stringify(Object.entries(cases).map(([name, c]) => ({ name, ...c })))}, ${runs}))))`;
  return JSON.parse(execFileSync('ip', ['netns', 'exec', ns, process.execPath, '-e', code], { encoding: 'utf8' }));
}

/**
 * Whether `sockets --json` says what `ss -tanp` says of the 100,000-socket table: the same sockets,
 * and every holder of each (issue #19's "equal to ss -tanp's, rows and owners"). The load is idle,
 * so the table holds still between the two reads.
 */
function sameOwnersAsSs(ns) {
  const exec = (cmd, args) => execFileSync('ip', ['netns', 'exec', ns, cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ours = new Map();
  for (const r of JSON.parse(exec(process.execPath, [BIN, 'sockets', '--json'])).data.rows) {
    const pids = [r.pid, ...(r.otherOwners ?? []).map((o) => o.pid)].filter((x) => x !== null).sort((a, b) => a - b);
    ours.set(`${r.local.address}:${r.local.port} ${r.remote.address}:${r.remote.port}`, pids.join(','));
  }
  const theirs = new Map();
  for (const line of exec('ss', ['-tanpH']).split('\n').filter(Boolean)) {
    const [, , , local, remote] = line.trim().split(/\s+/);
    const ep = (e) => e.replace(/^\[(.*)\]:/, '$1:').replace(/:\*$/, ':0').replace(/^\*:/, '0.0.0.0:');
    const pids = [...new Set([...line.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
    theirs.set(`${ep(local)} ${ep(remote)}`, pids.join(','));
  }
  const differ = [...theirs].filter(([k, v]) => ours.get(k) !== v);
  const extra = [...ours.keys()].filter((k) => !theirs.has(k));
  const same = differ.length === 0 && extra.length === 0;
  const first = differ[0] ? `; first: ${differ[0][0]} ss ${differ[0][1] || '-'}, tcpdiag ${ours.get(differ[0][0]) ?? 'no row'}` : extra[0] ? `; first extra: ${extra[0]}` : '';
  console.log(`${'owners equal to ss -tanp'.padEnd(34)} ${same ? 'yes' : 'NO'}: ${theirs.size} sockets, ${differ.length} differ, ${extra.length} only in tcpdiag${first}`);
}

/** Peak RSS of `sockets --json` (GNU time), from inside the namespace. */
function peakMemory(ns, runs) {
  const mb = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync('ip', ['netns', 'exec', ns, '/usr/bin/time', '-f', '%M', process.execPath, BIN, 'sockets', '--json'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const kb = Number(r.stderr.trim().split('\n').pop());
    if (!(kb > 0)) return console.log('peak memory: /usr/bin/time not available');
    mb.push(kb / 1024);
  }
  const s = spread(mb);
  console.log(`${'peak RSS of sockets --json'.padEnd(34)} ${fmt(s)} MB  ${s.median < 100 ? 'ok' : 'OVER TARGET'} (target < 100 MB)`);
}

/** `--version` of the package as npm installs it (npm pack, then npm install --offline), against `node -e 0`. */
function startup(runs) {
  const dir = mkdtempSync(join(tmpdir(), 'tcpdiag-bench-install-'));
  try {
    const pack = spawnSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: join(HERE, '..'), encoding: 'utf8' });
    const tarball = pack.stdout.trim().split('\n').pop();
    const install = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--silent', '--prefix', dir, join(dir, tarball)], { encoding: 'utf8' });
    if (pack.status !== 0 || install.status !== 0) return console.log(`--version from an npm install: skipped (npm pack/install failed: ${(pack.stderr || install.stderr).trim().split('\n')[0]})`);
    const installed = join(dir, 'node_modules', 'tcpdiag', 'bin', 'tcpdiag.js');
    const cases = [
      { name: 'node', cmd: process.execPath, args: ['-e', '0'] },
      { name: 'version', cmd: process.execPath, args: [installed, '--version'] },
    ];
    interleave(cases, 3); // page cache
    const t = interleave(cases, runs);
    const r = spread(t.version.map((v, i) => v / t.node[i]));
    const ratio = spread(t.version).median / spread(t.node).median;
    console.log(`${'--version (npm install)'.padEnd(34)} ${fmt(spread(t.version))} ms  ${ratio.toFixed(2)}x node -e 0 (${fmt(spread(t.node))} ms; per round ${r.min.toFixed(2)}-${r.max.toFixed(2)})  ${ratio <= 1.2 ? 'ok' : 'OVER TARGET'} (target <= 1.2x)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (s) => `${s.median.toFixed(0).padStart(5)} (${s.min.toFixed(0)}-${s.max.toFixed(0)})`;
