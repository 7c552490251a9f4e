// `tcpdiag sockets` on a host with 100,000 sockets (issue 3), against `ss`
// on the same table in the same run:
//   tcpdiag sockets --json              vs ss -tanp   target <= 0.4x
//   tcpdiag sockets --no-owners --json  vs ss -tan    target <= 1.5x
//   peak memory of tcpdiag sockets --json              target < 200 MB
// Runs in a private network namespace (Linux, root, iproute2, ss), so both
// tools see exactly the generated sockets. Prints why when it cannot run.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { interleave, median, verdict } from './lib.mjs';

const BIN = fileURLToPath(new URL('../bin/tcpdiag.js', import.meta.url));
const LOAD = fileURLToPath(new URL('./socket-load.cjs', import.meta.url));
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 100_000);
const PER_PROCESS = 16_000; // sockets per generator: 8,000 connections, both ends

function cannotRun() {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs root (network namespace)';
  for (const tool of ['ip', 'ss']) if (spawnSync(tool, ['-V']).status !== 0) return `needs ${tool}`;
  return null;
}

export async function sockets() {
  const reason = cannotRun();
  if (reason) {
    console.log(`skipped: ${reason}`);
    return;
  }
  const ns = `tdg-bench-${process.pid}`;
  const generators = [];
  const cleanup = () => {
    for (const g of generators) g.kill('SIGKILL');
    spawnSync('ip', ['netns', 'del', ns]);
  };
  process.once('SIGINT', () => (cleanup(), process.exit(130)));
  try {
    execFileSync('ip', ['netns', 'add', ns]);
    execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    const inNs = (cmd, args) => ['ip', ['netns', 'exec', ns, cmd, ...args]];
    const t0 = Date.now();
    const procs = Math.ceil(SOCKETS / PER_PROCESS);
    const perProc = Math.ceil(SOCKETS / procs / 2);
    await Promise.all(
      Array.from({ length: procs }, (_, i) => {
        const [cmd, args] = inNs(process.execPath, [LOAD, String(20_000 + i), String(perProc)]);
        const g = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
        generators.push(g);
        return new Promise((resolve, reject) => {
          g.stdout.once('data', resolve);
          g.once('exit', (code) => reject(new Error(`generator exited ${code}`)));
        });
      }),
    );
    const rows = execFileSync(...inNs('ss', ['-tanH']), { encoding: 'utf8', maxBuffer: 1 << 30 }).split('\n').filter(Boolean).length;
    console.log(`${rows} sockets in ${procs} processes, built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const runs = Number(process.env.BENCH_RUNS_SOCKETS ?? 5);
    const node = process.execPath;
    const cases = [
      { name: 'ss -tanp', cmd: 'ip', args: ['netns', 'exec', ns, 'ss', '-tanp'] },
      { name: 'tcpdiag sockets --json', cmd: 'ip', args: ['netns', 'exec', ns, node, BIN, 'sockets', '--json'] },
      { name: 'ss -tan', cmd: 'ip', args: ['netns', 'exec', ns, 'ss', '-tan'] },
      { name: 'tcpdiag sockets --no-owners --json', cmd: 'ip', args: ['netns', 'exec', ns, node, BIN, 'sockets', '--no-owners', '--json'] },
    ];
    const samples = interleave(cases, runs);
    const m = Object.fromEntries(cases.map((c) => [c.name, median(samples[c.name])]));
    for (const c of cases) console.log(`${c.name.padEnd(36)} median ${m[c.name].toFixed(0).padStart(6)} ms`);
    const withOwners = m['tcpdiag sockets --json'] / m['ss -tanp'];
    const without = m['tcpdiag sockets --no-owners --json'] / m['ss -tan'];
    console.log(`with owners:    ${withOwners.toFixed(2)}x ss -tanp  ${verdict(withOwners, 0.4)}`);
    console.log(`without owners: ${without.toFixed(2)}x ss -tan   ${verdict(without, 1.5)}`);
    // doctor on this busy host: reported, no target (its target is for an idle host: bench/doctor.mjs).
    const doctor = interleave([{ name: 'doctor', cmd: 'ip', args: ['netns', 'exec', ns, node, BIN, 'doctor', '--json'] }], 3).doctor;
    console.log(`tcpdiag doctor --json on this table: median ${median(doctor).toFixed(0)} ms (${(median(doctor) / m['ss -tan']).toFixed(2)}x ss -tan)`);

    // Peak memory (max RSS) of one run, from GNU time; the target is for the run with owners.
    for (const args of [['sockets', '--json'], ['sockets', '--no-owners', '--json']]) {
      const timed = spawnSync('/usr/bin/time', ['-f', '%M', 'ip', 'netns', 'exec', ns, node, BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
      const kb = Number(timed.stderr.trim().split('\n').pop());
      if (!(Number.isFinite(kb) && kb > 0)) {
        console.log('peak memory: /usr/bin/time not available');
        break;
      }
      console.log(`peak memory of tcpdiag ${args.join(' ')}: ${(kb / 1024).toFixed(0)} MB  ${kb / 1024 < 200 ? 'ok (target < 200 MB)' : 'OVER TARGET (target < 200 MB)'}`);
    }
  } finally {
    cleanup();
  }
}
