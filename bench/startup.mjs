// Start-up: `tcpdiag --version` and `tcpdiag ports --json` against bare
// `node -e 0` measured in the same run. Target: at most 1.5x (issue 2).
import { fileURLToPath } from 'node:url';
import { interleave, median, percentile, verdict } from './lib.mjs';

const BIN = fileURLToPath(new URL('../bin/tcpdiag.js', import.meta.url));
const TARGET = 1.5;

export async function startup() {
  const runs = Number(process.env.BENCH_RUNS ?? 40);
  const node = process.execPath;
  const cases = [
    { name: 'node -e 0 (anchor)', cmd: node, args: ['-e', '0'] },
    { name: 'tcpdiag --version', cmd: node, args: [BIN, '--version'] },
    { name: 'tcpdiag ports --json', cmd: node, args: [BIN, 'ports', '--json'] },
  ];
  // Warm the page cache so the first case is not charged for it.
  interleave(cases, 2);
  const samples = interleave(cases, runs);
  const anchor = median(samples[cases[0].name]);
  console.log(`${runs} runs each, interleaved, Node ${process.version}`);
  for (const c of cases) {
    const m = median(samples[c.name]);
    const ratio = m / anchor;
    const line = `${c.name.padEnd(24)} median ${m.toFixed(1).padStart(6)} ms  p90 ${percentile(samples[c.name], 90).toFixed(1).padStart(6)} ms  ratio ${ratio.toFixed(2)}x`;
    console.log(c === cases[0] ? line : `${line}  ${verdict(ratio, TARGET)}`);
  }
}
