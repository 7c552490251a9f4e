// The socket summary behind doctor's data.sockets and the Prometheus output.
import { describe, expect, it } from 'vitest';
import type { SocketRow } from '../../src/os/sockets.js';
import { acceptQueuesOf } from '../../src/sockets/summary.js';

const listener = (address: string, port: number, length: number, max: number | null): SocketRow => ({
  protocol: 'tcp', family: 'ipv4', local: { address, port }, remote: { address: '0.0.0.0', port: 0 }, state: 'LISTEN', pid: null, process: null, owner: 'not-collected', acceptQueue: { length, max },
});

describe('accept queues per listening endpoint', () => {
  it('listeners sharing an endpoint (SO_REUSEPORT) add up to one entry: queues summed, the largest limit', () => {
    expect(acceptQueuesOf([listener('0.0.0.0', 80, 2, 128), listener('0.0.0.0', 80, 3, 511), listener('127.0.0.1', 80, 1, 16)])).toEqual([
      { local: { address: '0.0.0.0', port: 80 }, length: 5, max: 511 },
      { local: { address: '127.0.0.1', port: 80 }, length: 1, max: 16 },
    ]);
  });

  it('an unknown limit does not hide a known one', () => {
    expect(acceptQueuesOf([listener('::', 443, 0, null), listener('::', 443, 1, 64)])).toEqual([{ local: { address: '::', port: 443 }, length: 1, max: 64 }]);
  });
});
