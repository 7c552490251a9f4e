// The fact doctor's keepalive-defaults check states (OS-FACTS.md "Keepalive"):
// Node's setKeepAlive(true) without a delay leaves the kernel's idle time in
// place, so the first probe comes after tcp_keepalive_time. Proved in a
// namespace whose tcp_keepalive_time is set to an unusual value.
import { describe, expect, it } from 'vitest';
import { createNetns, setSysctl, skipWithoutNetns } from '../helpers/netns.js';
import { nodeInNetns } from '../helpers/node-in-netns.js';

const skip = process.platform !== 'linux' || skipWithoutNetns();

describe.skipIf(skip)('Linux keepalive defaults (skip reason printed above, or not Linux)', () => {
  it('setKeepAlive(true) without a delay keeps the system idle time (tcp_keepalive_time)', () => {
    const ns = createNetns();
    setSysctl(ns, 'net/ipv4/tcp_keepalive_time', '4321');
    // ss -tno shows the keepalive timer of the client socket: "timer:(keepalive,72min,0)".
    const r = nodeInNetns(
      ns,
      `const net = require('net');
       const { execFileSync } = require('child_process');
       const server = net.createServer().listen(5000, '127.0.0.1', () => {
         const client = net.connect(5000, '127.0.0.1', () => {
           client.setKeepAlive(true);
           const line = execFileSync('ss', ['-tnoH', 'sport', '=', ':' + client.localPort]).toString();
           console.log(JSON.stringify({ timer: /timer:\\((\\w+),(\\w+),/.exec(line)?.slice(1) ?? line }));
           client.destroy(); server.close();
         });
       });`,
    );
    // 4321 s is 72 min and a bit: ss rounds down to whole minutes.
    expect(r).toEqual({ timer: ['keepalive', '72min'] });
  });
});
