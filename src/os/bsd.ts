// macOS and FreeBSD backend. Mechanism: `sysctl net.inet.ip.portrange`
// (one range for IPv4 and IPv6; the kernel has no per-protocol setting).

import type { OsBackend } from './backend.js';
import { parseBsdSysctlPortRange } from './parse/bsd-sysctl-portrange.js';
import type { OsName } from './port-ranges.js';
import { runTool, type ToolRunner } from './run-tool.js';

export function createBsdBackend(os: Extract<OsName, 'darwin' | 'freebsd'>, run: ToolRunner = runTool): OsBackend {
  return {
    os,
    async readPortRanges() {
      const text = await run('sysctl', ['net.inet.ip.portrange']);
      return { ...parseBsdSysctlPortRange(text, 'sysctl net.inet.ip.portrange'), os };
    },
  };
}
