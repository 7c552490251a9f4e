// `tcpdiag __self-check` (hidden, like __race-helper): one JSON line saying
// how this tcpdiag is put together on this host: a single executable or not,
// its build, and whether koffi loads. Nothing on Windows (before the IP Helper
// backend) or in a --from run needs koffi, so without this a Windows
// executable's embedded module would go untried; test/sea runs it on every
// executable it can start, Wine included.

import { existsSync } from 'node:fs';
import { readBuildInfo, isSingleExecutable } from './assets.js';
import { embeddedKoffiFile } from './koffi.js';

export { SELF_CHECK_COMMAND } from './self-check-command.js';

export function runSelfCheck(): void {
  let koffi: { version: string } | { error: string };
  try {
    const k = require('koffi') as { version: string };
    koffi = { version: k.version };
  } catch (err) {
    koffi = { error: (err as Error).message };
  }
  const file = embeddedKoffiFile();
  const report = {
    singleExecutable: isSingleExecutable(),
    build: readBuildInfo(),
    platform: `${process.platform}-${process.arch}`,
    node: process.version,
    koffi,
    // Where the embedded module was loaded from, and whether that copy is still on disk (Linux/macOS: removed at once).
    koffiCopy: file ? { file, exists: existsSync(file) } : null,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
