// connect-race time to verdict (issues #14, #21): at most 5 s on a clean path
// for limits 1, 2, 4, 10 and none, and at most 10 s with 20 % of the control's
// SYNs lost; host-wide and per-process limits, filters that forget closed
// attempts (2 s) and remember them (120 s, the default). Each situation is a
// private namespace built as the tests build it (test/helpers/scripts/race-host.cjs).
// Prints per situation the limit found per run, and time to verdict and to
// exit (the release watch comes after the verdict), median and max.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './lib.mjs';

const require = createRequire(import.meta.url);
const { raceRuleset, removeCgroupTree, writeOwnCgroupPreload } = require('../test/helpers/scripts/race-host.cjs');
const BIN = fileURLToPath(new URL('../bin/tcpdiag.js', import.meta.url));
const RACE_THEN = fileURLToPath(new URL('../test/helpers/scripts/race-then.cjs', import.meta.url));

const SITUATIONS = [
  { name: 'no limit', budgetS: 5 },
  ...[1, 2, 4, 10].map((limit) => ({ name: `host-wide ${limit}, remembers`, limit, forgetS: 120, budgetS: 5 })),
  ...[1, 2, 4, 10].map((limit) => ({ name: `per process ${limit}, remembers`, limit, scope: 'process', forgetS: 120, budgetS: 5 })),
  { name: 'host-wide 4, forgets in 2 s', limit: 4, forgetS: 2, budgetS: 5 },
  { name: 'per process 4, forgets in 2 s', limit: 4, scope: 'process', forgetS: 2, budgetS: 5 },
  { name: 'no limit, 20 % control loss', controlLoss: 'random', budgetS: 10 },
  { name: 'leaving 4, 20 % control loss', limit: 4, counts: 'leaving', controlLoss: 'random', budgetS: 10 },
  { name: 'leaving 10, 20 % control loss', limit: 10, counts: 'leaving', controlLoss: 'random', budgetS: 10 },
];

function cannotRun() {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs root (network namespaces)';
  for (const [tool, arg] of [['ip', '-V'], ['nft', '--version']]) if (spawnSync(tool, [arg]).status !== 0) return `needs ${tool}`;
  return null;
}

function runOnce(s, cgroupRoot) {
  const ns = `tdg-bench-race-${process.pid}`;
  let parent = null;
  try {
    execFileSync('ip', ['netns', 'add', ns]);
    execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    execFileSync('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], { input: raceRuleset(s) });
    if (s.forgetS) execFileSync('ip', ['netns', 'exec', ns, 'sh', '-c', `echo ${s.forgetS} > /proc/sys/net/netfilter/nf_conntrack_tcp_timeout_syn_sent`]);
    let env = process.env;
    if (s.scope === 'process') {
      parent = join(cgroupRoot, ns);
      mkdirSync(parent);
      env = { ...process.env, NODE_OPTIONS: `--require ${writeOwnCgroupPreload(mkdtempSync(join(tmpdir(), 'tdg-preload-')), parent)}` };
    }
    const out = execFileSync('ip', ['netns', 'exec', ns, process.execPath, RACE_THEN, BIN, 'connect-race', '127.0.0.1', '15000', '--control', '127.0.0.1:8080', '--json'], { encoding: 'utf8', env });
    const report = JSON.parse(JSON.parse(out).stdout);
    const d = report.data;
    const found = report.verdict === 'inconclusive' ? 'inconclusive' : d.limit !== null ? `${d.limit} ${d.scope}` : d.limitRange ? `${d.limitRange.min}-${d.limitRange.max} ${d.scope}` : 'none';
    return { found, verdictS: d.timeToVerdictMs / 1000, exitS: report.durationMs / 1000 };
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
    if (parent) removeCgroupTree(parent);
  }
}

export async function connectRace() {
  const reason = cannotRun();
  if (reason) return console.log(`skipped: ${reason}`);
  const runs = Number(process.env.BENCH_RUNS_RACE ?? 3);
  const cgroupRoot = mkdtempSync(join(tmpdir(), 'tdg-bench-cg2-'));
  const haveCgroup = spawnSync('mount', ['-t', 'cgroup2', 'none', cgroupRoot]).status === 0;
  try {
    console.log(`${runs} runs per situation; time to verdict (to exit), median and max`);
    // BENCH_RACE_ONLY=loss runs the situations whose name holds it.
    for (const s of SITUATIONS.filter((x) => !process.env.BENCH_RACE_ONLY || x.name.includes(process.env.BENCH_RACE_ONLY))) {
      if (s.scope === 'process' && !haveCgroup) {
        console.log(`${s.name.padEnd(34)} skipped: cgroup v2 could not be mounted`);
        continue;
      }
      const r = Array.from({ length: runs }, () => runOnce(s, cgroupRoot));
      const v = r.map((x) => x.verdictS);
      const m = median(v);
      const worst = Math.max(...v);
      console.log(
        `${s.name.padEnd(34)} found ${[...new Set(r.map((x) => x.found))].join(' / ')}; verdict ${m.toFixed(1)} s (max ${worst.toFixed(1)}), exit ${median(r.map((x) => x.exitS)).toFixed(1)} s  ` +
          (worst <= s.budgetS ? `ok (budget ${s.budgetS} s)` : m <= s.budgetS ? `median ok, max OVER (budget ${s.budgetS} s)` : `OVER BUDGET (${s.budgetS} s)`),
      );
    }
  } finally {
    if (haveCgroup) spawnSync('umount', [cgroupRoot]);
    rmSync(cgroupRoot, { recursive: true, force: true });
  }
}
