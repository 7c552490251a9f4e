'use strict';
// Warm-up run for a single executable's code cache (scripts/sea/bundle.mjs):
// compiles the executable's bundle exactly as src/sea/main.cjs does
// (Module.wrap of the same text: V8 takes a cache only for the same source),
// runs one command, and at exit writes the cache, which then holds every
// function the run compiled.
//
//   node scripts/sea/warm-cache.cjs <bundle> <cache-out> <command args...>
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { wrap } = require('node:module');

const [bundle, out, ...args] = process.argv.slice(2);
// As in an executable: argv[1] repeats the program, the command starts at argv[2].
process.argv = [process.execPath, process.execPath, ...args];
const script = new vm.Script(wrap(fs.readFileSync(bundle, 'utf8')), { filename: bundle });
process.once('exit', () => fs.writeFileSync(out, script.createCachedData()));
const mod = { exports: {} };
script.runInThisContext().call(mod.exports, mod.exports, require, mod, bundle, path.dirname(bundle));
