// Runs inside a fresh network namespace: sets up one situation doctor should
// find, runs `tcpdiag <args>` (default: doctor --json) meanwhile and prints
// { code, stdout, pid } (pid: the process holding the situation's sockets). Scenarios:
//   listener-ephemeral  a server listens on 127.0.0.1:40000, inside the default ephemeral range
//   close-wait N        N clients close; the server (allowHalfOpen) never closes its end
//   syn-sent N          N attempts to 127.0.0.1:6000, whose SYNs the test's nft rule drops
//   syn-sent-listener N the same with a server listening on 127.0.0.1:6000 (accepting, queue empty)
//   syn-sent-and-slow N the same as syn-sent, and 200 ms later one connect to a server on
//                       127.0.0.1:8080 that the test's rules hold back; doctor runs 1.5 s later
//   time-wait N         N clients each close a connection first (their side keeps TIME_WAIT)
//   overflow            a listener with backlog 1 that never accepts, and a new client every 50 ms
//   full-queue N        a listener with backlog 1 that never accepts, and N clients at once:
//                       2 wait in its accept queue, the others in SYN_SENT
// Everything it starts is closed or killed before it exits.
const { spawn } = require('node:child_process');
const net = require('node:net');
const cliArgv = require('./cli-argv.cjs');

const [scenario, countText, bin, ...rest] = process.argv.slice(2);
const args = rest.length ? rest : ['doctor', '--json'];
const count = Number(countText);
const open = [];
const children = [];
let timer;
const finish = (out) => {
  clearInterval(timer);
  for (const s of open) (s.destroy ?? s.close).call(s);
  for (const c of children) c.kill('SIGKILL');
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
};
setTimeout(() => finish({ code: null, stdout: 'timed out' }), 20_000).unref();
const runDoctor = () => {
  const diag = spawn(...cliArgv(bin, args), { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  diag.stdout.on('data', (b) => (out += b));
  diag.on('exit', (code) => finish({ code, stdout: out, pid: process.pid }));
};
const whenAll = (n, fn) => {
  let left = n;
  return () => --left === 0 && fn();
};

if (scenario === 'listener-ephemeral') {
  open.push(net.createServer().listen(40000, '127.0.0.1', runDoctor));
} else if (scenario === 'close-wait') {
  const ready = whenAll(count, () => setTimeout(runDoctor, 100));
  const server = net.createServer({ allowHalfOpen: true }, (c) => {
    open.push(c);
    c.on('end', ready); // the peer's FIN arrived: this end is in CLOSE_WAIT now
  }).listen(5000, '127.0.0.1', () => {
    for (let i = 0; i < count; i++) open.push(net.connect(5000, '127.0.0.1', function () { this.end(); }).on('error', () => {}));
  });
  open.push(server);
} else if (scenario === 'syn-sent') {
  for (let i = 0; i < count; i++) open.push(net.connect(6000, '127.0.0.1').on('error', () => {}));
  setTimeout(runDoctor, 200);
} else if (scenario === 'syn-sent-listener') {
  open.push(net.createServer((c) => c.destroy()).listen(6000, '127.0.0.1', () => {
    for (let i = 0; i < count; i++) open.push(net.connect(6000, '127.0.0.1').on('error', () => {}));
    setTimeout(runDoctor, 200);
  }));
} else if (scenario === 'syn-sent-and-slow') {
  open.push(net.createServer((c) => c.destroy()).listen(8080, '127.0.0.1', () => {
    for (let i = 0; i < count; i++) open.push(net.connect(6000, '127.0.0.1').on('error', () => {}));
    setTimeout(() => open.push(net.connect(8080, '127.0.0.1').on('error', () => {})), 200);
    setTimeout(runDoctor, 1700);
  }));
} else if (scenario === 'time-wait') {
  const server = net.createServer((c) => c.on('error', () => {})).listen(5000, '127.0.0.1', () => {
    const closed = whenAll(count, runDoctor);
    for (let i = 0; i < count; i++) {
      const c = net.connect(5000, '127.0.0.1', () => c.end());
      c.on('close', closed).resume();
    }
  });
  open.push(server);
} else if (scenario === 'overflow') {
  const holder = spawn(process.execPath, ['-e', `require('net').createServer().listen({ port: 7003, host: '127.0.0.1', backlog: 1 }, () => { console.log('up'); process.kill(process.pid, 'SIGSTOP'); });`], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(holder);
  holder.stdout.once('data', () => {
    timer = setInterval(() => open.push(net.connect(7003, '127.0.0.1').on('error', () => {})), 50);
    setTimeout(runDoctor, 200);
  });
} else if (scenario === 'full-queue') {
  const holder = spawn(process.execPath, ['-e', `require('net').createServer().listen({ port: 7004, host: '127.0.0.1', backlog: 1 }, () => { console.log('up'); process.kill(process.pid, 'SIGSTOP'); });`], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(holder);
  holder.stdout.once('data', () => {
    for (let i = 0; i < count; i++) open.push(net.connect(7004, '127.0.0.1').on('error', () => {}));
    setTimeout(runDoctor, 300);
  });
} else {
  throw new Error(`unknown scenario ${scenario}`);
}
