// `npm run bench`: every benchmark, each printing ratios against anchors
// measured in the same run. Targets are reported, never enforced as test
// time limits (TESTING.md). BENCH_ONLY=startup (or sea, doctor, busy-host, connect-race, keepalive, windows-sockets) runs one;
// sea needs `npm run dist` first.
import { busyHost } from './busy-host.mjs';
import { connectRace } from './connect-race.mjs';
import { doctor } from './doctor.mjs';
import { keepalive } from './keepalive.mjs';
import { seaStartup } from './sea-startup.mjs';
import { startup } from './startup.mjs';
import { windowsSockets } from './windows-sockets.mjs';

const benches = { startup, sea: seaStartup, doctor, 'busy-host': busyHost, 'connect-race': connectRace, keepalive, 'windows-sockets': windowsSockets };
const only = process.env.BENCH_ONLY;
for (const [name, run] of Object.entries(benches)) {
  if (only && only !== name) continue;
  console.log(`\n# ${name}`);
  await run();
}
