// How to run this same tcpdiag again, for the probes that start a second
// process of it (connect-race's helper, keepalive selftest's inner side in a
// namespace). A single executable is its own entry: Node repeats the
// program's path as process.argv[1] there, so passing argv[1] again would
// hand the executable its own path as the command. Otherwise: this node and
// the script it runs (bin/tcpdiag.js).

import { isSingleExecutable } from './assets.js';

export interface SelfCommand {
  file: string;
  args: string[];
}

export function selfCommand(): SelfCommand {
  return isSingleExecutable() || !process.argv[1] ? { file: process.execPath, args: [] } : { file: process.execPath, args: [process.argv[1]] };
}
