// bin/tcpdiag.js loads the bundle with the V8 code cache the build made
// (scripts/build.mjs). The cache must match the bundle and this Node, or
// start-up silently pays the full compile again; a cache V8 rejects (another
// Node, a damaged file) must still give a working CLI.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, CLI_IS_EXECUTABLE, runCli } from '../helpers/cli.js';
import { bundleWithout } from '../helpers/bundle-without.js';

const BUNDLE = join(BIN, '..', '..', 'dist', 'tcpdiag.cjs');
// What bin/tcpdiag.js does, reporting whether V8 took the cache.
const PROBE = `
  const fs = require('fs'), vm = require('vm'), Module = require('module');
  const [file] = process.argv.slice(1);
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData: fs.readFileSync(file + '.cache') });
  console.log(JSON.stringify({ rejected: script.cachedDataRejected }));`;

// About the npm layout (bin/tcpdiag.js, dist/): a single executable carries its own cache, checked in test/sea.
describe.skipIf(CLI_IS_EXECUTABLE)('the V8 code cache of the bundle (skip reason: the CLI under test is a single executable)', () => {
  it('is accepted by this Node for this bundle', () => {
    const r = spawnSync(process.execPath, ['-e', PROBE, BUNDLE], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ rejected: false });
  });

  it('the bundle has no import() of its own: run as a vm.Script it could not do one (esm-import.cjs does)', () => {
    expect(readFileSync(BUNDLE, 'utf8')).not.toMatch(/\bimport\(/);
  });

  it('a damaged cache is rejected and the CLI works as without one', () => {
    // A copy of the install (bundleWithout a package nobody needs) with garbage as its cache.
    const copy = bundleWithout('fast-check');
    try {
      writeFileSync(join(copy.bin, '..', '..', 'dist', 'tcpdiag.cjs.cache'), Buffer.from('not a code cache'));
      const r = runCli(['ports', '--json'], { bin: copy.bin });
      expect(r.code).toBe(0);
      expect(r.json().command).toBe('ports');
    } finally {
      copy.remove();
    }
  });
});
