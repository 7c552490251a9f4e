// The built CLI in a temporary directory whose node_modules lacks one
// package: how an install without an optional dependency (koffi) looks; and
// the same situation for whichever CLI the tests run (cliWithoutKoffi).
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, CLI, CLI_IS_EXECUTABLE } from './cli.js';

export function bundleWithout(pkg: string): { bin: string; remove: () => void } {
  const root = join(BIN, '..', '..');
  const dir = mkdtempSync(join(tmpdir(), `tcpdiag-no-${pkg}-`));
  cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true });
  cpSync(BIN, join(dir, 'bin', 'tcpdiag.js'));
  mkdirSync(join(dir, 'node_modules'));
  for (const name of readdirSync(join(root, 'node_modules'))) {
    if (name !== pkg && name !== '.bin') symlinkSync(join(root, 'node_modules', name), join(dir, 'node_modules', name));
  }
  return { bin: join(dir, 'bin', 'tcpdiag.js'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CliWithoutKoffi {
  bin: string;
  env: NodeJS.ProcessEnv;
  /** What the CLI's notes give as the reason sock_diag and the rest are closed (a pattern's source, unanchored). */
  reason: string;
  remove: () => void;
}

/**
 * The CLI under test where koffi cannot be used: the npm layout without the
 * package, or the single executable unable to write its embedded copy (TMPDIR
 * names a file, so its private directory cannot be made).
 */
export function cliWithoutKoffi(): CliWithoutKoffi {
  if (!CLI_IS_EXECUTABLE) {
    const b = bundleWithout('koffi');
    return { bin: b.bin, env: {}, reason: 'koffi \\(optional dependency\\) is not installed', remove: b.remove };
  }
  const dir = mkdtempSync(join(tmpdir(), 'tcpdiag-no-koffi-'));
  const notADir = join(dir, 'file');
  writeFileSync(notADir, '');
  return {
    bin: CLI,
    env: { TMPDIR: notADir },
    reason: "koffi's native module could not be written to [^(]+ \\(ENOTDIR: [^)]+\\); set TMPDIR to a writable directory",
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
