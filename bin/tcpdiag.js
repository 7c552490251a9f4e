#!/usr/bin/env node
'use strict';
// The installed command. All code lives in the bundle that `npm install`
// builds (prepare script), so start-up loads one file. The build also leaves a
// V8 code cache beside it (dist/tcpdiag.cjs.cache, made by a warm-up run):
// loading through it skips compiling the bundle again, about 15 ms of every
// start (bench/startup). V8 rejects a cache made by another Node version or
// for another bundle; the bundle is then compiled as usual.
const fs = require('node:fs');
const path = require('node:path');

const bundle = path.join(__dirname, '..', 'dist', 'tcpdiag.cjs');
if (!fs.existsSync(bundle)) {
  process.stderr.write('tcpdiag: dist/ is missing; run `npm install` (it builds dist/) or `npm run build`\n');
  process.exit(3);
}
loadBundle(bundle);

function loadBundle(file) {
  const vm = require('node:vm');
  const writeCache = process.env.TCPDIAG_WRITE_CODE_CACHE === '1';
  let cachedData;
  try {
    cachedData = fs.readFileSync(`${file}.cache`);
  } catch {
    // No cache (a plain `npm run build`, or not writable at build time): compile as usual.
  }
  if (!cachedData && !writeCache) {
    require(file);
    return;
  }
  const Module = require('node:module');
  // The bundle has no import() of its own (a vm script would need an experimental
  // loader option for it): ESM packages come through dist/esm-import.cjs.
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
  // Written at exit, so the functions this run compiled are in the cache too.
  if (writeCache) process.once('exit', () => fs.writeFileSync(`${file}.cache`, script.createCachedData()));
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
}
