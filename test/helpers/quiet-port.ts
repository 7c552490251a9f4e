// A listening port no other socket on this host will share by accident.
//
// Tests that run `tcpdiag sockets --port P` on the host count every socket
// with P at either end. Port 0 picks P from the ephemeral range, where other
// tests running at the same time get their client source ports: one of them
// (or its TIME_WAIT) may carry the same number and join the count. Below the
// ephemeral range only an explicit bind takes a port, and no other test binds
// one there.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:net';

export async function listenBelowEphemeral(server: Server, host: string): Promise<number> {
  const [start] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  const low = 10_000;
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = low + Math.floor(Math.random() * (start! - low));
    const ok = await new Promise<boolean>((resolve) => {
      const onError = () => resolve(false);
      server.once('error', onError);
      server.listen(port, host, () => {
        server.off('error', onError);
        resolve(true);
      });
    });
    if (ok) return port;
  }
  throw new Error(`no free port between ${low} and ${start} on ${host} after 50 attempts`);
}
