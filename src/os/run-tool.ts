// Runs a system tool (netsh, sysctl, ...) with an argument array and a
// timeout (DESIGN.md: never a shell string). A missing tool or a failure is a
// CannotRunError naming the command, so the user sees what could not run.

import { CannotRunError } from '../report/errors.js';

// A file beside the bundle (see esm-import.cjs), hence require.
const importEsm = require('./esm-import.cjs') as <T>(specifier: string) => Promise<T>;

const DEFAULT_TIMEOUT_MS = 15_000;

/** How backends run tools; tests of Windows/macOS backends pass captured output instead. */
export type ToolRunner = (file: string, args: readonly string[]) => Promise<string>;

export async function runTool(file: string, args: readonly string[], timeoutMs = DEFAULT_TIMEOUT_MS, input?: string): Promise<string> {
  // execa is loaded only by backends that run tools: the Linux backend reads
  // procfs and never pays for it at start-up. It is ESM-only: see esm-import.cjs.
  const { execa } = await importEsm<typeof import('execa')>('execa');
  const commandLine = [file, ...args].join(' ');
  try {
    const result = await execa(file, args, { timeout: timeoutMs, stripFinalNewline: false, windowsHide: true, ...(input !== undefined ? { input } : {}) });
    return result.stdout;
  } catch (err) {
    const e = err as { code?: string; timedOut?: boolean; exitCode?: number; stderr?: string; shortMessage?: string };
    if (e.code === 'ENOENT') throw new CannotRunError(`\`${file}\` was not found on PATH (needed for: ${commandLine})`);
    if (e.timedOut) throw new CannotRunError(`\`${commandLine}\` did not finish within ${timeoutMs / 1000} s`);
    const detail = (e.stderr ?? '').trim().split(/\r?\n/)[0] || e.shortMessage || String(err);
    throw new CannotRunError(`\`${commandLine}\` failed (exit ${e.exitCode ?? '?'}): ${detail}`);
  }
}
