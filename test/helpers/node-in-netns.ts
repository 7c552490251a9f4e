import { spawnSync } from 'node:child_process';
import { nodeAsNobody } from './unprivileged-cli.js';

/**
 * Runs a small Node script inside a namespace (optionally as another user) and
 * returns what it printed as JSON. The script must print one JSON line.
 */
export function nodeInNetns(netns: string, script: string, opts: { uid?: number; args?: string[] } = {}): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  // A script file (test/helpers/scripts/*.cjs) runs with its arguments; anything else is inline code.
  const code = script.endsWith('.cjs') ? [script, ...(opts.args ?? [])] : ['-e', script];
  if (opts.uid !== undefined && (opts.uid !== 65534 || script.endsWith('.cjs'))) throw new Error('only inline code runs as another user, and only as 65534 (unprivileged-cli.ts)');
  const command = opts.uid === undefined ? [process.execPath, ...code] : ['setpriv', ...nodeAsNobody(code)];
  const r = spawnSync('ip', ['netns', 'exec', netns, ...command], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`script failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}
