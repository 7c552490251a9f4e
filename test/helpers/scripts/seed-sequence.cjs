// Runs inside a fresh network namespace: issue #20's seed sequence. A client
// (a child process) takes 43611 as its source port; tcpdiag bind 43611 is
// asked; the client is killed as the fix said; its socket sits in TIME_WAIT;
// a real Node listen is tried, tcpdiag asked again; then the report's own
// ss -K line is run and the listen tried again. Prints every step as JSON.
const { spawn, spawnSync } = require('node:child_process');
const { readFileSync, writeFileSync } = require('node:fs');
const net = require('node:net');
const cliArgv = require('./cli-argv.cjs');
const { waitForSockets } = require('./wait-for-sockets.cjs');

const [bin, portText] = process.argv.slice(2);
const port = Number(portText);
setTimeout(() => process.exit(3), 25_000).unref();
const tcpdiag = () => {
  const r = spawnSync(...cliArgv(bin, ['bind', String(port), '--json']), { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const listen = () =>
  new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', (err) => resolve(err.code));
    s.listen(port, () => s.close(() => resolve('ok')));
  });

const range = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8');
writeFileSync('/proc/sys/net/ipv4/ip_local_port_range', `${port} ${port}\n`);
const server = net.createServer((c) => c.on('error', () => {})).listen(5000, '127.0.0.1', () => {
  const child = spawn(process.execPath, ['-e', "const c = require('net').connect(5000, '127.0.0.1', () => console.log(c.localPort)); setInterval(() => {}, 1000)"], { stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.once('data', async (d) => {
    writeFileSync('/proc/sys/net/ipv4/ip_local_port_range', range);
    const out = { childPid: child.pid, clientPort: Number(String(d).trim()) };
    out.held = tcpdiag();
    child.kill('SIGTERM'); // the report's fallback, `kill PID` (its fix, ss -K, would leave no TIME_WAIT)
    await new Promise((r) => child.once('exit', r));
    // The server answers the FIN: the client's side enters TIME_WAIT (nothing of the killed client's to wait on).
    await waitForSockets([{ state: 'TIME_WAIT', localPort: port, remotePort: 5000 }]);
    out.listenAfterKill = await listen();
    out.afterKill = tcpdiag();
    const ssK = JSON.parse(out.afterKill.stdout).findings.flatMap((f) => f.remedy).find((c) => c.startsWith('sudo ss -K'));
    out.ssK = ssK ?? null;
    if (ssK) out.ssKRun = spawnSync('sh', ['-c', ssK.replace(/^sudo /, '')], { encoding: 'utf8' }).status;
    out.listenAfterSsK = await listen();
    out.afterSsK = tcpdiag();
    server.close();
    process.stdout.write(JSON.stringify(out));
    process.exit(0);
  });
});
