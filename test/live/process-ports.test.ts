// sockets --pid asks the kernel only for the local ports of the process's own
// TCP sockets (os/linux/process-ports.ts), read from its descriptors through
// pidfd_getfd(2): they must be exactly those ports, TCP only, and a process
// that is gone gives nothing to ask for.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readProcessTcpPorts } from '../../src/os/linux/process-ports.js';

describe.skipIf(process.platform !== 'linux')('the local ports of one process (skip reason: not Linux)', () => {
  let server: Server;
  let client: Socket;
  let child: ChildProcess;
  const udp = createSocket('udp4');

  beforeAll(async () => {
    server = createServer((s) => s.on('error', () => {}));
    await new Promise<void>((r) => server.listen(0, '::1', r));
    client = await new Promise<Socket>((r, reject) => {
      const c = connect((server.address() as { port: number }).port, '::1', () => r(c));
      c.on('error', reject);
    });
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
    // The child holds a listener, a client socket and a UDP socket (fds 3-5); its stdio are pipes (Unix sockets).
    const fd = (h: unknown) => (h as { _handle: { fd: number } })._handle.fd;
    child = spawn('sleep', ['30'], { stdio: ['pipe', 'pipe', 'pipe', fd(server), fd(client), fd(udp)] });
  });
  afterAll(async () => {
    child.kill('SIGKILL');
    client.destroy();
    udp.close();
    await new Promise((r) => server.close(r));
  });

  it('are its TCP sockets\' local ports, and nothing else', () => {
    expect(readProcessTcpPorts(child.pid!)).toEqual(new Set([(server.address() as { port: number }).port, client.localPort]));
  });

  it('a process that is gone has none to give', async () => {
    const gone = spawn('true');
    await new Promise((r) => gone.once('exit', r));
    expect(readProcessTcpPorts(gone.pid!)).toBeNull();
  });
});
