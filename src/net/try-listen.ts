// A real listen on one address and port, released at once: the only honest
// answer to "can a server listen here?" (a Windows excluded range or a
// privileged port is only revealed by a bind, never by a connect).

import { createServer } from 'node:net';

export interface ListenAttempt {
  address: string;
  family: 'ipv4' | 'ipv6';
  /** IPv6 wildcard attempts are dual-stack, as `server.listen(port)` is by default. */
  dualStack: boolean;
  ok: boolean;
  /** libuv's error code string (EADDRINUSE, EACCES, EADDRNOTAVAIL, ...), never a numeric errno. */
  errorCode: string | null;
}

export function tryListen(address: string, port: number): Promise<ListenAttempt> {
  const family = address.includes(':') ? 'ipv6' : 'ipv4';
  const dualStack = address === '::';
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      server.close();
      resolve({ address, family, dualStack, ok: false, errorCode: err.code ?? 'UNKNOWN' });
    });
    // exclusive: never share a cluster primary's handle; a plain bind as a server does.
    // An IPv4-mapped address cannot be bound IPv6-only (EINVAL).
    const ipv6Only = !dualStack && family === 'ipv6' && !address.toLowerCase().startsWith('::ffff:');
    server.listen({ host: address, port, exclusive: true, ipv6Only }, () => {
      server.close(() => resolve({ address, family, dualStack, ok: true, errorCode: null }));
    });
  });
}

/** One attempt after the other: each must be released before the next, or they collide with each other. */
export async function tryListenEach(addresses: readonly string[], port: number): Promise<ListenAttempt[]> {
  const out: ListenAttempt[] = [];
  for (const a of addresses) out.push(await tryListen(a, port));
  return out;
}
