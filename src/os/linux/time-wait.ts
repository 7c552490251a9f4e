// How long each TIME_WAIT socket on a port still holds it: sock_diag reports
// the timer of a TIME_WAIT socket in idiag_expires (inet_twsk_diag_fill:
// idiag_timer 3, milliseconds left), what `ss -o` prints as
// timer:(timewait,59sec,0). /proc/net/tcp is no substitute here: its timer
// column counts clock ticks and is read only when sock_diag is closed.

import type { TimeWaitTimer } from '../backend.js';
import { AF_INET6, DPORT, DST, EXPIRES, FAMILY, INET_DIAG_MSG_LEN, SPORT, SRC, STATE, u16be } from './inet-diag-msg.js';
import { readSockDiag } from './sock-diag.js';
import type { SockDiagRecords } from './sock-diag-records.js';

const TCP_TIME_WAIT = 6;

/** Asks the kernel for the TIME_WAIT sockets on `port` alone (a busy host's other sockets are not copied out). */
export async function readLinuxTimeWaitTimers(port: number): Promise<TimeWaitTimer[] | null> {
  const diag = await readSockDiag(undefined, { localPort: port, states: ['TIME_WAIT'] });
  return 'unavailable' in diag ? null : timeWaitTimersOf(diag.records, port);
}

/** The TIME_WAIT sockets on `port` among records already read. */
export function timeWaitTimersOf(t: SockDiagRecords, port: number): TimeWaitTimer[] {
  const out: TimeWaitTimer[] = [];
  for (let i = 0, o = 0; i < t.length; i++, o += INET_DIAG_MSG_LEN) {
    if (t.buf[o + STATE] !== TCP_TIME_WAIT || u16be(t.buf, o + SPORT) !== port) continue;
    const family = t.buf[o + FAMILY] === AF_INET6 ? 'ipv6' : 'ipv4';
    out.push({
      local: { address: t.address(o + SRC, family), port },
      remote: { address: t.address(o + DST, family), port: u16be(t.buf, o + DPORT) },
      remainingMs: t.buf.readUInt32LE(o + EXPIRES),
    });
  }
  return out;
}
