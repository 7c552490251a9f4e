// A Windows executable under Wine (TESTING.md "A win32 Node under Wine": a
// prefix set to Windows 10, WINEDEBUG=-all, stdout and stderr to files since
// through a pipe node.exe fails with EBADF). A smoke of the win32 code path,
// never evidence of Windows behaviour. The prefix is this tier's own
// (node_modules/.cache/tcpdiag-sea/wine-prefix), made on first use.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliResult } from './cli.js';

export const WINE_PREFIX = process.env.TCPDIAG_SEA_WINEPREFIX ?? join(__dirname, '..', '..', 'node_modules', '.cache', 'tcpdiag-sea', 'wine-prefix');
// No Mono or Gecko installers (they would ask on a display).
const WINE_ENV = { WINEPREFIX: WINE_PREFIX, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };

/**
 * Call at the top of a file: true when Wine is missing (printing why), which
 * fails instead when TCPDIAG_REQUIRE_WINE=1 (CI). Makes the prefix if needed.
 */
export function skipWithoutWine(): boolean {
  if (spawnSync('wine', ['--version'], { stdio: 'ignore' }).status !== 0) {
    const reason = 'the Windows executable runs under Wine (Debian packages wine, wine64)';
    if (process.env.TCPDIAG_REQUIRE_WINE === '1') throw new Error(`TCPDIAG_REQUIRE_WINE=1 but ${reason} is not installed`);
    console.warn(`skipping: ${reason}`);
    return true;
  }
  if (!existsSync(join(WINE_PREFIX, 'system.reg'))) makePrefix();
  return false;
}

function makePrefix(): void {
  const wine = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { env: { ...process.env, ...WINE_ENV }, stdio: 'ignore', timeout: 300_000 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}) making the Wine prefix ${WINE_PREFIX}`);
  };
  wine('wineboot', ['-i']);
  wine('wineserver', ['-w']);
  // Node 20 and later refuse the older Windows a fresh prefix reports.
  wine('wine', ['winecfg', '/v', 'win10']);
  wine('wineserver', ['-w']);
}

/** A Unix path as Windows programs under Wine see it (drive Z: is /). */
// The Z:\ form of paths and back: the same as the Wine tier's (a checkout path may hold spaces).
export { comparableReport, unixPaths, winPath } from './wine.js';

/** Runs a Windows executable under Wine, optionally inside a network namespace; output through files. */
export function runUnderWine(exe: string, args: string[], opts: { netns?: string; input?: string | Buffer; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): CliResult {
  const dir = mkdtempSync(join(tmpdir(), 'tdg-wine-io-'));
  try {
    const out = openSync(join(dir, 'out'), 'w');
    const err = openSync(join(dir, 'err'), 'w');
    let input: number | 'ignore' = 'ignore';
    if (opts.input !== undefined) {
      writeFileSync(join(dir, 'in'), opts.input);
      input = openSync(join(dir, 'in'), 'r');
    }
    const cmd = opts.netns ? ['ip', 'netns', 'exec', opts.netns, 'wine', exe, ...args] : ['wine', exe, ...args];
    const r = spawnSync(cmd[0]!, cmd.slice(1), {
      stdio: [input, out, err],
      env: { ...process.env, ...WINE_ENV, NO_COLOR: '1', FORCE_COLOR: undefined, ...opts.env },
      timeout: opts.timeoutMs ?? 120_000,
    });
    for (const fd of [out, err, input]) if (typeof fd === 'number') closeSync(fd);
    const stdout = readFileSync(join(dir, 'out'), 'utf8');
    return { code: r.status, stdout, stderr: readFileSync(join(dir, 'err'), 'utf8'), json: () => JSON.parse(stdout) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Stops the prefix's wineserver. Before and after a run in a namespace: Wine
 * answers some Windows APIs from its server process, which must start inside
 * the namespace rather than be one left running outside it.
 */
export function stopWineserver(): void {
  spawnSync('wineserver', ['-k'], { env: { ...process.env, ...WINE_ENV }, stdio: 'ignore', timeout: 30_000 });
  spawnSync('wineserver', ['-w'], { env: { ...process.env, ...WINE_ENV }, stdio: 'ignore', timeout: 30_000 });
}

/** Where a C:\ path of the prefix lies on this machine. */
export function onDriveC(p: string): string {
  if (!/^C:\\/i.test(p)) throw new Error(`not a C: path: ${p}`);
  return join(WINE_PREFIX, 'drive_c', ...p.slice(3).split('\\'));
}
