// Which sockets are connections, as binding sees them. Shared by the
// bind-conflict model and its per-OS rules; what an address is for binding
// is os/address-kind.ts.

import type { TcpState } from '../os/tcp-states.js';
import type { Endpoint } from '../os/sockets.js';

/** A socket with a peer: a connection (client or accepted), TIME_WAIT included. Listeners and bound-only sockets have none. */
export function isConnected(e: { state: TcpState; remote: Endpoint }): boolean {
  return e.state !== 'LISTEN' && e.state !== 'BOUND' && e.state !== 'CLOSED' && e.remote.port !== 0;
}
