'use strict';
// The main script of a tcpdiag single executable (scripts/sea/blob.mjs puts
// it into the blob; it is not part of the npm package). The program is the
// asset "tcpdiag.cjs", the bundle built for executables (execa and the koffi
// loader inside: scripts/sea/bundle.mjs), compiled here with the V8 code
// cache a warm-up run made for it (asset "tcpdiag.cjs.cache"), as
// bin/tcpdiag.js loads the npm install's bundle. SEA's own useCodeCache
// compiles the main script without running it, which caches only its top
// level; a warm-up cache also holds the functions a run compiled (measured
// on Node 20: --version ~5 ms sooner, bench/sea-startup.mjs). Only the build
// host's platform gets a cache (a cache is per V8 build and CPU); elsewhere
// V8 compiles as usual, and a cache it rejects costs nothing but the bytes.
const sea = require('node:sea');
const vm = require('node:vm');
const path = require('node:path');
const { isBuiltin, wrap } = require('node:module');

const source = sea.getAsset('tcpdiag.cjs', 'utf8');
let cachedData;
try {
  cachedData = Buffer.from(sea.getRawAsset('tcpdiag.cjs.cache'));
} catch {
  // No cache for this platform: compile as usual.
}

// The bundle needs only Node's own modules; anything else would be looked up
// on the disk of the host it runs on, which an executable must never do.
const builtinRequire = (id) => {
  if (!isBuiltin(id)) throw Object.assign(new Error(`Cannot find module '${id}' (not bundled into this executable)`), { code: 'MODULE_NOT_FOUND' });
  return require(id);
};

// A file name for stack traces only: nothing is read from it.
const filename = path.join(path.dirname(process.execPath), 'tcpdiag.cjs');
// Module.wrap, as scripts/sea/warm-cache.cjs wraps it: the cache fits only the same text.
const script = new vm.Script(wrap(source), { filename, cachedData });
if (process.env.TCPDIAG_SEA_CODE_CACHE_REPORT === '1') {
  // For test/sea: whether V8 took the embedded cache (it says nothing otherwise).
  process.stderr.write(`tcpdiag-sea: code cache ${cachedData ? (script.cachedDataRejected ? 'rejected' : 'accepted') : 'absent'}\n`);
}
const bundleModule = { exports: {} };
script.runInThisContext().call(bundleModule.exports, bundleModule.exports, builtinRequire, bundleModule, filename, path.dirname(filename));
