// Tests that run tcpdiag as another user (65534, "nobody") need a node and a
// CLI that user can read. A clone in a private directory (root's home, mode
// 700; a `mktemp -d`; CI's own clone) is not one, and neither is a node
// installed there (CI's Node 24). This makes a world-readable copy of what the
// built CLI loads: node, bin/, dist/, package.json and koffi (optional, but
// it decides how sockets are read); nothing else is needed on Linux. The copy
// is made once per test file, only when the originals cannot be read.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { BIN, CLI, CLI_IS_EXECUTABLE } from './cli.js';

const ROOT = join(__dirname, '..', '..');
const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];

let cached: { node: string; bin: string; exe: string | null } | null = null;
let made: string | null = null;

afterAll(() => {
  if (made) rmSync(made, { recursive: true, force: true });
  made = null;
  cached = null;
});

/** Whether user 65534 can read (and so run) `file`. */
function readableByNobody(file: string): boolean {
  return spawnSync('setpriv', [...NOBODY, 'test', '-r', file]).status === 0;
}

/**
 * A node and a tcpdiag entry that user 65534 can run, and the single
 * executable under test (TCPDIAG_TEST_CLI) when there is one.
 */
export function unprivilegedCli(): { node: string; bin: string; exe: string | null } {
  if (cached) return cached;
  const exeReadable = !CLI_IS_EXECUTABLE || readableByNobody(CLI);
  if (exeReadable && readableByNobody(process.execPath) && readableByNobody(join(ROOT, 'dist', 'tcpdiag.cjs'))) {
    cached = { node: process.execPath, bin: BIN, exe: CLI_IS_EXECUTABLE ? CLI : null };
    return cached;
  }
  const dir = mkdtempSync(join(tmpdir(), 'tdg-nobody-'));
  made = dir;
  chmodSync(dir, 0o755);
  cpSync(process.execPath, join(dir, 'node'));
  if (CLI_IS_EXECUTABLE) cpSync(CLI, join(dir, 'tcpdiag'));
  for (const part of ['bin', 'dist', 'package.json']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  for (const mod of ['koffi', '@koromix']) {
    if (existsSync(join(ROOT, 'node_modules', mod))) cpSync(join(ROOT, 'node_modules', mod), join(dir, 'node_modules', mod), { recursive: true });
  }
  // cpSync keeps modes: the copy must be readable (and its directories enterable) by everyone.
  spawnSync('chmod', ['-R', 'a+rX', dir]);
  cached = { node: join(dir, 'node'), bin: join(dir, 'bin', 'tcpdiag.js'), exe: CLI_IS_EXECUTABLE ? join(dir, 'tcpdiag') : null };
  return cached;
}

/** `setpriv` arguments that run the CLI under test as user 65534. */
export function asNobody(args: string[]): string[] {
  const { node, bin, exe } = unprivilegedCli();
  return exe ? [...NOBODY, exe, ...args] : [...NOBODY, node, bin, ...args];
}

/** `setpriv` arguments that run a node script (inline code) as user 65534. */
export function nodeAsNobody(code: string[]): string[] {
  return [...NOBODY, unprivilegedCli().node, ...code];
}
