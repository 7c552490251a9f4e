// The facts doctor's somaxconn check states (OS-FACTS.md "Accept queue"): Node
// passes backlog 511 to listen() by default, and the kernel cuts it to
// somaxconn without telling the program. The listener's limit is read back with
// ss (Send-Q of a LISTEN socket is its backlog) in namespaces whose somaxconn
// the test chose.
import { describe, expect, it } from 'vitest';
import { createNetns, setSysctl, skipWithoutNetns } from '../helpers/netns.js';
import { nodeInNetns } from '../helpers/node-in-netns.js';
import { NODE_DEFAULT_BACKLOG } from '../../src/explain/host-settings.js';

const skip = process.platform !== 'linux' || skipWithoutNetns();

const LISTEN_THEN_SS = `const net = require('net');
  const { execFileSync } = require('child_process');
  const server = net.createServer().listen(5000, '127.0.0.1', () => {
    const line = execFileSync('ss', ['-ltnH', 'sport', '=', ':5000']).toString().trim().split(/\\s+/);
    console.log(JSON.stringify({ backlog: Number(line[2]) }));
    server.close();
  });`;

describe.skipIf(skip)('Linux listen backlog facts (skip reason printed above, or not Linux)', () => {
  it(`a Node listen() without a backlog asks for ${NODE_DEFAULT_BACKLOG}`, () => {
    const ns = createNetns();
    setSysctl(ns, 'net/core/somaxconn', '4096');
    expect(nodeInNetns(ns, LISTEN_THEN_SS)).toEqual({ backlog: NODE_DEFAULT_BACKLOG });
  });

  it('somaxconn below that cuts it silently', () => {
    const ns = createNetns();
    setSysctl(ns, 'net/core/somaxconn', '128');
    expect(nodeInNetns(ns, LISTEN_THEN_SS)).toEqual({ backlog: 128 });
  });
});
