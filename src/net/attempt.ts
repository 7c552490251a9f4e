// One connection attempt left to run its course: family pinned (no Happy
// Eyeballs), its outcome reported, closed only when the caller says so. The
// base of connect-race's pending attempts and backlog's clients.

import { connect, type Socket } from 'node:net';

export interface Attempt {
  /** The local port, once connect() has been issued (one tick after start). */
  localPort(): number | null;
  close(): void;
}

export interface AttemptEvents {
  onConnect?: () => void;
  /** libuv's error code string (never a numeric errno). */
  onError?: (code: string) => void;
}

export function startAttempt(address: string, port: number, events: AttemptEvents, maxMs?: number): Attempt {
  const socket: Socket = connect({ host: address, port, family: address.includes(':') ? 6 : 4, autoSelectFamily: false });
  socket.once('connect', () => events.onConnect?.());
  socket.once('error', (err: NodeJS.ErrnoException) => events.onError?.(err.code ?? 'error'));
  // A bound on how long the attempt may live, whatever happens to its caller.
  if (maxMs !== undefined) socket.setTimeout(maxMs, () => socket.destroy());
  return { localPort: () => boundPort(socket), close: () => void socket.destroy() };
}

/**
 * The local port once connect() has been issued, else null. Read from the
 * handle each time: Socket.localPort caches the first answer, and asked
 * before the connect it caches port 0 for good.
 */
function boundPort(socket: Socket): number | null {
  const handle = (socket as unknown as { _handle?: { getsockname?: (out: { port?: number }) => number } })._handle;
  const out: { port?: number } = {};
  if (!handle?.getsockname || handle.getsockname(out) !== 0) return null;
  return out.port ? out.port : null;
}
