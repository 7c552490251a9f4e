// `tcpdiag sockets` on the win32 Node under Wine with 20,000+ sockets (issue
// 13): the IP Helper path (GetExtendedTcpTable through koffi) against the
// netstat -ano fallback (the same bundle with koffi left out), with anchors
// from the same run: a bare start of the win32 Node (`wine node.exe -e 0`)
// and `ss -tan` on the same table. Wine answers GetExtendedTcpTable from the
// namespace's Linux sockets (finding the owner pids is most of its time), and
// its netstat prints the connected IPv4 rows without pids, so this measures
// our code path's cost under Wine, never Windows performance. Needs Linux,
// root, ip, ss and `node scripts/setup-wine.mjs`; prints why when it cannot run.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './lib.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LOAD = join(ROOT, 'bench', 'socket-load.cjs');
const WINE_DIR = process.env.TCPDIAG_WINE_DIR ?? join(ROOT, 'node_modules', '.cache', 'tcpdiag-wine');
const SOCKETS = Number(process.env.BENCH_WINE_SOCKETS ?? 24_000);
const PER_PROCESS = 16_000;
const z = (p) => `Z:${p.replace(/\//g, '\\')}`;

function cannotRun() {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs root (network namespace)';
  for (const tool of ['ip', 'ss']) if (spawnSync(tool, ['-V']).status !== 0) return `needs ${tool}`;
  if (!existsSync(join(WINE_DIR, 'ready.json'))) return 'needs the win32 Node: node scripts/setup-wine.mjs';
  return null;
}

export async function windowsSockets() {
  const reason = cannotRun();
  if (reason) {
    console.log(`skipped: ${reason}`);
    return;
  }
  const { nodeExe, prefix: shared } = JSON.parse(readFileSync(join(WINE_DIR, 'ready.json'), 'utf8'));
  const ns = `tdg-bench-wine-${process.pid}`;
  const work = mkdtempSync(join(tmpdir(), 'tdg-bench-wine-'));
  const prefix = join(work, 'prefix');
  const generators = [];
  const env = { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all' };
  const cleanup = () => {
    for (const g of generators) g.kill('SIGKILL');
    spawnSync('wineserver', ['-k'], { env, stdio: 'ignore' });
    spawnSync('ip', ['netns', 'del', ns]);
    rmSync(work, { recursive: true, force: true });
  };
  process.once('SIGINT', () => (cleanup(), process.exit(130)));
  try {
    // A prefix of the namespace's own: its Wine server must start inside the namespace.
    mkdirSync(prefix);
    execFileSync('cp', ['-al', join(shared, 'drive_c'), prefix]);
    execFileSync('cp', ['-a', join(shared, 'dosdevices'), ...readdirSync(shared).filter((f) => f.endsWith('.reg') || f === '.update-timestamp').map((f) => join(shared, f)), prefix]);
    // The same bundle without koffi: the netstat -ano path.
    const noKoffi = join(work, 'no-koffi');
    cpSync(join(ROOT, 'dist'), join(noKoffi, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'bin'), join(noKoffi, 'bin'), { recursive: true });
    mkdirSync(join(noKoffi, 'node_modules'));
    for (const n of readdirSync(join(ROOT, 'node_modules'))) if (n !== 'koffi' && n !== '.bin') symlinkSync(join(ROOT, 'node_modules', n), join(noKoffi, 'node_modules', n));

    execFileSync('ip', ['netns', 'add', ns]);
    execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    const procs = Math.ceil(SOCKETS / PER_PROCESS);
    const perProc = Math.ceil(SOCKETS / procs / 2);
    await Promise.all(
      Array.from({ length: procs }, (_, i) => {
        const g = spawn('ip', ['netns', 'exec', ns, process.execPath, LOAD, String(20_000 + i), String(perProc)], { stdio: ['pipe', 'pipe', 'inherit'] });
        generators.push(g);
        return new Promise((resolve, reject) => {
          g.stdout.once('data', resolve);
          g.once('exit', (code) => reject(new Error(`generator exited ${code}`)));
        });
      }),
    );
    const out = join(work, 'out.json');
    const timed = (cmd, args) => {
      const fd = openSync(out, 'w');
      const t0 = process.hrtime.bigint();
      const r = spawnSync('ip', ['netns', 'exec', ns, cmd, ...args], { env, stdio: ['ignore', fd, 'ignore'], timeout: 600_000 });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      closeSync(fd);
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
      return ms;
    };
    const rowsOf = () => JSON.parse(readFileSync(out, 'utf8')).data.rows.length;
    // Warm the namespace's Wine server once, so no case pays its start.
    timed('wine', [nodeExe, '-e', '0']);
    const cases = [
      { name: 'ss -tan', cmd: 'ss', args: ['-tan'] },
      { name: 'wine node.exe -e 0', cmd: 'wine', args: [nodeExe, '-e', '0'] },
      { name: 'sockets --json --no-owners (IP Helper)', cmd: 'wine', args: [nodeExe, z(join(ROOT, 'bin', 'tcpdiag.js')), 'sockets', '--json', '--no-owners'], rows: true },
      { name: 'sockets --json --no-owners (netstat -ano)', cmd: 'wine', args: [nodeExe, z(join(noKoffi, 'bin', 'tcpdiag.js')), 'sockets', '--json', '--no-owners'], rows: true },
    ];
    const runs = Number(process.env.BENCH_RUNS_WINE ?? 5);
    const samples = Object.fromEntries(cases.map((c) => [c.name, []]));
    const rows = {};
    for (let i = 0; i < runs; i++) {
      for (const c of cases) {
        samples[c.name].push(timed(c.cmd, c.args));
        if (c.rows) rows[c.name] = rowsOf();
      }
    }
    const ss = Number(execFileSync('ip', ['netns', 'exec', ns, 'sh', '-c', 'ss -tanH | wc -l'], { encoding: 'utf8' }).trim());
    const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
    console.log(`${ss} sockets (ss -tan), ${runs} interleaved runs, medians:`);
    for (const c of cases) console.log(`  ${c.name.padEnd(44)} ${m[c.name].toFixed(0).padStart(6)} ms${c.rows ? `  ${rows[c.name]} rows` : ''}`);
    const ip = m[cases[2].name];
    const bare = m[cases[1].name];
    console.log(`  IP Helper path: ${(ip / bare).toFixed(2)}x a bare win32 Node start, ${(ip - bare).toFixed(0)} ms beyond it; ${(ip / m['ss -tan']).toFixed(1)}x ss -tan`);
    console.log(`  netstat path: ${(m[cases[3].name] / ip).toFixed(2)}x the IP Helper path, reading ${rows[cases[3].name]} rows (Wine's netstat prints connected IPv4 rows only, without pids: no owner lookup)`);
  } finally {
    cleanup();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await windowsSockets();
