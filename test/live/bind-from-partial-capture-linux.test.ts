// bind --from on captures that cannot show every socket (a user trial: a
// listen-only `ss -tlnp` paste and a bare /proc/net/tcp answered "nothing
// keeps a server from the port", exit 0, while a client socket and an IPv6
// listener held it). Real sockets in a namespace, captured there with the
// real tools and the command line above each output, as people paste them:
// a capture that cannot show the holder leaves the answer inconclusive
// (exit 4) and says what it could not show; one that can names the holder.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { netnsForFile, setSysctl, skipWithoutNetns } from '../helpers/netns.js';

const CLIENT_PORT = 43611; // the client's source port (the only ephemeral port the namespace allows)
const V6_PORT = 43620; // an IPv6 wildcard listener

// A server on 5000, a client to it from CLIENT_PORT, a listener on [::]:V6_PORT; "ready" once all are up.
const HOLDERS = `const net = require('net');
net.createServer(() => {}).listen(5000, '127.0.0.1', () => {
  const c = net.connect(5000, '127.0.0.1', () => net.createServer().listen(${V6_PORT}, '::', () => console.log('ready')));
  c.on('error', (e) => { console.error(e.message); process.exit(1); });
});
process.stdin.on('end', () => process.exit(0)).resume();`;

// One namespace for the file: the sockets live across its tests.
const namespace = netnsForFile();

describe.skipIf(process.platform !== 'linux' || skipWithoutNetns())('bind --from a capture that cannot show every socket (skip reason printed above)', () => {
  let ns = '';
  let holders: ChildProcess | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'tcpdiag-partial-'));
  /** A capture as pasted: the command line, then what it printed in the namespace. */
  const capture = (name: string, shell: string): string => {
    const out = execFileSync('ip', ['netns', 'exec', ns, 'sh', '-c', shell], { encoding: 'utf8' });
    const file = join(dir, name);
    writeFileSync(file, `$ ${shell}\n${out}`);
    return file;
  };
  const bind = (port: number, ...files: string[]) => {
    const r = runCli(['bind', String(port), '--json', ...files.flatMap((f) => ['--from', f])]);
    return { code: r.code, json: r.json() };
  };

  beforeAll(async () => {
    ns = namespace();
    setSysctl(ns, 'net/ipv4/ip_local_port_range', `${CLIENT_PORT} ${CLIENT_PORT}`);
    holders = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', HOLDERS], { stdio: ['pipe', 'pipe', 'inherit'] });
    await new Promise((resolve, reject) => {
      holders!.stdout!.once('data', resolve);
      holders!.once('exit', (code) => reject(new Error(`holders exited ${code}`)));
    });
  });
  afterAll(() => {
    holders?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('listeners only (ss -tlnp, netstat -tlnp): the client holding the port is not in it, so inconclusive, never ok', () => {
    for (const shell of ['ss -tlnp', 'netstat -tlnp']) {
      const r = bind(CLIENT_PORT, capture(`listen-${shell.split(' ')[0]}.txt`, shell));
      expect(r.code, shell).toBe(4);
      expect(r.json.verdict).toBe('inconclusive');
      expect(r.json.notJudged).toContain(`sockets in other states: the socket table lists LISTEN sockets only (\`${shell}\`); client and closing sockets (SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK and TIME_WAIT) are not in it (capture netstat -ano or ss -tanp without a state filter)`);
    }
  });

  it('no listeners (ss -tnp, netstat -tnp, and netstat -tn pasted without its command line): the listener on the port is not in it, so inconclusive, never ok', () => {
    for (const shell of ['ss -tnp', 'netstat -tnp']) {
      const r = bind(V6_PORT, capture(`connected-${shell.split(' ')[0]}.txt`, shell));
      expect(r.code, shell).toBe(4);
      expect(r.json.verdict).toBe('inconclusive');
      expect(r.json.notJudged.find((s: string) => s.startsWith('listening sockets: ')), shell).toMatch(new RegExp(`^listening sockets: the socket table cannot show listeners.* \\(\`${shell}\`\\)`));
    }
    // net-tools says it in its heading ("(w/o servers)"); without the command line, that is what tells.
    const bare = join(dir, 'bare-netstat.txt');
    writeFileSync(bare, execFileSync('ip', ['netns', 'exec', ns, 'netstat', '-tn'], { encoding: 'utf8' }));
    const r = bind(V6_PORT, bare);
    expect(r.code).toBe(4);
    expect(r.json.notJudged).toContainEqual(expect.stringMatching(/^listening sockets: the socket table cannot show listeners: /));
    // With -a the listener is named.
    expect(bind(V6_PORT, capture('all-ss.txt', 'ss -tanp')).json.data.holders).toEqual([expect.objectContaining({ role: 'listener', local: { address: '::', port: V6_PORT } })]);
  });

  it('the whole table (ss -tanp), or one filtered on the port asked: the client is named, and no gap of the capture is said', () => {
    for (const shell of ['ss -tanp', `ss -tanp | grep :${CLIENT_PORT}`]) {
      const r = bind(CLIENT_PORT, capture('whole.txt', shell));
      // A capture cannot say whether the client set SO_REUSEADDR: it may block (exit 4), as the model says for every such socket.
      expect(r.json.data.holders, shell).toEqual([expect.objectContaining({ role: 'client', state: 'ESTABLISHED', local: { address: '127.0.0.1', port: CLIENT_PORT }, blocks: 'depends' })]);
      expect(r.json.notJudged.filter((s: string) => /^(?:IPv[46] sockets|sockets in other states|rows the capture filtered out):/.test(s)), shell).toEqual([]);
    }
  });

  it('filtered on something else (grep LISTEN): inconclusive, naming the filter', () => {
    const r = bind(CLIENT_PORT, capture('grep-listen.txt', 'ss -tanp | grep LISTEN'));
    expect(r.code).toBe(4);
    expect(r.json.notJudged).toContain(`rows the capture filtered out: the socket table went through \`grep LISTEN\`, which does not keep every row of port ${CLIENT_PORT}`);
  });

  it('/proc/net/tcp alone cannot show the IPv6 listener: inconclusive; with /proc/net/tcp6 it is named (exit 1)', () => {
    const v4 = capture('tcp.txt', 'cat /proc/net/tcp');
    const alone = bind(V6_PORT, v4);
    expect(alone.code).toBe(4);
    expect(alone.json.notJudged).toContain('IPv6 sockets: the socket table holds IPv4 sockets only (`cat /proc/net/tcp`); an IPv6 listener on [::] also keeps IPv4 servers from its port');
    const both = bind(V6_PORT, v4, capture('tcp6.txt', 'cat /proc/net/tcp6'));
    expect(both.code).toBe(1);
    expect(both.json.data.holders).toEqual([expect.objectContaining({ role: 'listener', local: { address: '::', port: V6_PORT } })]);
    expect(both.json.notJudged.some((s: string) => s.startsWith('IPv6 sockets'))).toBe(false);
  });
});
