// Runs inside a namespace: a server on 127.0.0.1:7500, `tcpdiag keepalive
// connect` to it; once tcpdiag says it is connected, nftables (in this
// namespace) drops every packet of port 7500. Prints { code, stdout, silencedAt }.
const { spawn, spawnSync } = require('node:child_process');
const net = require('node:net');
const cliArgv = require('./cli-argv.cjs');

const [bin, ...args] = process.argv.slice(2);
const t0 = Date.now();
const held = [];
const server = net.createServer((s) => { held.push(s); s.on('error', () => {}); }).listen(7500, '127.0.0.1', () => {
  // --verbose: its progress message (stderr is a pipe here) says when it is connected.
  const diag = spawn(...cliArgv(bin, ['keepalive', 'connect', '127.0.0.1', '7500', ...args, '--verbose']), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let silencedAt = null;
  diag.stdout.on('data', (b) => (out += b));
  diag.stderr.once('data', () => {
    setTimeout(() => {
      spawnSync('nft', ['-f', '-'], { input: 'table inet tdg {\n  chain input { type filter hook input priority 0; tcp sport 7500 drop; tcp dport 7500 drop; }\n}\n' });
      silencedAt = Date.now() - t0;
    }, 300);
  });
  diag.on('exit', (code) => {
    process.stdout.write(JSON.stringify({ code, stdout: out, silencedAt }));
    for (const s of held) s.destroy();
    server.close();
    process.exit(0);
  });
});
