// A socket that a service of the OS itself holds: ending its process does not
// free the port (a user trial: `kill 546` for systemd-resolved on 53,
// HTTP.sys advice for SMB's 445). One question for every OS, so explainers ask
// it the same way: what the holder is, and what to do instead of ending it.
// The services: unix-system-services.ts (Linux, macOS: known by process name
// and port) and windows-system-ports.ts (pid 4, the System process, on a
// kernel service's port).

import type { OsName } from './port-ranges.js';
import { unixSystemService, unixSystemServiceWords } from './unix-system-services.js';
import { showProcessRemedy } from './remedies.js';
import { WINDOWS_DYNAMIC_RANGE, WINDOWS_KERNEL_CLIENT_WORDS, windowsCriticalProcessWords, windowsDynamicListenerWords, windowsPidZeroWords, windowsSystemProcess, windowsSystemService, windowsSystemServiceWords } from './windows-system-ports.js';

export interface OsService {
  /** What holds the port, and why not to end it: a clause for a finding's message. */
  words: string;
  /** Copy-pasteable commands for what to do instead (none where it is a setting in a window or another port). */
  remedy: readonly string[];
}

export interface SocketContext {
  /** false for a connection or a bound socket: a pid-4 connection is a kernel driver's, not HTTP.sys's (default true). */
  listening?: boolean;
  /** The ephemeral (on Windows: dynamic) range, where known; Windows' default otherwise. */
  dynamic?: { start: number; end: number } | null;
}

/**
 * The OS service that `owner` is on `port`, or null for any other process
 * (then it may be ended). On Windows also a process of Windows itself known
 * by name (windowsSystemProcess: critical, never ended), a connection of pid
 * 4 (a kernel driver's), and a listener in the dynamic range whose name is
 * not known: often an RPC endpoint of such a process, so it is looked at
 * first and not ended by the fix.
 */
export function osServiceOn(os: OsName | null, owner: { pid: number; process: string | null }, port: number, context: SocketContext = {}): OsService | null {
  if (os === 'win32') {
    const listening = context.listening ?? true;
    const range = context.dynamic ?? WINDOWS_DYNAMIC_RANGE;
    if (owner.pid === 4) {
      if (!listening) return { words: WINDOWS_KERNEL_CLIENT_WORDS, remedy: [] };
      const kernel = windowsSystemService(port);
      return kernel ? { words: windowsSystemServiceWords(kernel), remedy: [] } : null;
    }
    if (owner.pid === 0) return null;
    if (owner.process !== null && windowsSystemProcess(owner.process) === 'critical') return { words: windowsCriticalProcessWords(owner.process, port, range), remedy: [] };
    if (listening && owner.process === null && port >= range.start && port <= range.end) return { words: windowsDynamicListenerWords(owner.pid, range), remedy: showProcessRemedy(os, owner.pid) };
    return null;
  }
  const unix = unixSystemService(os, owner.process, port);
  return unix ? { words: unixSystemServiceWords(unix), remedy: unix.remedy } : null;
}

/**
 * A socket no process owns, as the OS's table files it: Windows netstat puts
 * it under PID 0, the System Idle Process, which runs no program to end
 * (windows-system-ports.ts); a TIME_WAIT is no one's anywhere. Null elsewhere.
 */
export function ownerlessSocketOn(os: OsName | null, port: number, timeWait: boolean): OsService | null {
  if (os !== 'win32' || timeWait) return null;
  return { words: windowsPidZeroWords(port), remedy: [`netstat -ano | findstr ":${port}"`] };
}

/**
 * Listeners inside the dynamic range that a port reservation must leave
 * alone, and why, as clauses for the finding. Windows: its own processes'
 * and services' listeners there are RPC endpoints that get a new port at
 * each boot, and lsass.exe or wininit.exe cannot be stopped for netsh
 * (windows-system-ports.ts, KB929851, KB832017); a listener the capture does
 * not name may be one. Neither gets an exclusion (a user trial: 20 lines for
 * 49664-49671). Elsewhere none.
 */
export function listenersToLeaveAlone<L extends { port: number; names: ReadonlyArray<string | null> }>(os: OsName | null, inRange: readonly L[]): { leftAlone: L[]; words: string[] } {
  if (os !== 'win32') return { leftAlone: [], words: [] };
  const system = inRange.filter((l) => l.names.some((n) => windowsSystemProcess(n) !== null));
  const unnamed = inRange.filter((l) => !system.includes(l) && l.names.every((n) => n === null));
  const names = [...new Set(system.flatMap((l) => l.names.filter((n): n is string => windowsSystemProcess(n) !== null)))];
  const words = [
    system.length
      ? `${system.map((l) => l.port).join(', ')} ${system.length === 1 ? 'is' : 'are'} held by Windows' own processes and services (${names.join(', ')}): their listeners in the dynamic range are RPC endpoints that get a new port at each boot, and a process such as lsass.exe or wininit.exe cannot be stopped to free one, so they need no exclusion and get none`
      : '',
    unnamed.length
      ? `${unnamed.map((l) => l.port).join(', ')} ${unnamed.length === 1 ? 'has a listener' : 'have listeners'} the capture does not name: in the dynamic range such a listener is often an RPC endpoint of a process of Windows itself, which moves at each boot and must not be ended, so no exclusion is given; look at ${unnamed.length === 1 ? 'it' : 'each'} (\`tasklist /v /FI "PID eq N"\`, or \`netstat -anob\` as administrator) and exclude only a port your own server is configured with`
      : '',
  ].filter(Boolean);
  return { leftAlone: [...system, ...unnamed], words };
}

