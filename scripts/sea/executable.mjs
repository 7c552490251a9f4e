// One single executable: a SEA blob made by this Node (main script
// src/sea/main.cjs, the bundle and everything else as assets), injected with
// postject into the registry's Node binary of the target.
//
// Assets (read at run time through node:sea, src/sea/assets.ts):
//   tcpdiag.cjs          the bundle (scripts/sea/bundle.mjs)
//   tcpdiag.cjs.cache    its V8 code cache, on the host's target only
//   koffi.node           koffi's native module for the target (src/sea/koffi.ts)
//   build.json           what --version names: target, Node, commit, koffi
//   schemas/<name>       the JSON Schemas the npm package ships (tcpdiag schema)
//
// SEA's own useCodeCache and useSnapshot stay off: both are valid only on the
// platform that made the blob, and the cache the bundle brings is the better
// one (src/sea/main.cjs says why).

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { removeMachoSignature, removePeSignature, setPeChecksum } from './signatures.mjs';

const require = createRequire(import.meta.url);
// The fuse Node looks for (src/node_sea.cc): postject flips its :0 to :1.
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** Writes the blob for one target and returns its path. */
export function makeBlob({ root, target, workDir, bundle, codeCache, koffiNode, build }) {
  const dir = join(workDir, target.id);
  mkdirSync(dir, { recursive: true });
  const buildFile = join(dir, 'build.json');
  writeFileSync(buildFile, `${JSON.stringify(build)}\n`);
  const assets = { 'tcpdiag.cjs': bundle, 'build.json': buildFile };
  if (codeCache) assets['tcpdiag.cjs.cache'] = codeCache;
  if (koffiNode) assets['koffi.node'] = koffiNode;
  for (const name of readdirSync(join(root, 'schemas'))) if (name.endsWith('.schema.json')) assets[`schemas/${name}`] = join(root, 'schemas', name);
  const config = {
    main: join(root, 'src', 'sea', 'main.cjs'),
    output: join(dir, 'sea.blob'),
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    useCodeCache: false,
    assets,
  };
  const configFile = join(dir, 'sea-config.json');
  writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
  execFileSync(process.execPath, ['--experimental-sea-config', configFile], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
  return config.output;
}

/** Copies the target's Node binary to `out`, unsigned, and injects the blob. */
export async function injectBlob({ target, nodeBinary, blob, out }) {
  let binary = readFileSync(nodeBinary);
  if (target.format === 'pe') binary = removePeSignature(binary);
  if (target.format === 'macho') binary = removeMachoSignature(binary);
  writeFileSync(out, binary);
  chmodSync(out, 0o755);
  const { inject } = require('postject');
  await inject(out, 'NODE_SEA_BLOB', readFileSync(blob), {
    sentinelFuse: SEA_FUSE,
    // Node looks for the blob in this segment on macOS.
    ...(target.format === 'macho' ? { machoSegmentName: 'NODE_SEA' } : {}),
  });
  // The resources grew the file: its PE checksum is stale.
  if (target.format === 'pe') writeFileSync(out, setPeChecksum(readFileSync(out)));
  chmodSync(out, 0o755);
}
