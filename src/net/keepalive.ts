// Applies keepalive settings to a connected socket by the best route this
// runtime has, and reads back what the kernel holds (OS-FACTS.md
// "Keepalive"):
//  - Node's own API where it takes interval and count (24.19+, 26.4+: its
//    setKeepAlive has four parameters);
//  - else setKeepAlive(true, idle) for SO_KEEPALIVE, then setsockopt through
//    koffi for idle, interval and count (a later setKeepAlive would reset
//    interval/count to 1/10, so it comes first);
//  - else idle only, and the report says what could not be applied; where the
//    backend knows what the OS adds to the idle time (Windows: the system
//    interval, 10 probes), that is the socket's expected behaviour (osApplied).
// A value is "verified" only when getsockopt read it back. Windows gives Node
// no descriptor: nothing is read back there, and the report says why.

import type { Socket } from 'node:net';
import type { KeepaliveOptions, KeepaliveValues, KeepaliveWithoutDescriptor } from '../os/backend.js';

export interface KeepaliveRequest {
  idleS: number;
  intervalS: number;
  count: number;
}

export interface KeepaliveApplied {
  via: 'node' | 'setsockopt' | 'node (idle only)';
  /** What the kernel holds, read back with getsockopt; null when it could not be read. */
  readBack: KeepaliveValues | null;
  /** True only when the read-back values equal the request. */
  verified: boolean;
  /** Settings that could not be applied or checked, in words. */
  notes: string[];
  /** Where Node set only the idle time and the OS supplies interval and count (Windows): the values the socket runs with, and their source. */
  osApplied: { idleS: number; intervalS: number; count: number; source: string } | null;
}

/** Node 24.19+ and 26.4+ take setKeepAlive(enable, idle, interval, count): four declared parameters. */
export const NODE_KEEPALIVE_FOUR_ARGS = 'Node 24.19 and 26.4';

export function applyKeepalive(socket: Socket, req: KeepaliveRequest, ffi: KeepaliveOptions | null, noDescriptor: KeepaliveWithoutDescriptor | null = null): KeepaliveApplied {
  const notes: string[] = [];
  let osApplied: KeepaliveApplied['osApplied'] = null;
  const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
  let via: KeepaliveApplied['via'];
  if (socket.setKeepAlive.length >= 4) {
    (socket.setKeepAlive as (e: boolean, idle: number, interval: number, count: number) => Socket)(true, req.idleS * 1000, req.intervalS * 1000, req.count);
    via = 'node';
  } else if (ffi && fd >= 0) {
    socket.setKeepAlive(true, req.idleS * 1000);
    const took = ffi.set(fd, req);
    for (const name of ['idle', 'interval', 'count']) if (!took.includes(name)) notes.push(`the kernel refused the keepalive ${name}`);
    via = 'setsockopt';
  } else if (noDescriptor) {
    socket.setKeepAlive(true, req.idleS * 1000);
    via = 'node (idle only)';
    const o = noDescriptor.idleOnly;
    osApplied = { idleS: req.idleS, intervalS: o.intervalS, count: o.count, source: o.source };
    notes.push(`Node ${process.version} sets only the idle time here (interval and count need ${NODE_KEEPALIVE_FOUR_ARGS} or later): the socket gets ${o.source}`);
  } else {
    socket.setKeepAlive(true, req.idleS * 1000);
    via = 'node (idle only)';
    notes.push(
      `Node ${process.version} sets only idle; interval and count stay at this socket's defaults (Node sets interval 1 s and count 10 on Linux); ` +
        `install koffi (optional dependency) or use ${NODE_KEEPALIVE_FOUR_ARGS} or later to set them`,
    );
  }
  const readBack = ffi && fd >= 0 ? ffi.get(fd) : null;
  if (!readBack) notes.push(`requested, not verified: ${noDescriptor ? noDescriptor.noReadBack : 'the kernel values could not be read back (needs koffi and a socket descriptor)'}`);
  const verified = readBack !== null && readBack.enabled && readBack.idleS === req.idleS && readBack.intervalS === req.intervalS && readBack.count === req.count;
  if (readBack && !verified) notes.push(`the kernel holds idle ${readBack.idleS} s, interval ${readBack.intervalS} s, count ${readBack.count}, not what was requested`);
  return { via, readBack, verified, notes, osApplied };
}
