// Replaced at build time by esbuild (scripts/build.mjs) with package.json's version,
// so `tcpdiag --version` never reads package.json from disk.
declare const __TCPDIAG_VERSION__: string | undefined;
export const VERSION: string = typeof __TCPDIAG_VERSION__ === 'string' ? __TCPDIAG_VERSION__ : '0.0.0-dev';
