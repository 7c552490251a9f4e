// What a full accept queue does, per OS (OS-FACTS.md "Accept queue"), and
// whether what `tcpdiag backlog` saw matches it.

import type { OsName } from '../os/port-ranges.js';
import { somaxconnRemedy } from '../os/remedies.js';
import type { Finding } from '../report/types.js';
import { plural } from '../text/words.js';

export interface BacklogExpectation {
  /** Connections the queue holds before it counts as full; null when the OS gives no firm number. */
  queueCapacity: number | null;
  /** What happens to the connections beyond it. */
  beyond: 'dropped' | 'refused';
  text: string;
}

/** `effective`: the backlog after the OS cap (Linux somaxconn). */
export function expectBacklog(os: OsName | null, effective: number): BacklogExpectation {
  switch (os) {
    case 'linux':
      return {
        queueCapacity: effective + 1,
        beyond: 'dropped',
        text: `Linux holds backlog+1 = ${effective + 1} completed connections; further SYNs are dropped silently (no SYN-ACK, no RST), so those clients sit in SYN_SENT and retransmit, and get in at their next retransmit once the server accepts again`,
      };
    case 'win32':
      return {
        queueCapacity: null,
        beyond: 'refused',
        text: 'Windows answers a SYN to a full queue with RST: the client fails at once with ECONNREFUSED ("No connection could be made because the target machine actively refused it"); libuv also keeps up to 32 accepts posted, so the queue looks larger than the backlog',
      };
    case 'darwin':
      return { queueCapacity: Math.floor(effective * 1.5), beyond: 'dropped', text: `macOS holds about 1.5 x backlog = ${plural(Math.floor(effective * 1.5), 'connection')} and drops further SYNs silently: clients sit in SYN_SENT and retransmit` };
    case 'freebsd':
      return { queueCapacity: Math.floor(effective * 1.5), beyond: 'dropped', text: `FreeBSD holds about 1.5 x backlog = ${plural(Math.floor(effective * 1.5), 'connection')}; its syncache answers further SYNs and resets them if the queue is still full when the final ACK arrives` };
    default:
      return { queueCapacity: null, beyond: 'dropped', text: 'no documented behaviour for this OS' };
  }
}

export interface BacklogObserved {
  requested: number;
  effective: number;
  somaxconn: number | null;
  queued: number;
  synSent: number;
  refused: number;
  observedQueueCapacity: number;
  overflowDelta: number | null;
  connectedNotAccepted: number;
  /** net.ipv4.tcp_syncookies, where known. */
  syncookies: number | null;
}

export function explainBacklog(os: OsName | null, o: BacklogObserved, e: BacklogExpectation): Finding[] {
  const out: Finding[] = [];
  if (o.somaxconn !== null && o.requested > o.somaxconn) {
    out.push({ code: 'backlog-capped', severity: 'info', message: `the backlog ${o.requested} was capped at somaxconn = ${o.somaxconn}: a listen() asks, the kernel decides`, remedy: somaxconnRemedy(os, o.requested) });
  }
  const saw =
    `the queue held ${plural(o.observedQueueCapacity, 'connection')}: ${plural(o.queued, 'client')} connected at once and waited to be accepted` +
    (o.synSent ? `, ${o.synSent} sat in SYN_SENT` : '') +
    (o.refused ? `, ${o.refused} ${o.refused === 1 ? 'was' : 'were'} refused` : '') +
    (o.overflowDelta !== null ? `; the kernel counted ${plural(o.overflowDelta, 'overflow')}` : '');
  const matches = (e.queueCapacity === null || e.queueCapacity === o.observedQueueCapacity) && (e.beyond === 'dropped' ? o.refused === 0 : o.synSent === 0);
  out.push({
    code: matches ? 'backlog-as-expected' : 'backlog-differs-from-expected',
    severity: matches ? 'info' : 'warning',
    message: `${saw}. Expected on this OS: ${e.text}.` + (matches ? '' : ' What was seen differs: another limit or a firewall is involved.'),
    remedy: [],
  });
  if (o.connectedNotAccepted > 0) {
    out.push({
      code: 'connected-but-not-accepted',
      severity: 'info',
      message:
        `${plural(o.connectedNotAccepted, 'client')} saw ${o.connectedNotAccepted === 1 ? 'its' : 'their'} connect complete, but the server never accepted ${o.connectedNotAccepted === 1 ? 'it' : 'them'}` +
        (o.syncookies ? ': with SYN cookies on (net.ipv4.tcp_syncookies), Linux answered the SYN with a cookie while the queue was full, then dropped the final ACK because the queue was full again; the client believes it is connected, the server knows nothing until the client sends data' : '') +
        '. Clients see this as a connection that opens but never gets an answer.',
      remedy: [],
    });
  }
  out.push({
    code: 'backlog-on-real-servers',
    severity: 'info',
    message: 'on a real server, `tcpdiag sockets --listen --sample 5s` shows each accept queue and whether it overflows now',
    remedy: [],
  });
  return out;
}

