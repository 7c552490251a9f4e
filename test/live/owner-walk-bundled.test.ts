// The owner walk's worker threads run the walker from its source text
// (os/linux/owner-walk-worker.ts). That text is what the bundler made of it,
// so it is checked bundled as scripts/build.mjs bundles the CLI: a worker that
// failed to start would go unnoticed in the CLI's output (the main thread
// then walks everything alone), but not here, where the walk must report
// that its workers did their share.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { prepareOwnerWalk } from '../../src/os/linux/owner-walk.js';
import { WORKER_SOURCE } from '../../src/os/linux/owner-walk-worker.js';

const ROOT = join(__dirname, '..', '..');

describe.skipIf(process.platform !== 'linux')('the owner walk, bundled (skip reason: not Linux)', () => {
  it('its workers walk from their bundled source and find what the main thread alone finds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcpdiag-walk-bundle-'));
    try {
      const bundle = join(dir, 'walk.cjs');
      // The CLI's build options (scripts/build.mjs) that shape the output.
      await build({
        stdin: { contents: "export { prepareOwnerWalk } from './src/os/linux/owner-walk.ts';", resolveDir: ROOT, loader: 'ts' },
        outfile: bundle,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        external: ['koffi'],
        logLevel: 'silent',
      });
      const script = `
        const { prepareOwnerWalk } = require(${JSON.stringify(bundle)});
        const run = async (workers) => { const w = prepareOwnerWalk({ how: 'native', workers }); w.begin(null); return w.finish(); };
        (async () => {
          const [alone, shared] = [await run(0), await run(2)];
          const mine = (r) => { const s = []; for (let i = 0; i < r.pairs.length; i += 2) if (r.pairs[i] === process.pid) s.push(r.pairs[i + 1]); return s.sort(); };
          console.log(JSON.stringify({ threads: shared.threads, same: JSON.stringify(mine(alone)) === JSON.stringify(mine(shared)), mine: mine(alone).length }));
        })();`;
      // koffi resolves from the repository's node_modules.
      const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') } });
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout);
      expect(out.threads).toBe(3);
      expect(out.same).toBe(true);
      expect(out.mine).toBeGreaterThan(0); // this child's own stdio pipes are sockets
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Where koffi has no package to require (a single executable embeds its native module), a worker is handed the module's file.
  const nativeModule = join(ROOT, 'node_modules', '@koromix', `koffi-${process.platform}-${process.arch}`, `${process.platform}_${process.arch}`, 'koffi.node');
  it.skipIf(!existsSync(nativeModule))(`a worker given koffi's native module itself walks as the main thread does (skip reason: no ${nativeModule})`, async () => {
    const job = {
      pids: Int32Array.of(process.pid),
      tasks: Int32Array.of(0, 0, 0x7fffffff),
      taken: new Int32Array(new SharedArrayBuffer(4)),
      state: new Int32Array(new SharedArrayBuffer(4)),
      wanted: null,
    };
    const worker = new Worker(WORKER_SOURCE(), { eval: true, workerData: { koffiPath: nativeModule } });
    try {
      const out = await new Promise<{ pairs: Uint32Array; n: number } | null>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage(job);
      });
      const theirs = [...out!.pairs.subarray(0, out!.n)].filter((_, i) => i % 2 === 1).sort();
      const w = prepareOwnerWalk({ how: 'native', workers: 0, onlyPid: process.pid });
      w.begin(null);
      const mine = [...(await w.finish()).pairs].filter((_, i) => i % 2 === 1).sort();
      expect(theirs.length).toBeGreaterThan(0);
      expect(theirs).toEqual(mine);
    } finally {
      await worker.terminate();
    }
  });
});
