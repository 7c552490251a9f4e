// A listening socket that no process holds as an open file: sent to a child
// over Node's IPC channel (SCM_RIGHTS) while the child is stopped, then closed
// here, so the only reference left is the message waiting in the channel.
// Prints {"port":N}; ends (and ends the child) when stdin closes.
const { fork } = require('node:child_process');
const net = require('node:net');

if (process.argv[2] === 'child') {
  setInterval(() => {}, 1000);
} else {
  const child = fork(process.argv[1], ['child'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    process.kill(child.pid, 'SIGSTOP');
    child.send('listener', server, () => {
      const { port } = server.address();
      server.close();
      console.log(JSON.stringify({ port }));
    });
  });
  process.stdin.on('end', () => (child.kill('SIGKILL'), process.exit(0))).resume();
}
