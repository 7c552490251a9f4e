import { spawnSync } from 'node:child_process';

/**
 * Runs a small Node script inside a namespace (optionally as another user) and
 * returns what it printed as JSON. The script must print one JSON line.
 */
export function nodeInNetns(netns: string, script: string, opts: { uid?: number; args?: string[] } = {}): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  const asUser = opts.uid === undefined ? [] : ['setpriv', `--reuid=${opts.uid}`, `--regid=${opts.uid}`, '--clear-groups'];
  // A script file (test/helpers/scripts/*.cjs) runs with its arguments; anything else is inline code.
  const code = script.endsWith('.cjs') ? [script, ...(opts.args ?? [])] : ['-e', script];
  const r = spawnSync('ip', ['netns', 'exec', netns, ...asUser, process.execPath, ...code], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`script failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}
