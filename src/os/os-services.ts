// A socket that a service of the OS itself holds: ending its process does not
// free the port (a user trial: `kill 546` for systemd-resolved on 53,
// HTTP.sys advice for SMB's 445). One question for every OS, so explainers ask
// it the same way: what the holder is, and what to do instead of ending it.
// The services: unix-system-services.ts (Linux, macOS: known by process name
// and port) and windows-system-ports.ts (pid 4, the System process, on a
// kernel service's port).

import type { OsName } from './port-ranges.js';
import { unixSystemService, unixSystemServiceWords } from './unix-system-services.js';
import { windowsSystemService, windowsSystemServiceWords } from './windows-system-ports.js';

export interface OsService {
  /** What holds the port, and why not to end it: a clause for a finding's message. */
  words: string;
  /** Copy-pasteable commands for what to do instead (none where it is a setting in a window or another port). */
  remedy: readonly string[];
}

/** The OS service that `owner` is on `port`, or null for any other process (then it may be ended). */
export function osServiceOn(os: OsName | null, owner: { pid: number; process: string | null }, port: number): OsService | null {
  if (os === 'win32') {
    const kernel = owner.pid === 4 ? windowsSystemService(port) : null;
    return kernel ? { words: windowsSystemServiceWords(kernel), remedy: [] } : null;
  }
  const unix = unixSystemService(os, owner.process, port);
  return unix ? { words: unixSystemServiceWords(unix), remedy: unix.remedy } : null;
}
