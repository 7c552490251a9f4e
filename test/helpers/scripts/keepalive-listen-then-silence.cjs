// Runs inside a namespace: `tcpdiag keepalive listen 7600 <args>`; once it
// listens, a client connects; once tcpdiag has accepted it, nftables (in this
// namespace) drops every packet of port 7600. Prints { code, stdout }.
const { spawn, spawnSync } = require('node:child_process');
const net = require('node:net');
const { createInterface } = require('node:readline');
const cliArgv = require('./cli-argv.cjs');

const [bin, ...args] = process.argv.slice(2);
// --verbose: its progress messages (stderr is a pipe here) say when it listens and accepts.
const diag = spawn(...cliArgv(bin, ['keepalive', 'listen', '7600', ...args, '--verbose']), { stdio: ['ignore', 'pipe', 'pipe'] });
let out = '';
let client;
diag.stdout.on('data', (b) => (out += b));
createInterface({ input: diag.stderr }).on('line', (line) => {
  if (/listening on port 7600/.test(line)) client = net.connect(7600, '127.0.0.1').on('error', () => {});
  if (/accepted/.test(line)) spawnSync('nft', ['-f', '-'], { input: 'table inet tdg {\n  chain input { type filter hook input priority 0; tcp sport 7600 drop; tcp dport 7600 drop; }\n}\n' });
});
diag.on('exit', (code) => {
  process.stdout.write(JSON.stringify({ code, stdout: out }));
  client?.destroy();
  process.exit(0);
});
