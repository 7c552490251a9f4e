// The bundle a single executable runs: the same entry and options as the npm
// build (scripts/build.mjs), except that nothing stays outside it, since an
// executable has no node_modules:
//  - execa is bundled: src/sea/esm-import.cjs takes the place of
//    src/os/esm-import.cjs and requires it (esbuild makes that lazy);
//  - `require('koffi')` resolves to src/sea/koffi.ts, which loads the native
//    module the executable carries as an asset.
// test/sea checks the result has no import() and requires nothing but Node's
// own modules.

import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const seaStandIns = (root) => ({
  name: 'tcpdiag-sea',
  setup(b) {
    b.onResolve({ filter: /[\\/]esm-import\.cjs$/ }, () => ({ path: join(root, 'src', 'sea', 'esm-import.cjs') }));
    b.onResolve({ filter: /^koffi$/ }, () => ({ path: 'koffi', namespace: 'tcpdiag-sea' }));
    // Every require('koffi') runs this again after a failure (esbuild resets a
    // module that threw), and embeddedKoffi() answers from its memo. The file
    // it was loaded from goes along, for worker threads that load it again
    // (os/ffi/libc.ts requireKoffi: the owner walk's workers).
    b.onLoad({ filter: /^koffi$/, namespace: 'tcpdiag-sea' }, () => ({
      contents: "const sea = require('./src/sea/koffi.ts'); module.exports = sea.embeddedKoffi(); module.exports.__tcpdiagFile = sea.embeddedKoffiFile();",
      resolveDir: root,
      loader: 'js',
    }));
  },
});

/** Writes the executable's bundle to `outfile`. */
export async function bundleForSea(root, outfile) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  await build({
    absWorkingDir: root,
    entryPoints: ['src/cli/main.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    legalComments: 'none',
    define: { __TCPDIAG_VERSION__: JSON.stringify(pkg.version) },
    plugins: [seaStandIns(root)],
    logLevel: 'warning',
  });
}

/**
 * A V8 code cache of the bundle, made by a warm-up run (`ports --json`) on
 * this machine's Node: valid only in an executable of this same Node build,
 * the host's target. Null when the warm-up failed (start-up is then slower,
 * nothing else).
 */
export function warmCodeCache(root, bundle, out) {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'sea', 'warm-cache.cjs'), bundle, out, 'ports', '--json'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000, encoding: 'utf8' });
  if (r.status !== 0) {
    console.warn(`dist: no code cache, the warm-up run failed (${r.status}): ${r.stderr.trim().split('\n')[0] ?? ''}`);
    return null;
  }
  return out;
}
