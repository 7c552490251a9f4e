// OS facts the port explanations state (OS-FACTS.md "Ports and binding"),
// proved on this kernel inside private namespaces.
import { describe, expect, it } from 'vitest';
import { createNetns, setSysctl, skipWithoutNetns } from '../helpers/netns.js';
import { nodeInNetns } from '../helpers/node-in-netns.js';

const skip = process.platform !== 'linux' || skipWithoutNetns();

describe.skipIf(skip)('Linux port facts (skip reason printed above, or not Linux)', () => {
  it('ip_local_reserved_ports keeps a port from ephemeral assignment, but an explicit bind still gets it', () => {
    const ns = createNetns();
    setSysctl(ns, 'net/ipv4/ip_local_port_range', '40000 40001');
    setSysctl(ns, 'net/ipv4/ip_local_reserved_ports', '40000');
    const r = nodeInNetns(
      ns,
      `const net = require('net');
       const server = net.createServer().listen(5000, '127.0.0.1', () => {
         const client = net.connect(5000, '127.0.0.1', () => {
           const explicit = net.createServer().listen(40000, '127.0.0.1', () => {
             console.log(JSON.stringify({ clientPort: client.localPort, explicitBind: explicit.address().port }));
             explicit.close(); client.destroy(); server.close();
           });
         });
       });`,
    );
    expect(r).toEqual({ clientPort: 40001, explicitBind: 40000 });
  });

  it('a client socket takes a port from the ephemeral range as its source port, and a listen there then fails with EADDRINUSE', () => {
    const ns = createNetns();
    setSysctl(ns, 'net/ipv4/ip_local_port_range', '40000 40000');
    const r = nodeInNetns(
      ns,
      `const net = require('net');
       const server = net.createServer().listen(5000, '127.0.0.1', () => {
         const client = net.connect(5000, '127.0.0.1', () => {
           const other = net.createServer().on('error', (e) => {
             console.log(JSON.stringify({ clientPort: client.localPort, listen: e.code }));
             client.destroy(); server.close();
           }).listen(40000, '0.0.0.0');
         });
       });`,
    );
    expect(r).toEqual({ clientPort: 40000, listen: 'EADDRINUSE' });
  });

  it('below ip_unprivileged_port_start an unprivileged user gets EACCES; at or above it, the bind works', () => {
    const ns = createNetns();
    setSysctl(ns, 'net/ipv4/ip_unprivileged_port_start', '2000');
    const r = nodeInNetns(
      ns,
      `const net = require('net');
       const tryListen = (port) => new Promise((res) => {
         const s = net.createServer().on('error', (e) => res(e.code)).listen(port, '127.0.0.1', () => s.close(() => res('ok')));
       });
       Promise.all([tryListen(1999), tryListen(2000)]).then(([low, high]) => console.log(JSON.stringify({ low, high })));`,
      { uid: 65534 },
    );
    expect(r).toEqual({ low: 'EACCES', high: 'ok' });
  });
});
