// System settings that shape every connection of the host (doctor): the
// keepalive defaults a program inherits when it turns keepalive on without its
// own values, and the cap the kernel puts on listen() backlogs.

import type { OsName } from '../os/port-ranges.js';
import { keepaliveDefaultsRemedy, somaxconnRemedy } from '../os/remedies.js';
import type { Finding } from '../report/types.js';
import { formatSeconds, plural } from '../text/words.js';

/** A dead peer noticed later than this is noticed too late for any request waiting on it. */
export const SLOW_KEEPALIVE_S = 3600;
/** Values that notice a dead peer in about 2 minutes (60 s idle + 6 x 10 s). */
export const SUGGESTED_KEEPALIVE = { idleS: 60, intervalS: 10, count: 6 };
/** Node passes backlog 511 to listen() by default (OS-FACTS.md "Accept queue"). */
export const NODE_DEFAULT_BACKLOG = 511;

export function explainKeepaliveDefaults(os: OsName | null, v: { idleS: number; intervalS: number; count: number }): Finding[] {
  const detectS = v.idleS + v.intervalS * v.count;
  if (detectS <= SLOW_KEEPALIVE_S) return [];
  return [
    {
      code: 'keepalive-defaults-slow',
      severity: 'info',
      message:
        `with the system keepalive defaults (idle ${v.idleS} s, then ${plural(v.count, 'probe')} ${v.intervalS} s apart) a peer that ` +
        `vanished without closing (power loss, a NAT or firewall that forgot the flow) is noticed after ${formatSeconds(detectS)}; ` +
        `programs that turn keepalive on without their own values inherit these` +
        (os === 'win32'
          ? ' (on Windows Vista and later the probe count is fixed at 10). `tcpdiag keepalive connect` measures what a connection gets; the fix writes the registry: run it in an elevated prompt'
          : ` (Node's setKeepAlive(true) without a delay keeps the system idle time: no probe for ${formatSeconds(v.idleS)}). \`tcpdiag keepalive selftest\` measures what other values detect`),
      remedy: keepaliveDefaultsRemedy(os, SUGGESTED_KEEPALIVE),
    },
  ];
}

export function explainSomaxconn(os: OsName | null, somaxconn: number): Finding[] {
  if (somaxconn >= NODE_DEFAULT_BACKLOG) return [];
  return [
    {
      code: 'somaxconn-below-node-backlog',
      severity: 'warning',
      message:
        `somaxconn is ${somaxconn}: the kernel cuts every listen() backlog to it without telling the program, so a Node ` +
        `server (default backlog ${NODE_DEFAULT_BACKLOG}) gets an accept queue of ${somaxconn}; under a burst of connections ` +
        `the queue fills sooner and further clients are turned away (on Linux and macOS they wait in SYN_SENT and retransmit)`,
      remedy: somaxconnRemedy(os, 4096),
    },
  ];
}
