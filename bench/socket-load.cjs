// One socket-load generator: listens on 127.0.0.1:<port> and opens <count>
// connections to itself, so it holds 2 x count sockets (both ends) plus the
// listener, under the per-process file limit (20,000 here). Connects go in
// batches so the accept queue never overflows. Prints "ready <sockets>" and
// keeps everything open until stdin closes or it is signalled.
const net = require('node:net');

const [port, count] = process.argv.slice(2).map(Number);
const held = [];
const server = net.createServer((s) => held.push(s));
server.listen({ port, host: '127.0.0.1', backlog: 4096 }, async () => {
  const BATCH = 256;
  for (let done = 0; done < count; done += BATCH) {
    const n = Math.min(BATCH, count - done);
    await Promise.all(
      Array.from({ length: n }, () => new Promise((resolve, reject) => {
        const c = net.connect(port, '127.0.0.1', () => resolve());
        c.on('error', reject);
        held.push(c);
      })),
    );
  }
  process.stdout.write(`ready ${held.length + 1}\n`);
});
const stop = () => process.exit(0);
process.stdin.on('end', stop).resume();
process.on('SIGTERM', stop);
