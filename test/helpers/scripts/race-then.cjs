// Runs inside a namespace for connect-race tests: a control listener on
// 127.0.0.1:8080 (accepted connections are reset by the client and ignored
// here), then `tcpdiag <args>`; prints { code, stdout, stderr }.
const { spawnSync } = require('node:child_process');
const net = require('node:net');
const cliArgv = require('./cli-argv.cjs');

const [bin, ...args] = process.argv.slice(2);
const server = net.createServer((c) => c.on('error', () => {})).listen(8080, '127.0.0.1', () => {
  const r = spawnSync(...cliArgv(bin, args), { encoding: 'utf8', timeout: 60_000 });
  process.stdout.write(JSON.stringify({ code: r.status, stdout: r.stdout, stderr: r.stderr }));
  server.close();
  process.exit(0);
});
