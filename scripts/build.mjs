// Bundles src/cli/main.ts into one CommonJS file. CJS, not ESM: measured on
// Node 20, the ESM loader adds ~6 ms to every start, and start-up is a goal
// (bench/startup). Dynamic imports in the CLI keep probe code uninitialised
// until its command runs.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

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
  external: ['koffi', 'execa'],
  define: { __TCPDIAG_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
