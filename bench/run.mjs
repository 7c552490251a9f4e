// `npm run bench`: every benchmark, each printing ratios against anchors
// measured in the same run. Targets are reported, never enforced as test
// time limits (TESTING.md). BENCH_ONLY=startup (or doctor, busy-host, connect-race, keepalive) runs one.
import { connectRace } from './connect-race.mjs';
import { doctor } from './doctor.mjs';
import { keepalive } from './keepalive.mjs';
import { busyHost } from './busy-host.mjs';
import { startup } from './startup.mjs';

const benches = { startup, doctor, 'busy-host': busyHost, 'connect-race': connectRace, keepalive };
const only = process.env.BENCH_ONLY;
for (const [name, run] of Object.entries(benches)) {
  if (only && only !== name) continue;
  console.log(`\n# ${name}`);
  await run();
}
