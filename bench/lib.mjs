import { spawnSync } from 'node:child_process';

/** Wall time of one run of a command, in ms (stdout discarded). */
export function timeOnce(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/**
 * Runs every case `runs` times, interleaved (a, b, c, a, b, c ...) so drift in
 * machine load hits all cases alike; returns samples per case name.
 */
export function interleave(cases, runs) {
  const samples = Object.fromEntries(cases.map((c) => [c.name, []]));
  for (let i = 0; i < runs; i++) for (const c of cases) samples[c.name].push(timeOnce(c.cmd, c.args));
  return samples;
}

export function verdict(ratio, target) {
  return ratio <= target ? `ok (target <= ${target}x)` : `OVER TARGET (target <= ${target}x)`;
}

/** Smallest, median and largest of the samples. */
export function spread(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: median(s), max: s[s.length - 1] };
}
