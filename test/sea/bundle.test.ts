// The bundle an executable runs (scripts/sea/bundle.mjs), built afresh from
// this checkout: everything inside it but Node's own modules (an executable
// has no node_modules, and its loader refuses anything else), execa included,
// koffi through the embedded-module loader, no import() (it runs as a
// vm.Script); and it is the very bundle the executables in release/ carry.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELEASE, readManifest } from '../helpers/release.js';

const ROOT = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'tdg-sea-bundle-'));
const file = join(dir, 'tcpdiag.cjs');
let bundle = '';

beforeAll(async () => {
  const { bundleForSea } = (await import(join(ROOT, 'scripts', 'sea', 'bundle.mjs'))) as { bundleForSea: (root: string, out: string) => Promise<void> };
  await bundleForSea(ROOT, file);
  bundle = readFileSync(file, 'utf8');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the executables' bundle", () => {
  it("requires nothing but Node's own modules", () => {
    const required = [...new Set([...bundle.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!))];
    expect(required.length).toBeGreaterThan(5);
    expect(required.filter((id) => !isBuiltin(id))).toEqual([]);
  });

  it('holds execa and the embedded-koffi loader, not koffi\'s own loader, and no import()', () => {
    // esbuild names each module it bundles in a comment line.
    expect(bundle).toMatch(/^\/\/ node_modules\/execa\/index\.js$/m);
    expect(bundle).toMatch(/^\/\/ src\/sea\/koffi\.ts$/m);
    expect(bundle).not.toMatch(/^\/\/ node_modules\/koffi\//m);
    expect(bundle).not.toMatch(/\bimport\(/);
  });

  it('is byte for byte the bundle in every executable of release/', () => {
    const bytes = Buffer.from(bundle);
    for (const e of readManifest().executables) expect(readFileSync(join(RELEASE, e.file)).includes(bytes), e.file).toBe(true);
  });
});
