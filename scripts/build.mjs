// Bundles src/cli/main.ts into one CommonJS file. CJS, not ESM: measured on
// Node 20, the ESM loader adds ~6 ms to every start, and start-up is a goal
// (bench/startup). Dynamic imports in the CLI keep probe code uninitialised
// until its command runs.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/tcpdiag.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  // koffi (later) ships native per-platform binaries and stays an external, optional require.
  // execa is ESM and only needed where a tool runs (not on Linux): left external and
  // loaded by a real import() so its ~225 KB are not parsed at every start.
  // ./esm-import.cjs (src/os/) is copied beside the bundle: the one place that import()s, see there.
  // test/e2e/code-cache.test.ts checks that the bundle itself has no import().
  external: ['koffi', 'execa', './esm-import.cjs'],
  define: { __TCPDIAG_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});

copyFileSync(new URL('../src/os/esm-import.cjs', import.meta.url), new URL('../dist/esm-import.cjs', import.meta.url));

// The V8 code cache bin/tcpdiag.js loads the bundle with: a warm-up run of a
// common command compiles the start-up path and writes it at exit. A failed
// warm-up only costs start-up time, so it does not fail the build.
rmSync(new URL('../dist/tcpdiag.cjs.cache', import.meta.url), { force: true });
const bin = fileURLToPath(new URL('../bin/tcpdiag.js', import.meta.url));
spawnSync(process.execPath, [bin, 'ports', '--json'], { stdio: 'ignore', timeout: 30_000, env: { ...process.env, TCPDIAG_WRITE_CODE_CACHE: '1' } });
