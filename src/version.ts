// Replaced at build time by esbuild (scripts/build.mjs) with package.json's version,
// so `tcpdiag --version` never reads package.json from disk.
import { readBuildInfo } from './sea/assets.js';

declare const __TCPDIAG_VERSION__: string | undefined;
export const VERSION: string = typeof __TCPDIAG_VERSION__ === 'string' ? __TCPDIAG_VERSION__ : '0.0.0-dev';

/**
 * What --version prints: the version, and for a single executable the build
 * it is (a file copied onto a server should say what it is: issue #16).
 */
export function versionText(): string {
  const b = readBuildInfo();
  if (!b) return VERSION;
  return `${VERSION} (single executable ${b.target}, Node ${b.node}, commit ${b.commit}, ${b.koffi ? `koffi ${b.koffi}` : 'without koffi'})`;
}
