// The inside half of `keepalive selftest`, run by the CLI inside the private
// namespace: a loopback connection with the requested keepalive on the
// client, then it waits to be told the peer was silenced and reports when
// and how the client's socket ends. Talks JSON lines on stdout, reads stdin.

import { createServer, connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { applyKeepalive, type KeepaliveRequest } from '../net/keepalive.js';
import type { OsBackend } from '../os/backend.js';

export interface InnerArgs extends KeepaliveRequest {
  pendingData: boolean;
  userTimeoutMs: number | null;
  maxWaitMs: number;
}

export async function runKeepaliveInner(args: InnerArgs, backend: OsBackend): Promise<void> {
  const say = (m: object) => process.stdout.write(`${JSON.stringify(m)}\n`);
  const t0 = performance.now();
  const now = () => Math.round(performance.now() - t0);
  const ffi = (await backend.prepareKeepaliveOptions?.()) ?? null;
  const held: Socket[] = [];
  const server = createServer((s) => {
    held.push(s);
    s.on('error', () => {});
    s.resume();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const client = connect({ host: '127.0.0.1', port, family: 4 });
  await new Promise<void>((r) => client.once('connect', () => r()));
  const establishedAtMs = now();
  const applied = applyKeepalive(client, args, ffi);
  if (args.userTimeoutMs !== null) {
    const setUserTimeout = (await backend.prepareUserTimeout?.()) ?? null;
    const fd = (client as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
    if (!setUserTimeout || fd < 0 || !setUserTimeout(fd, args.userTimeoutMs)) applied.notes.push('the user timeout could not be set (needs koffi on Linux)');
  }
  say({ phase: 'established', port, establishedAtMs, applied });
  const ended = new Promise<{ endedAtMs: number; endReason: string | null }>((resolve) => {
    client.once('error', (e: NodeJS.ErrnoException) => resolve({ endedAtMs: now(), endReason: e.code ?? 'error' }));
    client.once('close', () => resolve({ endedAtMs: now(), endReason: null }));
    setTimeout(() => resolve({ endedAtMs: now(), endReason: 'not-detected' }), args.maxWaitMs).unref();
  });
  const silencedAtMs = await new Promise<number>((resolve) => {
    createInterface({ input: process.stdin }).once('line', () => resolve(now()));
  });
  // Data in flight that can never be acknowledged: keepalive does not run then.
  if (args.pendingData) client.write(Buffer.alloc(1024, 1));
  const end = await ended;
  say({ phase: 'ended', silencedAtMs, ...end });
  client.destroy();
  for (const s of held) s.destroy();
  server.close();
  process.exit(0);
}
