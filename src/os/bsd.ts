// macOS and FreeBSD backend. Mechanisms:
//  - ports: `sysctl net.inet.ip.portrange` (one range for IPv4 and IPv6);
//  - sockets, macOS: `netstat -anv -p tcp` (pid column; `process:pid` on newer releases);
//  - sockets, FreeBSD: `sockstat -46 -P tcp` (owners; states inferred, see parse/sockstat.ts);
//  - keepalive defaults and the listen backlog cap: `sysctl net.inet.tcp.keep*`
//    (milliseconds) and `sysctl kern.ipc.somaxconn`.

import { UNIX_BIND, type OsBackend } from './backend.js';
import { parseBsdNetstat } from './parse/bsd-netstat.js';
import { parseBsdSysctlPortRange } from './parse/bsd-sysctl-portrange.js';
import { parseSockstat } from './parse/sockstat.js';
import { parseSysctlValues } from './parse/sysctl-values.js';
import { CannotRunError } from '../report/errors.js';
import type { OsName } from './port-ranges.js';
import { liveParse } from './live-parse.js';
import { DARWIN_KEEPALIVE, keepaliveOptions } from './keepalive-ffi.js';
import { runTool, type ToolRunner } from './run-tool.js';

export function createBsdBackend(os: Extract<OsName, 'darwin' | 'freebsd'>, run: ToolRunner = runTool): OsBackend {
  return {
    os,
    bindSemantics: UNIX_BIND,
    // FreeBSD's constants differ and are unverified here: macOS only.
    ...(os === 'darwin' ? { prepareKeepaliveOptions: () => keepaliveOptions(DARWIN_KEEPALIVE) } : {}),
    async readPortRanges() {
      const text = await run('sysctl', ['net.inet.ip.portrange']);
      return { ...liveParse('sysctl', () => parseBsdSysctlPortRange(text, 'sysctl net.inet.ip.portrange')), os };
    },
    async readKeepaliveDefaults() {
      const keys = ['net.inet.tcp.keepidle', 'net.inet.tcp.keepintvl', 'net.inet.tcp.keepcnt'];
      const values = parseSysctlValues(await run('sysctl', keys));
      const [idle, interval, count] = keys.map((k) => values.get(k));
      if (idle === undefined || interval === undefined || count === undefined) throw new CannotRunError(`\`sysctl ${keys.join(' ')}\` did not print all three values`);
      // Both in milliseconds here, in seconds on Linux.
      return { idleS: idle / 1000, intervalS: interval / 1000, count };
    },
    async readBacklogSettings() {
      const values = parseSysctlValues(await run('sysctl', ['kern.ipc.somaxconn']));
      // FreeBSD 10 renamed it kern.ipc.soacceptqueue (somaxconn stays as an alias);
      // either name may come back.
      const somaxconn = values.get('kern.ipc.somaxconn') ?? values.get('kern.ipc.soacceptqueue');
      if (somaxconn === undefined) throw new CannotRunError('`sysctl kern.ipc.somaxconn` printed no value');
      return { somaxconn };
    },
    async readSocketTable() {
      if (os === 'freebsd') {
        const text = await run('sockstat', ['-46', '-P', 'tcp']);
        return liveParse('sockstat -46 -P tcp', () => parseSockstat(text, 'sockstat -46 -P tcp'));
      }
      const text = await run('netstat', ['-anv', '-p', 'tcp']);
      return liveParse('netstat -anv -p tcp', () => parseBsdNetstat(text, 'netstat -anv -p tcp'));
    },
  };
}
