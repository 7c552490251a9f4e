// connect-race time to verdict with the defaults (issue 5: within 5 s), on a
// clean host and on one whose firewall lets one attempt through at a time —
// both emulated in private network namespaces (TESTING.md recipes).
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from './lib.mjs';

const BIN = fileURLToPath(new URL('../bin/tcpdiag.js', import.meta.url));
const RACE_THEN = fileURLToPath(new URL('../test/helpers/scripts/race-then.cjs', import.meta.url));
const TARGET_S = 5;

const RULES = {
  clean: 'table inet tdg {\n  chain input { type filter hook input priority 0; tcp dport 15000 drop; }\n}\n',
  serializing:
    'table inet tdg {\n  chain input { type filter hook input priority 0; tcp dport 15000 drop; }\n' +
    '  chain output { type filter hook output priority 0; tcp flags syn ct state new ct count over 1 counter drop; }\n}\n',
};

function cannotRun() {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs root (network namespaces)';
  for (const [tool, arg] of [['ip', '-V'], ['nft', '--version']]) if (spawnSync(tool, [arg]).status !== 0) return `needs ${tool}`;
  return null;
}

export async function connectRace() {
  const reason = cannotRun();
  if (reason) return console.log(`skipped: ${reason}`);
  const runs = Number(process.env.BENCH_RUNS_RACE ?? 3);
  for (const [name, rules] of Object.entries(RULES)) {
    const times = [];
    const limits = [];
    for (let i = 0; i < runs; i++) {
      const ns = `tdg-bench-race-${process.pid}`;
      try {
        execFileSync('ip', ['netns', 'add', ns]);
        execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
        execFileSync('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], { input: rules });
        execFileSync('ip', ['netns', 'exec', ns, 'sh', '-c', 'echo 2 > /proc/sys/net/netfilter/nf_conntrack_tcp_timeout_syn_sent']);
        const out = execFileSync('ip', ['netns', 'exec', ns, process.execPath, RACE_THEN, BIN, 'connect-race', '127.0.0.1', '15000', '--control', '127.0.0.1:8080', '--json'], { encoding: 'utf8' });
        const report = JSON.parse(JSON.parse(out).stdout);
        times.push(report.data.timeToVerdictMs / 1000);
        limits.push(report.verdict === 'inconclusive' ? 'inconclusive' : String(report.data.limit));
      } finally {
        spawnSync('ip', ['netns', 'del', ns]);
      }
    }
    const m = median(times);
    console.log(`${name.padEnd(12)} limit per run ${limits.join(',')}; time to verdict median ${m.toFixed(2)} s (runs: ${times.map((t) => t.toFixed(2)).join(', ')})  ${m <= TARGET_S ? `ok (target <= ${TARGET_S} s)` : `OVER TARGET (target <= ${TARGET_S} s)`}`);
  }
}

