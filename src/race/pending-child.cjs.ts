// The script a child process runs for the scope check: it opens `count`
// attempts to the target, says "issued", reports each that ends, and exits
// when its parent closes stdin or kills it. Kept as a string: the bundle runs
// it with `node -e`, so no extra file has to ship.
export const PENDING_CHILD_SCRIPT = `
// tcpdiag-pending-child (a marker: tests look for leftovers by it)
const net = require('node:net');
const [host, port, family, count] = process.argv.slice(1);
const sockets = [];
for (let i = 0; i < Number(count); i++) {
  const s = net.connect({ host, port: Number(port), family: Number(family), autoSelectFamily: false });
  s.once('connect', () => process.stdout.write('ended connected\\n'));
  s.once('error', (e) => process.stdout.write('ended ' + e.code + '\\n'));
  sockets.push(s);
}
process.stdout.write('issued\\n');
process.stdin.on('end', () => process.exit(0)).resume();
setTimeout(() => process.exit(0), 20000).unref();
`;
