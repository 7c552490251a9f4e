// The built CLI in a temporary directory whose node_modules lacks one
// package: how an install without an optional dependency (koffi) looks.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './cli.js';

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
