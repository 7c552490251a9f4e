'use strict';
// The single executable's stand-in for src/os/esm-import.cjs (the SEA build,
// scripts/sea/bundle.mjs, puts this file in its place). An executable has no
// node_modules to import() from, so execa is bundled: esbuild turns this
// require of the ESM package into a lazily initialised module, and execa's
// code still runs only where a tool is run (not on Linux), as in the npm
// build. No import() here: the executable runs its bundle as a vm.Script,
// where import() needs an experimental option.
module.exports = async (specifier) => {
  if (specifier === 'execa') return require('execa');
  throw new Error(`tcpdiag executable: ${specifier} is not bundled`);
};
