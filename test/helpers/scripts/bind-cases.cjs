// Runs inside a fresh network namespace: for each case (JSON file argv[2]),
// builds the existing socket with libc through koffi (so its SO_REUSEADDR,
// SO_REUSEPORT and IPV6_V6ONLY are exactly as the case says), then tries the
// case's listen on the same port: a raw listen with the given options, or a
// Node listen. Prints [{ name, ok, code }] as JSON. Each case gets its own
// port (base + index); everything it opened is closed before the next, and
// TIME_WAIT leftovers go with the namespace.
const net = require('node:net');
const { readFileSync, writeFileSync } = require('node:fs');
const koffi = require('koffi');

const lib = koffi.load('libc.so.6');
const c = {
  socket: lib.func('int socket(int, int, int)'),
  setsockopt: lib.func('int setsockopt(int, int, int, const void *, uint32_t)'),
  bind: lib.func('int bind(int, const void *, uint32_t)'),
  listen: lib.func('int listen(int, int)'),
  connect: lib.func('int connect(int, const void *, uint32_t)'),
  accept: lib.func('int accept(int, void *, void *)'),
  close: lib.func('int close(int)'),
};
const ERRNO = { 98: 'EADDRINUSE', 13: 'EACCES', 99: 'EADDRNOTAVAIL', 22: 'EINVAL', 111: 'ECONNREFUSED' };
const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function sockaddr(address, port) {
  if (!address.includes(':')) {
    const b = Buffer.alloc(16);
    b.writeUInt16LE(2, 0);
    b.writeUInt16BE(port, 2);
    address.split('.').forEach((x, i) => (b[4 + i] = Number(x)));
    return b;
  }
  const b = Buffer.alloc(28);
  b.writeUInt16LE(10, 0);
  b.writeUInt16BE(port, 2);
  ipv6Bytes(address).copy(b, 8);
  return b;
}

function ipv6Bytes(address) {
  let a = address;
  const dotted = /(?:^|:)(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (dotted) {
    const [p, q, r, s] = dotted[1].split('.').map(Number);
    a = a.slice(0, -dotted[1].length) + `${((p << 8) | q).toString(16)}:${((r << 8) | s).toString(16)}`;
  }
  const [head, tail] = a.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(parseInt(g, 16), i * 2));
  return b;
}

function check(ret, what) {
  if (ret < 0) throw new Error(`${what} failed: ${ERRNO[koffi.errno()] ?? koffi.errno()}`);
  return ret;
}

const int = (v) => { const b = Buffer.alloc(4); b.writeInt32LE(v); return b; };

/** A TCP socket with its options set; returns the descriptor. */
function rawSocket(family, o) {
  const fd = check(c.socket(family === 'ipv6' ? 10 : 2, 1, 0), 'socket');
  if (o.reuseAddr) check(c.setsockopt(fd, 1, 2, int(1), 4), 'SO_REUSEADDR');
  if (o.reusePort) check(c.setsockopt(fd, 1, 15, int(1), 4), 'SO_REUSEPORT');
  if (family === 'ipv6') check(c.setsockopt(fd, 41, 26, int(o.v6Only ? 1 : 0), 4), 'IPV6_V6ONLY');
  return fd;
}

const familyOf = (a) => (a.includes(':') ? 'ipv6' : 'ipv4');
const loopbackOf = (a) => (familyOf(a) === 'ipv6' && !a.startsWith('::ffff:') ? '::1' : '127.0.0.1');

/** Builds the existing socket of a case on `port`; returns the descriptors to close afterwards. */
function buildExisting(e, port, serverPort) {
  const fds = [];
  const bindTo = (fd, address, p) => { const sa = sockaddr(address, p); check(c.bind(fd, sa, sa.length), 'bind'); };
  if (e.kind === 'listen' || e.kind === 'bound') {
    const fd = rawSocket(e.family, e);
    fds.push(fd);
    bindTo(fd, e.address, port);
    if (e.kind === 'listen') check(c.listen(fd, 16), 'listen');
    return fds;
  }
  if (e.kind.startsWith('client')) {
    // The peer: a listener on another port of the same loopback.
    const peerAddress = loopbackOf(e.address);
    const srv = rawSocket(familyOf(peerAddress), { reuseAddr: true });
    bindTo(srv, peerAddress, serverPort);
    check(c.listen(srv, 16), 'listen');
    const cl = rawSocket(e.family, e);
    if (e.ephemeral) writeFileSync('/proc/sys/net/ipv4/ip_local_port_range', `${port} ${port}\n`);
    else bindTo(cl, e.address, port);
    const sa = sockaddr(peerAddress, serverPort);
    check(c.connect(cl, sa, sa.length), 'connect');
    const acc = check(c.accept(srv, null, null), 'accept');
    if (e.kind === 'client-time-wait') {
      c.close(cl); // the client closes first: its side goes to TIME_WAIT
      pause(20);
      c.close(acc);
      pause(50);
      fds.push(srv);
    } else fds.push(cl, acc, srv);
    return fds;
  }
  // accepted-*: a listener on the port, a client from elsewhere, the accepted socket closes first.
  const lst = rawSocket(e.family, e);
  bindTo(lst, e.address, port);
  check(c.listen(lst, 16), 'listen');
  const cl = rawSocket(e.family, { reuseAddr: false });
  const target = sockaddr(e.address === '0.0.0.0' || e.address === '::' ? loopbackOf(e.address) : e.address, port);
  check(c.connect(cl, target, target.length), 'connect');
  const acc = check(c.accept(lst, null, null), 'accept');
  c.close(lst); // the server stopped
  if (e.kind === 'accepted-time-wait') {
    c.close(acc);
    pause(20);
    c.close(cl);
    pause(50);
  } else fds.push(acc, cl);
  return fds;
}

function rawListen(l, port) {
  const fd = rawSocket(l.family, l);
  const sa = sockaddr(l.address, port);
  try {
    if (c.bind(fd, sa, sa.length) < 0 || c.listen(fd, 16) < 0) return { ok: false, code: ERRNO[koffi.errno()] ?? String(koffi.errno()) };
    return { ok: true, code: null };
  } finally {
    c.close(fd);
  }
}

function nodeListen(l, port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', (err) => resolve({ ok: false, code: err.code }));
    s.listen({ host: l.address, port, exclusive: true, ipv6Only: l.address.includes(':') && l.address !== '::' && !l.address.startsWith('::ffff:') }, () => s.close(() => resolve({ ok: true, code: null })));
  });
}

(async () => {
  const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));
  const range = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8');
  const out = [];
  for (const [i, k] of cases.entries()) {
    const port = 21000 + i;
    const fds = buildExisting(k.existing, port, 5000 + i);
    writeFileSync('/proc/sys/net/ipv4/ip_local_port_range', range);
    const r = k.listen.node ? await nodeListen(k.listen, port) : rawListen(k.listen, port);
    for (const fd of fds) c.close(fd);
    out.push({ name: k.name, ...r });
  }
  process.stdout.write(JSON.stringify(out));
})().catch((err) => {
  process.stderr.write(String(err.stack ?? err));
  process.exit(1);
});
