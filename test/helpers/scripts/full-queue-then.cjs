// Runs inside a fresh network namespace: a listener on 127.0.0.1:7002 with
// backlog 1 that never accepts (a child stopped with SIGSTOP), 3 clients that
// fill its queue past the limit, then `tcpdiag <args>`. Prints { code, stdout }.
const { spawn, spawnSync } = require('node:child_process');
const net = require('node:net');
const cliArgv = require('./cli-argv.cjs');

const [bin, ...args] = process.argv.slice(2);
const holder = spawn(process.execPath, ['-e', `require('net').createServer().listen({ port: 7002, host: '127.0.0.1', backlog: 1 }, () => { console.log('up'); process.kill(process.pid, 'SIGSTOP'); });`], { stdio: ['ignore', 'pipe', 'inherit'] });
const clients = [];
const done = (out) => {
  for (const c of clients) c.destroy();
  holder.kill('SIGKILL');
  process.stdout.write(JSON.stringify(out));
};
setTimeout(() => done({ code: null, stdout: 'timed out' }), 20_000).unref();
holder.stdout.once('data', () => {
  for (let i = 0; i < 3; i++) clients.push(net.connect(7002, '127.0.0.1').on('error', () => {}));
  setTimeout(() => {
    const r = spawnSync(...cliArgv(bin, args), { encoding: 'utf8' });
    done({ code: r.status, stdout: r.stdout });
  }, 300);
});
