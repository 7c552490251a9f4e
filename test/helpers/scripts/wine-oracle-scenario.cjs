// Runs inside a fresh network namespace whose port 15000 drops SYNs: a set of
// sockets (listeners on 127.0.0.1 and ::1, established pairs on both, a
// half-closed pair in FIN_WAIT_2 / CLOSE_WAIT, connects to the dropped port
// waiting in SYN_SENT on both families, and one connection held by a win32
// Node under Wine), then on that moment's table the win32 Node's
// `tcpdiag sockets --json` and `ss -tan`. Prints both, and the win32
// helper's pid. WINEPREFIX (a prefix of this namespace's own) comes from the
// environment; the win32 Node's stdout goes to a file (a pipe gives EBADF).
const { execFileSync, spawn } = require('node:child_process');
const { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const net = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const [nodeExe, bin, fallbackBin] = process.argv.slice(2);
const open = [];
const listen = (host) => new Promise((r) => { const s = net.createServer({ allowHalfOpen: true }, (c) => open.push(c)).listen(0, host, () => r(s)); });
const connect = (port, host) => new Promise((r) => { const c = net.connect(port, host, () => r(c)); open.push(c); });
const dir = mkdtempSync(join(tmpdir(), 'tdg-wine-oracle-'));
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

(async () => {
  try {
    await scenario();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

async function scenario() {
  const a = await listen('127.0.0.1');
  const b = await listen('::1');
  for (let i = 0; i < 2; i++) await connect(a.address().port, '127.0.0.1');
  for (let i = 0; i < 2; i++) await connect(b.address().port, '::1');
  const half = await connect(a.address().port, '127.0.0.1');
  half.end(); // this side FIN_WAIT_2, the accepted side CLOSE_WAIT
  for (const host of ['127.0.0.1', '::1']) {
    const s = net.connect({ port: 15000, host, autoSelectFamily: false });
    s.on('error', () => {});
    open.push(s);
  }
  // A win32 Node that holds a connection: its row is the one that names a Windows process.
  const helperJs = join(dir, 'hold.js');
  writeFileSync(helperJs, `const s = require('net').connect(${a.address().port}, '127.0.0.1', () => { require('fs').writeFileSync(process.argv[2], String(process.pid)); }); setTimeout(() => s.destroy(), 60000);`);
  const pidFile = join(dir, 'pid');
  const helper = spawn('wine', [nodeExe, `Z:${helperJs.replace(/\//g, '\\')}`, `Z:${pidFile.replace(/\//g, '\\')}`], { stdio: ['ignore', openSync(join(dir, 'helper.out'), 'w'), openSync(join(dir, 'helper.err'), 'w')] });
  let helperPid = null;
  for (let i = 0; i < 150 && helperPid === null; i++) {
    await pause(100);
    try {
      helperPid = Number(readFileSync(pidFile, 'utf8'));
    } catch {
      // not yet
    }
  }
  await pause(300);
  const sockets = (cli, name) => {
    const out = openSync(join(dir, `${name}.json`), 'w');
    const err = openSync(join(dir, `${name}.err`), 'w');
    try {
      execFileSync('wine', [nodeExe, `Z:${cli.replace(/\//g, '\\')}`, 'sockets', '--json'], { stdio: ['ignore', out, err], timeout: 60_000 });
    } catch (e) {
      throw new Error(`${e.message}: ${readFileSync(join(dir, `${name}.err`), 'utf8')}`);
    }
    return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));
  };
  const tcpdiag = sockets(bin, 'sockets');
  const ss = execFileSync('ss', ['-tan'], { encoding: 'utf8' });
  // The same bundle without koffi: the netstat -ano fallback, on the same sockets.
  const fallback = fallbackBin ? sockets(fallbackBin, 'fallback') : null;
  process.stdout.write(JSON.stringify({ tcpdiag, ss, fallback, helperPid }));
  helper.kill('SIGKILL');
  for (const s of open) s.destroy();
  a.close();
  b.close();
}
