// Runs inside a fresh network namespace (test/live/sockets-linux.test.ts):
// a listener with backlog 1 that never accepts, `tcpdiag sockets --listen
// --sample` watching it, and 5 clients connecting during the sample. Prints
// tcpdiag's JSON report. Everything it starts is killed before it exits.
const { spawn } = require('node:child_process');
const net = require('node:net');
const cliArgv = require('./cli-argv.cjs');

const [bin] = process.argv.slice(2);
const children = [];
const sockets = [];
const finish = (code) => {
  for (const s of sockets) s.destroy();
  for (const c of children) c.kill('SIGKILL');
  process.exit(code);
};
setTimeout(() => finish(3), 20_000).unref();

const holder = spawn(process.execPath, ['-e', `const s = require('net').createServer().listen({ port: 7001, host: '127.0.0.1', backlog: 1 }, () => { console.log('up'); process.kill(process.pid, 'SIGSTOP'); });`], { stdio: ['ignore', 'pipe', 'inherit'] });
children.push(holder);
holder.stdout.once('data', () => {
  // --verbose: its progress message (stderr is a pipe here) says when the sample begins.
  const diag = spawn(...cliArgv(bin, ['sockets', '--listen', '--local-port', '7001', '--sample', '2s', '--json', '--verbose']), { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(diag);
  let out = '';
  diag.stdout.on('data', (b) => (out += b));
  diag.on('exit', (code) => {
    process.stdout.write(JSON.stringify({ code, report: JSON.parse(out) }));
    finish(0);
  });
  // Connect once tcpdiag says it is sampling: its baseline counters are read by then.
  diag.stderr.once('data', () => {
    for (let i = 0; i < 5; i++) sockets.push(net.connect(7001, '127.0.0.1').on('error', () => {}));
  });
});
