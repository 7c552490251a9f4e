// Runs inside a namespace: listens on <host>:<port>, then runs `tcpdiag
// <args>` and prints { code, stdout, stderr }. The listener ends with it.
const { spawnSync } = require('node:child_process');
const net = require('node:net');
const cliArgv = require('./cli-argv.cjs');

const [host, port, bin, ...args] = process.argv.slice(2);
const server = net.createServer((c) => c.destroy()).listen(Number(port), host, () => {
  const r = spawnSync(...cliArgv(bin, args), { encoding: 'utf8' });
  process.stdout.write(JSON.stringify({ code: r.status, stdout: r.stdout, stderr: r.stderr }));
  server.close();
});
