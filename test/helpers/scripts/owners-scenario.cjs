// Runs inside a fresh network namespace: sockets with every kind of owner,
// then every way tcpdiag reads the table and its owners, on the same
// moment's sockets, with each CLI given (a normal build, one without koffi):
//  - a listener this process shares with a `sleep` child (two holders);
//  - a crowd process with 60 connections to its own listener and gaps in its
//    descriptor table (test/helpers/scripts/socket-crowd.cjs);
//  - three connections to the shared listener, one half-closed pair
//    (FIN_WAIT_2 / CLOSE_WAIT), one TIME_WAIT (no owner);
//  - a listener whose process never accepts, with two connections waiting
//    in its queue (no owner yet).
// Prints { pids, runs: { [bin]: { [name]: report } }, ss } where ss is
// `ss -tanpH` (owners included).
const { execFileSync, spawn, spawnSync } = require('node:child_process');
const { join } = require('node:path');
const net = require('node:net');
const { waitForSockets } = require('./wait-for-sockets.cjs');

const bins = JSON.parse(process.argv[2]);
const CROWD = join(__dirname, 'socket-crowd.cjs');
const HELD = "require('net').createServer().listen(0, '127.0.0.1', 2, function () { console.log(this.address().port); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); })";
const open = [];
const connect = (port, host) => new Promise((r) => { const c = net.connect(port, host, () => r(c)); open.push(c); });

(async () => {
  const server = net.createServer({ allowHalfOpen: true }, (c) => {
    open.push(c);
    c.on('end', () => { if (c.timeWaitSide) c.end(); });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  // Outlives the scenario's bound (owners-linux.test.ts); killed at the end, or with this script.
  const sleeper = spawn('sleep', ['600'], { stdio: ['ignore', 'ignore', 'ignore', server._handle.fd] });
  const crowd = spawn(process.execPath, [CROWD, '60'], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise((r) => crowd.stdout.once('data', r));
  const held = spawn(process.execPath, ['-e', HELD], { stdio: ['ignore', 'pipe', 'inherit'] });
  // Ended by the test's bound (SIGTERM) or an error: the children go too rather than outlive the namespace.
  process.once('exit', () => { for (const p of [sleeper, held]) p.kill('SIGKILL'); });
  process.once('SIGTERM', () => process.exit(143));
  const heldPort = Number(await new Promise((r) => held.stdout.once('data', r)));
  for (let i = 0; i < 2; i++) await connect(heldPort, '127.0.0.1');
  for (let i = 0; i < 3; i++) await connect(port, '127.0.0.1');
  const half = await connect(port, '127.0.0.1');
  half.end(); // this side FIN_WAIT_2, the accepted side CLOSE_WAIT (allowHalfOpen)
  // The accepted side of this one answers the FIN, so this side (the active closer) is left in TIME_WAIT.
  server.once('connection', (c) => { c.timeWaitSide = true; });
  const closing = await connect(port, '127.0.0.1');
  closing.end();
  // Both exchanges over: the half-closed pair, TIME_WAIT here and its peer's LAST_ACK acknowledged.
  await waitForSockets([
    { state: 'FIN_WAIT_2', localPort: half.localPort, remotePort: port },
    { state: 'CLOSE_WAIT', localPort: port, remotePort: half.localPort },
    { state: 'TIME_WAIT', localPort: closing.localPort, remotePort: port },
  ], { gone: ['LAST_ACK', 'FIN_WAIT_1', 'CLOSING'] });

  const commands = {
    whole: ['sockets', '--json'],
    rowPath: ['sockets', '--json', '--group-by', 'state'],
    port: ['sockets', '--json', '--port', String(port)],
    localPort: ['sockets', '--json', '--local-port', String(port)],
    remotePort: ['sockets', '--json', '--remote-port', String(port)],
    established: ['sockets', '--json', '--state', 'ESTABLISHED'],
    listen: ['sockets', '--json', '--listen'],
    crowd: ['sockets', '--json', '--pid', String(crowd.pid)],
    sleeper: ['sockets', '--json', '--pid', String(sleeper.pid)],
    bind: ['bind', String(port), '--json'],
  };
  // bind exits 1 (the port is held): the report is what counts. Each run has a hang guard of its
  // own (as test/helpers/cli.ts runCli), so a hang names the run.
  const run = (bin, args, env) => {
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
    if (r.signal) throw new Error(`${[bin, ...args].join(' ')}: ended by ${r.signal} after 60 s`);
    return JSON.parse(r.stdout);
  };
  const runs = {};
  for (const bin of bins) {
    runs[bin] = {};
    for (const [name, args] of Object.entries(commands)) runs[bin][name] = run(bin, args);
    // The walk shared with worker threads, forced on this small table: the whole table, and the compared
    // walks of a question about one port, whose workers start before the table is read (prepareOwners).
    const threads = { TCPDIAG_OWNER_THREADS: '2' };
    runs[bin].threads = run(bin, ['sockets', '--json'], threads);
    runs[bin].portThreads = run(bin, commands.port, threads);
    runs[bin].bindThreads = run(bin, commands.bind, threads);
    // The kernel's socket file iterator, forced on this small table (where it can run: root, BTF; else the walk answers).
    const kernel = { TCPDIAG_OWNER_WALK: 'bpf' };
    runs[bin].kernel = run(bin, ['sockets', '--json'], kernel);
    runs[bin].portKernel = run(bin, commands.port, kernel);
    runs[bin].bindKernel = run(bin, commands.bind, kernel);
  }
  const ss = execFileSync('ss', ['-tanpH'], { encoding: 'utf8' });
  process.stdout.write(JSON.stringify({ pids: { self: process.pid, sleeper: sleeper.pid, crowd: crowd.pid, held: held.pid }, port, runs, ss }));
  for (const p of [sleeper, held]) p.kill('SIGKILL');
  crowd.stdin.end();
  for (const s of open) s.destroy();
  server.close();
})();
