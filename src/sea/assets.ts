// What a single executable (npm run dist, scripts/dist.mjs) carries besides
// the bundle: SEA assets written into its blob at build time. The npm package
// has none of them; every reader here answers null outside an executable.

/** The node:sea module where this Node has one (20.12+), else null. */
function seaModule(): typeof import('node:sea') | null {
  try {
    const sea = require('node:sea') as typeof import('node:sea');
    return sea.isSea() ? sea : null;
  } catch {
    // Node without node:sea: certainly not a single executable.
    return null;
  }
}

/** True when this process is a tcpdiag single executable. */
export function isSingleExecutable(): boolean {
  return seaModule() !== null;
}

/** An asset's bytes without copying them (the blob stays mapped), or null when absent or not an executable. */
export function readRawAsset(key: string): ArrayBuffer | null {
  const sea = seaModule();
  if (!sea) return null;
  try {
    return sea.getRawAsset(key) as ArrayBuffer;
  } catch {
    // getRawAsset throws for a key the build did not add.
    return null;
  }
}

/** An asset as UTF-8 text, or null. */
export function readTextAsset(key: string): string | null {
  const raw = readRawAsset(key);
  return raw ? new TextDecoder().decode(raw) : null;
}

/** The build the executable records (scripts/sea/blob.mjs writes build.json). */
export interface BuildInfo {
  /** Node's platform-arch of the executable: linux-x64, win-x64, ... */
  target: string;
  /** The Node version inside (the blob's maker and the binary are the same version). */
  node: string;
  /** The source commit, with "+dirty" when the tree had changes. */
  commit: string;
  /** The koffi version whose native module is embedded, or null when none is. */
  koffi: string | null;
}

export function readBuildInfo(): BuildInfo | null {
  const text = readTextAsset('build.json');
  return text ? (JSON.parse(text) as BuildInfo) : null;
}
