// Another program's connection attempts for connect-race tests: opens N
// attempts to host:port, prints "held" once their SYNs are out, and keeps
// them pending until killed ("hold"), or closes them and exits at once
// ("close": conntrack still remembers them).
const net = require('node:net');
const [host, port, n, mode] = process.argv.slice(2);
const sockets = [];
for (let i = 0; i < Number(n); i++) {
  const s = net.connect({ host, port: Number(port), family: host.includes(':') ? 6 : 4, autoSelectFamily: false });
  s.on('error', () => {});
  sockets.push(s);
}
setTimeout(() => {
  if (mode === 'close') {
    for (const s of sockets) s.destroy();
    process.stdout.write('closed\n');
    setTimeout(() => process.exit(0), 50);
    return;
  }
  process.stdout.write('held\n');
  setTimeout(() => process.exit(0), 60_000);
}, 200);
