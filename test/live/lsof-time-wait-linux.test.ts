// A fact bind --from relies on (input/table-gaps.ts): lsof never lists a
// TIME_WAIT socket, whatever its options, because it lists open files and a
// TIME_WAIT socket belongs to none (its process has closed it). So an lsof
// capture cannot show the TIME_WAIT that keeps a Linux listen off its port,
// and bind --from on it must not answer "ok". Real sockets in a namespace:
// a client closes first (its side enters TIME_WAIT), and lsof is asked, as
// root, about that process and about the port machine-wide, while ss shows
// the socket.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { netnsForFile, skipWithoutNetns } from '../helpers/netns.js';
import { nodeInNetns } from '../helpers/node-in-netns.js';

const WAIT = join(__dirname, '..', 'helpers', 'scripts', 'wait-for-sockets.cjs');
const noLsof = spawnSync('lsof', ['-v']).error !== undefined;
if (noLsof) console.log('lsof-time-wait-linux: skipped: lsof is not installed (.ci/run installs it)');

// The client closes first; once the kernel shows its TIME_WAIT, lsof and ss are asked while the listener is still open.
const SCENARIO = `const net = require('net'); const { spawnSync } = require('child_process');
const { waitForSockets } = require(${JSON.stringify(WAIT)});
const run = (cmd, args) => { const r = spawnSync(cmd, args, { encoding: 'utf8' }); return { status: r.status, stdout: r.stdout }; };
const server = net.createServer((c) => { c.resume(); c.on('end', () => c.end()); }).listen(5000, '127.0.0.1', () => {
  const client = net.connect(5000, '127.0.0.1', () => client.end());
  let port = 0;
  client.on('connect', () => (port = client.localPort));
  client.resume();
  client.on('close', async () => {
    await waitForSockets([{ state: 'TIME_WAIT', localPort: port, remotePort: 5000 }]);
    const own = run('lsof', ['-nP', '-a', '-p', String(process.pid), '-iTCP']);
    const anyone = run('lsof', ['-nP', '-iTCP:' + port]);
    const ss = run('ss', ['-tan']);
    console.log(JSON.stringify({ port, own, anyone, ss }));
    server.close(() => process.exit(0));
  });
});`;

const namespace = netnsForFile();

describe.skipIf(process.platform !== 'linux' || skipWithoutNetns() || noLsof)('lsof and TIME_WAIT (skip reason printed above)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tcpdiag-lsof-tw-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lsof lists the process\'s listener but not the TIME_WAIT socket it closed, which ss shows; bind --from on that lsof capture is not "ok"', () => {
    const r = nodeInNetns(namespace(), SCENARIO);
    const tw = new RegExp(`^TIME-WAIT\\s+0\\s+0\\s+127\\.0\\.0\\.1:${r.port}\\s+127\\.0\\.0\\.1:5000\\s*$`, 'm');
    expect(r.ss.stdout).toMatch(tw);
    // The control: lsof sees this process's sockets (its listener on 5000)...
    expect(r.own.stdout).toMatch(/127\.0\.0\.1:5000 \(LISTEN\)/);
    // ...but no socket on the TIME_WAIT's port, of this process or any other (lsof exits 1 when nothing matches).
    expect(r.own.stdout).not.toContain(`:${r.port}`);
    expect(r.anyone).toEqual({ status: 1, stdout: '' });

    const capture = join(dir, 'lsof.txt');
    writeFileSync(capture, `root@host:~# lsof -nP -iTCP\n${r.own.stdout}`);
    const bind = runCli(['bind', String(r.port), '--json', '--from', capture]);
    expect(bind.code).toBe(4);
    expect(bind.json().verdict).toBe('inconclusive');
    expect(bind.json().notJudged).toContainEqual(expect.stringMatching(/^TIME_WAIT sockets: lsof lists the sockets of open files, and a TIME_WAIT socket belongs to none/));
  });
});
