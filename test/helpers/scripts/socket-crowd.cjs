// A process holding many sockets with gaps between their descriptors, for
// the owner walk's tests: a listener on 127.0.0.1, <count> connections to
// it (both ends), then the client end of every seventh connection closed
// (single gaps), both ends of connections 300-339 closed (a run of gaps),
// and a few files opened, so the descriptor table is dense in places and
// sparse in others.
// Prints {"sockets": n} (the sockets it still holds, stdio included) and
// waits until its stdin closes.
const fs = require('node:fs');
const net = require('node:net');

const count = Number(process.argv[2]);
const held = [];
// allowHalfOpen: an accepted socket whose client closed stays open (CLOSE_WAIT), so only the client's descriptor leaves a gap.
const server = net.createServer({ allowHalfOpen: true }, (s) => held.push(s)).listen(0, '127.0.0.1', async () => {
  const { port } = server.address();
  const clients = [];
  for (let done = 0; done < count; done += 100) {
    await Promise.all(Array.from({ length: Math.min(100, count - done) }, () => new Promise((resolve, reject) => {
      const c = net.connect(port, '127.0.0.1', resolve);
      c.on('error', reject);
      clients.push(c);
    })));
  }
  while (held.length < count) await new Promise((r) => setTimeout(r, 10));
  const run = new Set(Array.from({ length: 40 }, (_, i) => 300 + i).filter((i) => i < count));
  let clientsClosed = 0;
  clients.forEach((c, i) => {
    if (i % 7 !== 0 && !run.has(i)) return;
    c.destroy();
    clientsClosed++;
  });
  for (const i of run) held[i].destroy();
  const files = Array.from({ length: 5 }, () => fs.openSync('/dev/null', 'r'));
  await new Promise((r) => setTimeout(r, 100));
  // Its stdio may be sockets too (a parent's pipes are socket pairs in Node).
  const stdio = [0, 1, 2].filter((fd) => fs.fstatSync(fd).isSocket()).length;
  process.stdout.write(`${JSON.stringify({ sockets: 1 + (count - clientsClosed) + (count - run.size) + stdio, files: files.length })}\n`);
});
process.stdin.on('end', () => process.exit(0)).resume();
