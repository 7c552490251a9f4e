// macOS and FreeBSD backend. Mechanisms:
//  - ports: `sysctl net.inet.ip.portrange` (one range for IPv4 and IPv6);
//  - sockets, macOS: `netstat -anv -p tcp` (pid column; `process:pid` on newer releases);
//  - sockets, FreeBSD: `sockstat -46 -P tcp` (owners; states inferred, see parse/sockstat.ts);
//  - keepalive defaults and the listen backlog cap: `sysctl net.inet.tcp.keep*`
//    (milliseconds) and `sysctl kern.ipc.somaxconn`.

import { UNIX_BIND, type OsBackend } from '../backend.js';
import { parseBsdNetstat } from '../parse/bsd-netstat.js';
import { parseBsdSysctlPortRange } from '../parse/bsd-sysctl-portrange.js';
import { parseSockstat } from '../parse/sockstat.js';
import { keepaliveFromSysctl, parseSysctlValues, somaxconnFromSysctl } from '../parse/sysctl-values.js';
import { CannotRunError } from '../../report/errors.js';
import type { OsName } from '../port-ranges.js';
import { liveParse } from '../live-parse.js';
import { DARWIN_KEEPALIVE, keepaliveOptions } from '../ffi/keepalive.js';
import { runTool, type ToolRunner } from '../run-tool.js';

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
      const v = keepaliveFromSysctl(parseSysctlValues(await run('sysctl', keys)));
      if (!v) throw new CannotRunError(`\`sysctl ${keys.join(' ')}\` did not print all three values`);
      return v;
    },
    async readBacklogSettings() {
      // FreeBSD may answer with the setting's newer name (kern.ipc.soacceptqueue).
      const somaxconn = somaxconnFromSysctl(parseSysctlValues(await run('sysctl', ['kern.ipc.somaxconn'])));
      if (somaxconn === null) throw new CannotRunError('`sysctl kern.ipc.somaxconn` printed no value');
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
