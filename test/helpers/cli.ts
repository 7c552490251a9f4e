import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';
import { join } from 'node:path';

export const BIN = join(__dirname, '..', '..', 'bin', 'tcpdiag.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Runs the built CLI (npm test builds dist/ first), optionally inside a network namespace. */
export function runCli(args: string[], opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv; netns?: string; bin?: string; cwd?: string } = {}): CliResult {
  const bin = opts.bin ?? BIN;
  const [cmd, argv] = opts.netns ? ['ip', ['netns', 'exec', opts.netns, process.execPath, bin, ...args]] : [process.execPath, [bin, ...args]];
  const r = spawnSync(cmd as string, argv as string[], {
    input: opts.input,
    cwd: opts.cwd,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...opts.env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

/** Bad input: exactly one line on stderr, nothing on stdout, exit 2, no stack trace. */
export function expectUsage(args: string[], pattern: RegExp, input?: string | Buffer): void {
  const r = runCli(args, { input });
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/^ +at /m);
}
