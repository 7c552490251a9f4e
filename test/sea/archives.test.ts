// The archives next to the executables, opened as a user opens them: each
// .tar.gz with tar (the executable bit kept), each .zip by its central
// directory as every unzip reads it (deflate, CRC-32, Unix mode 0755); the
// sums checked with `sha256sum -c` as README tells users to.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { RELEASE, readManifest } from '../helpers/release.js';

const manifest = readManifest();
const work = mkdtempSync(join(tmpdir(), 'tdg-archives-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The one file of a zip archive, read from its central directory. */
function readZip(buf: Buffer): { name: string; mode: number; data: Buffer } {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(buf.readUInt16LE(end + 10)).toBe(1);
  const central = buf.readUInt32LE(end + 16);
  expect(buf.readUInt32LE(central)).toBe(0x02014b50);
  const method = buf.readUInt16LE(central + 10);
  const crc = buf.readUInt32LE(central + 16);
  const size = buf.readUInt32LE(central + 20);
  const name = buf.toString('utf8', central + 46, central + 46 + buf.readUInt16LE(central + 28));
  const local = buf.readUInt32LE(central + 42);
  expect(buf.readUInt32LE(local)).toBe(0x04034b50);
  const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
  expect(method).toBe(8);
  const data = inflateRawSync(buf.subarray(start, start + size));
  expect(crc32(data)).toBe(crc);
  expect(data.length).toBe(buf.readUInt32LE(central + 24));
  return { name, mode: buf.readUInt32LE(central + 38) >>> 16, data };
}

describe.each(manifest.executables)('$archive', (e) => {
  it(`holds ${e.file} alone, byte for byte, executable`, () => {
    const exe = readFileSync(join(RELEASE, e.file));
    if (e.archive.endsWith('.zip')) {
      const z = readZip(readFileSync(join(RELEASE, e.archive)));
      expect({ name: z.name, mode: (z.mode & 0o777).toString(8), same: z.data.equals(exe) }).toEqual({ name: e.file, mode: '755', same: true });
      return;
    }
    const listing = execFileSync('tar', ['-tvzf', join(RELEASE, e.archive)], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toHaveLength(1);
    expect(listing[0]).toMatch(new RegExp(`^-rwxr-xr-x root/root +${exe.length} .* ${e.file}$`));
    const dir = mkdtempSync(join(work, 'x-'));
    execFileSync('tar', ['-xzf', join(RELEASE, e.archive), '-C', dir]);
    expect(readFileSync(join(dir, e.file)).equals(exe)).toBe(true);
    expect(statSync(join(dir, e.file)).mode & 0o777).toBe(0o755);
  });
});

describe('the sums', () => {
  it('sha256sum -c accepts every .sha256 file, and SHA256SUMS, and refuses a changed file', () => {
    const sums = manifest.files.map((f) => `${f.name}.sha256`);
    expect(spawnSync('sha256sum', ['-c', ...sums, 'SHA256SUMS'], { cwd: RELEASE, encoding: 'utf8' }).status).toBe(0);
    const first = manifest.files[0]!;
    const dir = mkdtempSync(join(work, 'sums-'));
    execFileSync('cp', [join(RELEASE, `${first.name}.sha256`), dir]);
    execFileSync('sh', ['-c', `head -c 1000 "${join(RELEASE, first.name)}" > "${join(dir, first.name)}"`]);
    expect(spawnSync('sha256sum', ['-c', `${first.name}.sha256`], { cwd: dir, encoding: 'utf8' }).status).toBe(1);
  });
});
