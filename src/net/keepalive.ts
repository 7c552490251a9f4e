// Applies keepalive settings to a connected socket by the best route this
// runtime has, and reads back what the kernel holds (OS-FACTS.md
// "Keepalive"):
//  - Node's own API where it takes interval and count (24.19+, 26.4+: its
//    setKeepAlive has four parameters);
//  - else setKeepAlive(true, idle) for SO_KEEPALIVE, then setsockopt through
//    koffi for idle, interval and count (a later setKeepAlive would reset
//    interval/count to 1/10, so it comes first);
//  - else idle only, and the report says what could not be applied.
// A value is "verified" only when getsockopt read it back.

import type { Socket } from 'node:net';
import type { KeepaliveOptions, KeepaliveValues } from '../os/backend.js';

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
}

export function applyKeepalive(socket: Socket, req: KeepaliveRequest, ffi: KeepaliveOptions | null): KeepaliveApplied {
  const notes: string[] = [];
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
  } else {
    socket.setKeepAlive(true, req.idleS * 1000);
    via = 'node (idle only)';
    notes.push(
      `Node ${process.version} sets only idle; interval and count stay at this socket's defaults (Node sets interval 1 s and count 10 on Linux); ` +
        'install koffi (optional dependency) or use Node 24.19+ / 26.4+ to set them',
    );
  }
  const readBack = ffi && fd >= 0 ? ffi.get(fd) : null;
  if (!readBack) notes.push('requested, not verified: the kernel values could not be read back (needs koffi and a socket descriptor)');
  const verified = readBack !== null && readBack.enabled && readBack.idleS === req.idleS && readBack.intervalS === req.intervalS && readBack.count === req.count;
  if (readBack && !verified) notes.push(`the kernel holds idle ${readBack.idleS} s, interval ${readBack.intervalS} s, count ${readBack.count}, not what was requested`);
  return { via, readBack, verified, notes };
}
