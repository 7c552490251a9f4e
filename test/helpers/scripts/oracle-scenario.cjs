// Runs inside a fresh network namespace: a set of sockets on 127.0.0.1 and
// ::1 (listeners, established pairs, one half-closed pair in FIN_WAIT_2 /
// CLOSE_WAIT), then `tcpdiag sockets --no-owners --json` and `ss -tanH` on
// the same moment's table. Prints both outputs.
const { execFileSync } = require('node:child_process');
const net = require('node:net');

const [bin] = process.argv.slice(2);
const open = [];
// allowHalfOpen: the accepted side stays in CLOSE_WAIT after the client's FIN instead of closing too.
const listen = (host) => new Promise((r) => { const s = net.createServer({ allowHalfOpen: true }, (c) => open.push(c)).listen(0, host, () => r(s)); });
const connect = (port, host) => new Promise((r) => { const c = net.connect(port, host, () => r(c)); open.push(c); });

(async () => {
  const a = await listen('127.0.0.1');
  const b = await listen('::1');
  for (let i = 0; i < 3; i++) await connect(a.address().port, '127.0.0.1');
  for (let i = 0; i < 2; i++) await connect(b.address().port, '::1');
  const half = await connect(a.address().port, '127.0.0.1');
  half.end(); // our FIN: this side goes to FIN_WAIT_2, the accepted side to CLOSE_WAIT
  await new Promise((r) => setTimeout(r, 200));
  const tcpdiag = execFileSync(process.execPath, [bin, 'sockets', '--no-owners', '--json'], { encoding: 'utf8' });
  const ss = execFileSync('ss', ['-tanH'], { encoding: 'utf8' });
  process.stdout.write(JSON.stringify({ tcpdiag: JSON.parse(tcpdiag), ss }));
  for (const s of open) s.destroy();
  a.close();
  b.close();
})();
