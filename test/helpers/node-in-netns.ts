import { spawnSync } from 'node:child_process';
import { nodeAsNobody } from './unprivileged-cli.js';

/**
 * Runs a small Node script inside a namespace (optionally as another user) and
 * returns what it printed as JSON. The script must print one JSON line.
 * `timeoutMs` (30 s unless told) ends a script that hangs; a script that runs
 * the CLI many times is given a bound that fits that work (the test's own
 * timeout must then be longer).
 */
export function nodeInNetns(netns: string, script: string, opts: { uid?: number; args?: string[]; timeoutMs?: number } = {}): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  // A script file (test/helpers/scripts/*.cjs) runs with its arguments; anything else is inline code.
  const code = script.endsWith('.cjs') ? [script, ...(opts.args ?? [])] : ['-e', script];
  if (opts.uid !== undefined && (opts.uid !== 65534 || script.endsWith('.cjs'))) throw new Error('only inline code runs as another user, and only as 65534 (unprivileged-cli.ts)');
  const command = opts.uid === undefined ? [process.execPath, ...code] : ['setpriv', ...nodeAsNobody(code)];
  const r = spawnSync('ip', ['netns', 'exec', netns, ...command], { encoding: 'utf8', timeout: opts.timeoutMs ?? 30_000 });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  if (r.status !== 0) throw new Error(`script failed (${r.status}${timedOut ? `: ended after ${(opts.timeoutMs ?? 30_000) / 1000} s` : ''}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}
