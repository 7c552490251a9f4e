// Runs inside a fresh network namespace: sets up one port situation, then
// runs `tcpdiag <args>` and prints { code, stdout, pid } (pid: the process
// holding the situation's sockets). Scenarios:
//   client-ephemeral P  ip_local_port_range narrowed to P, a client connects
//                       to a server on 127.0.0.1:5000 and gets P as its port
//   time-wait P         a server on P closes an accepted connection first
//                       (its side enters TIME_WAIT), then stops listening
//   other-address P     a listener on 127.0.0.2:P, nothing on 127.0.0.1
//   client-beside P     the same, and a client on 127.0.0.1:P connected to
//                       a server on 127.0.0.1:5000
const { spawnSync } = require('node:child_process');
const { writeFileSync } = require('node:fs');
const net = require('node:net');
const cliArgv = require('./cli-argv.cjs');

const [scenario, portText, bin, ...args] = process.argv.slice(2);
const port = Number(portText);
const open = [];
const run = () => {
  const r = spawnSync(...cliArgv(bin, args), { encoding: 'utf8' });
  process.stdout.write(JSON.stringify({ code: r.status, stdout: r.stdout, stderr: r.stderr, pid: process.pid }));
  for (const s of open) (s.destroy ?? s.close).call(s);
  process.exit(0);
};
setTimeout(() => process.exit(3), 20_000).unref();

if (scenario === 'client-ephemeral') {
  writeFileSync('/proc/sys/net/ipv4/ip_local_port_range', `${port} ${port}\n`);
  const server = net.createServer((c) => open.push(c)).listen(5000, '127.0.0.1', () => {
    const client = net.connect(5000, '127.0.0.1', () => {
      if (client.localPort !== port) throw new Error(`client got ${client.localPort}, not ${port}`);
      run();
    });
    open.push(client, server);
  });
} else if (scenario === 'time-wait') {
  const server = net.createServer((c) => c.end()).listen(port, '127.0.0.1', () => {
    const client = net.connect(port, '127.0.0.1');
    client.on('close', () => server.close(() => setTimeout(run, 100)));
    client.resume();
  });
} else if (scenario === 'other-address' || scenario === 'client-beside') {
  const listener = net.createServer().listen(port, '127.0.0.2', () => {
    open.push(listener);
    if (scenario === 'other-address') return run();
    const server = net.createServer((c) => open.push(c.on('error', () => {}))).listen(5000, '127.0.0.1', () => {
      open.push(server);
      const client = net.connect({ port: 5000, host: '127.0.0.1', localAddress: '127.0.0.1', localPort: port }, run);
      open.push(client);
    });
  });
} else {
  throw new Error(`unknown scenario ${scenario}`);
}
