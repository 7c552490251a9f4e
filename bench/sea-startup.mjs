// Start-up of the single executable (issue #16): `--version` and
// `ports --json` of release/tcpdiag-<this platform> against bare `node -e 0`
// and against the same commands of an npm install of this checkout (npm pack,
// then npm install of that tarball into a temporary prefix: what a user's
// `npm install -g` puts on disk), all interleaved in one run. Prints ratios
// to both anchors, and the sizes of what each way ships.
//
//   npm run dist && BENCH_ONLY=sea npm run bench
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interleave, median } from './lib.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export async function seaStartup() {
  const target = `${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
  const manifestFile = join(ROOT, 'release', 'manifest.json');
  const entry = existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, 'utf8')).executables.find((e) => e.target === target) : null;
  if (!entry) {
    console.log(`no release/ executable for ${target}: run \`npm run dist\` first`);
    return;
  }
  const exe = join(ROOT, 'release', entry.file);
  const dir = mkdtempSync(join(tmpdir(), 'tcpdiag-bench-npm-'));
  try {
    const installed = installPackage(dir);
    const runs = Number(process.env.BENCH_RUNS ?? 40);
    const node = process.execPath;
    const cases = [
      { name: 'node -e 0 (anchor)', cmd: node, args: ['-e', '0'] },
      { name: 'npm install --version', cmd: node, args: [installed.bin, '--version'] },
      { name: 'executable --version', cmd: exe, args: ['--version'] },
      { name: 'npm install ports --json', cmd: node, args: [installed.bin, 'ports', '--json'] },
      { name: 'executable ports --json', cmd: exe, args: ['ports', '--json'] },
    ];
    interleave(cases, 2);
    const samples = interleave(cases, runs);
    const m = Object.fromEntries(cases.map((c) => [c.name, median(samples[c.name])]));
    const anchor = m[cases[0].name];
    console.log(`${runs} runs each, interleaved, Node ${process.version}; ${entry.file} against an npm install of this checkout`);
    for (const c of cases) {
      const npmTwin = c.name.replace('executable', 'npm install');
      const vsNpm = c.name.startsWith('executable') ? `  vs npm install ${(m[c.name] / m[npmTwin]).toFixed(2)}x` : '';
      console.log(`${c.name.padEnd(26)} median ${m[c.name].toFixed(1).padStart(6)} ms  vs node -e 0 ${(m[c.name] / anchor).toFixed(2)}x${vsNpm}`);
    }
    const mib = (n) => `${(n / 1048576).toFixed(1)} MiB`;
    console.log('sizes:');
    console.log(`  ${entry.file.padEnd(34)} ${mib(statSync(exe).size)}`);
    console.log(`  ${entry.archive.padEnd(34)} ${mib(statSync(join(ROOT, 'release', entry.archive)).size)}`);
    console.log(`  ${'npm package tarball'.padEnd(34)} ${mib(installed.tarballBytes)}`);
    console.log(`  ${'npm install (node_modules on disk)'.padEnd(34)} ${mib(installed.diskBytes)}, plus a Node (this one: ${mib(statSync(process.execPath).size)})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** npm pack of the checkout, installed into `dir` as a user would install it. */
function installPackage(dir) {
  const [packed] = JSON.parse(execFileSync(NPM, ['pack', ROOT, '--json', '--pack-destination', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  const prefix = join(dir, 'prefix');
  execFileSync(NPM, ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', join(dir, packed.filename)], { stdio: 'ignore' });
  return { bin: join(prefix, 'node_modules', 'tcpdiag', 'bin', 'tcpdiag.js'), tarballBytes: packed.size, diskBytes: treeBytes(join(prefix, 'node_modules')) };
}

function treeBytes(dir) {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += treeBytes(p);
    else if (e.isFile()) total += statSync(p).size;
  }
  return total;
}
