// Runs inside a fresh network namespace: a set of sockets on 127.0.0.1 and
// ::1 (listeners, established pairs, one half-closed pair in FIN_WAIT_2 /
// CLOSE_WAIT, two connections waiting in the accept queue of a listener
// that never accepts), then on the same moment's table:
// `tcpdiag sockets --no-owners --json` (the whole table: its compact path),
// the same with a --state filter that keeps every row (the row-object path),
// and `ss -tanH`. Prints the three outputs.
const { execFileSync, spawn } = require('node:child_process');
const net = require('node:net');
const cliArgv = require('./cli-argv.cjs');
const { waitForSockets } = require('./wait-for-sockets.cjs');

const [bin] = process.argv.slice(2);
const open = [];
// allowHalfOpen: the accepted side stays in CLOSE_WAIT after the client's FIN instead of closing too.
const listen = (host) => new Promise((r) => { const s = net.createServer({ allowHalfOpen: true }, (c) => open.push(c)).listen(0, host, () => r(s)); });
const connect = (port, host) => new Promise((r) => { const c = net.connect(port, host, () => r(c)); open.push(c); });

// A listener whose process blocks its event loop: connections complete in the kernel and wait.
const HELD = "require('net').createServer().listen(0, '127.0.0.1', 2, function () { console.log(this.address().port); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); })";

(async () => {
  const held = spawn(process.execPath, ['-e', HELD], { stdio: ['ignore', 'pipe', 'inherit'] });
  const heldPort = Number(await new Promise((r) => held.stdout.once('data', r)));
  for (let i = 0; i < 2; i++) await connect(heldPort, '127.0.0.1');
  const a = await listen('127.0.0.1');
  const b = await listen('::1');
  for (let i = 0; i < 3; i++) await connect(a.address().port, '127.0.0.1');
  for (let i = 0; i < 2; i++) await connect(b.address().port, '::1');
  const half = await connect(a.address().port, '127.0.0.1');
  half.end(); // our FIN: this side goes to FIN_WAIT_2, the accepted side to CLOSE_WAIT
  const [p, q] = [half.localPort, a.address().port];
  await waitForSockets([{ state: 'FIN_WAIT_2', localPort: p, remotePort: q }, { state: 'CLOSE_WAIT', localPort: q, remotePort: p }]);
  const sockets = (...more) => JSON.parse(execFileSync(...cliArgv(bin, ['sockets', '--no-owners', '--json', ...more]), { encoding: 'utf8' }));
  const tcpdiag = sockets();
  const everyState = sockets('--state', 'LISTEN,SYN_SENT,SYN_RECEIVED,ESTABLISHED,FIN_WAIT_1,FIN_WAIT_2,CLOSE_WAIT,CLOSING,LAST_ACK,TIME_WAIT,CLOSED,BOUND');
  const ss = execFileSync('ss', ['-tanH'], { encoding: 'utf8' });
  process.stdout.write(JSON.stringify({ tcpdiag, everyState, ss }));
  held.kill('SIGKILL');
  for (const s of open) s.destroy();
  a.close();
  b.close();
})();
