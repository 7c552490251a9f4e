// keepalive selftest accuracy (issue 7): the measured detection time must lie
// within 10% + 1 s of idle + interval x count. Runs with this Node; run
// `npm run bench` under Node 20 and 24 to cover both (Node 24.19+ sets the
// values through its own API, Node 20 through setsockopt).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/tcpdiag.js', import.meta.url));
const CASES = [
  ['--idle', '1', '--interval', '1', '--count', '3'],
  ['--idle', '2', '--interval', '1', '--count', '5'],
  ['--pending-data', '--user-timeout', '3'],
];

export async function keepalive() {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return console.log('skipped: needs Linux and root');
  console.log(`Node ${process.version}`);
  for (const args of CASES) {
    const r = spawnSync(process.execPath, [BIN, 'keepalive', 'selftest', ...args, '--json'], { encoding: 'utf8' });
    const d = JSON.parse(r.stdout).data;
    const ok = d.detectedAfterMs !== null && Math.abs(d.detectedAfterMs - d.expectedDetectionMs) <= d.expectedDetectionMs * 0.1 + 1000;
    console.log(
      `${args.join(' ').padEnd(40)} expected ${(d.expectedDetectionMs / 1000).toFixed(1)} s, measured ${d.detectedAfterMs === null ? 'never' : `${(d.detectedAfterMs / 1000).toFixed(2)} s`} via ${d.applied.via}${d.applied.verified ? ' (verified)' : ''}  ${ok ? 'ok (within 10% + 1 s)' : 'OUT OF TOLERANCE'}`,
    );
  }
}
