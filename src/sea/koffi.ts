// koffi inside a single executable. The npm package finds koffi's native
// module in node_modules; an executable has no node_modules, so the build
// embeds the module for its platform as the SEA asset "koffi.node", and the
// executable's bundle resolves `require('koffi')` to this file
// (scripts/sea/bundle.mjs). A native module can only be loaded from a file:
// it is written to a private temporary directory (mkdtemp: mode 0700, a name
// nobody can guess beforehand) and loaded from there with process.dlopen. On
// Linux and macOS the copy is removed as soon as it is loaded (the mapping
// stays; even a kill -9 leaves nothing behind, and dlopen of the same path in
// a worker thread still finds the loaded module). Windows cannot delete a
// loaded DLL: there the copy is removed at exit if Windows allows it, and
// otherwise by the next run once its process is gone.
//
// koffi's own JavaScript only finds and wraps this module (deprecated
// aliases); its API is the native module's exports, which are returned as is.
// Any failure throws an Error (code TCPDIAG_KOFFI_UNAVAILABLE) whose message
// says what was tried and what would let it load: callers treat it as koffi
// being absent, as the npm package does without koffi, and their notes carry
// the message (os/ffi/libc.ts). The first failure is also said on stderr: an
// executable is meant to carry koffi, so its absence is news.

import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBuildInfo, readRawAsset } from './assets.js';

const PREFIX = 'tcpdiag-koffi-';

let loaded: { exports: unknown; file: string } | { error: Error } | undefined;

/** koffi's API from the embedded native module; throws (every time) the reason it cannot load. */
export function embeddedKoffi(): unknown {
  if (!loaded) {
    loaded = load();
    if ('error' in loaded) {
      Object.assign(loaded.error, { code: 'TCPDIAG_KOFFI_UNAVAILABLE' });
      process.stderr.write(`tcpdiag: ${loaded.error.message}; running without koffi, as the npm package does where it is not installed\n`);
    }
  }
  if ('error' in loaded) throw loaded.error;
  return loaded.exports;
}

/** The path the native module was loaded from (a worker thread's process.dlopen of it finds the loaded module), or null. */
export function embeddedKoffiFile(): string | null {
  return loaded && 'file' in loaded ? loaded.file : null;
}

function load(): { exports: unknown; file: string } | { error: Error } {
  const raw = readRawAsset('koffi.node');
  if (!raw) {
    const target = readBuildInfo()?.target ?? `${process.platform}-${process.arch}`;
    return { error: new Error(`this executable (${target}) holds no koffi native module`) };
  }
  sweepStaleCopies();
  let dir: string;
  try {
    dir = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
  } catch (err) {
    return { error: new Error(`koffi's native module could not be written to ${tmpdir()} (${(err as Error).message}); set ${tempVariable()} to a writable directory`) };
  }
  process.once('exit', () => removeQuietly(dir));
  const file = join(dir, 'koffi.node');
  try {
    writeFileSync(file, new Uint8Array(raw), { mode: 0o700, flag: 'wx' });
    const mod = { exports: {} as { version?: unknown } };
    process.dlopen(mod, file);
    if (typeof mod.exports.version !== 'string') throw new Error('the module loaded is not koffi');
    if (process.platform !== 'win32') removeQuietly(dir);
    return { exports: mod.exports, file };
  } catch (err) {
    removeQuietly(dir);
    return { error: new Error(`koffi's native module could not be loaded from ${file} (${firstLine(err)})${hintFor(err)}`) };
  }
}

/** What would let the module load, for the failures a locked-down host gives. */
function hintFor(err: unknown): string {
  const text = String((err as Error).message ?? err);
  if (!/failed to map segment|operation not permitted|permission denied|access is denied/i.test(text)) return '';
  // Windows: a security tool refusing DLLs from %TEMP% says "Access is denied".
  if (process.platform === 'win32') return `; a security tool may refuse DLLs in ${tmpdir()}: set TEMP to a directory it allows`;
  // A tmp mounted noexec refuses the executable mapping: glibc says so in these words.
  return `; is ${tmpdir()} mounted noexec? set TMPDIR to a directory that allows executables`;
}

function tempVariable(): string {
  return process.platform === 'win32' ? 'TEMP' : 'TMPDIR';
}

function firstLine(err: unknown): string {
  return String((err as Error).message ?? err).split('\n')[0]!.trim();
}

function removeQuietly(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // Windows: the DLL stays locked until the process ends; the next run sweeps it.
  }
}

/** Removes copies whose process has ended (on Windows, or killed between writing and loading). */
function sweepStaleCopies(): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(PREFIX)) continue;
    const pid = Number(name.slice(PREFIX.length).split('-')[0]);
    // This process's own pid counts as gone: it has made no copy yet (the load runs once), so
    // such a directory is an earlier process's that had the same pid (Wine reuses small pids).
    if (!Number.isInteger(pid) || pid <= 0 || (pid !== process.pid && isRunning(pid))) continue;
    const dir = join(tmpdir(), name);
    // Only this user's. A pid that looks gone may still run in another PID namespace
    // sharing this /tmp: removing its copy does not unmap a module it has loaded.
    if (process.getuid && statSync(dir, { throwIfNoEntry: false })?.uid !== process.getuid()) continue;
    removeQuietly(dir);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user (whose directory we could not remove anyway).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
