// Real --json output of the built CLI, validated against the generated JSON
// Schema files (schemas/*.schema.json) with Ajv: on this host (Linux), from
// captured output of other OSes (--from fixtures), and the cannot-run
// envelope. A field the code prints that a schema does not declare fails
// here (the schemas are strict), as does a value outside an enum.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, CLI, runCli } from '../helpers/cli.js';
import { FIXTURES, fixtureNames } from '../helpers/fixtures.js';
import { expectInvalid, expectValid, loadSchemaFiles } from '../helpers/json-schemas.js';
import { createNetns, nft, skipWithoutNetns } from '../helpers/netns.js';
import { nodeInNetns } from '../helpers/node-in-netns.js';

const ajv = loadSchemaFiles();
const onLinux = process.platform === 'linux';

/** Runs tcpdiag, checks its exit code, and validates its stdout against the command's schema file. */
function validReport(command: string, args: string[], codes: number[], opts: { netns?: string } = {}) {
  const r = runCli([...args, '--json'], opts);
  expect(codes, `tcpdiag ${args.join(' ')} exited ${r.code}: ${r.stderr}`).toContain(r.code);
  const doc = r.json();
  expect(doc.command).toBe(command);
  expectValid(ajv, command, doc);
  return doc;
}

// Resources the tests open; closed after each test, also when it failed.
const servers: Server[] = [];
const sockets: Socket[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A listener in this process. runCli blocks this process, so the kernel accepts for it: nothing is ever read. */
async function listener(host = '127.0.0.1'): Promise<number> {
  const s = createServer((c) => sockets.push(c.on('error', () => {})));
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, host, r));
  return (s.address() as { port: number }).port;
}

/** A connected client socket in this process, once connected. */
async function client(port: number): Promise<void> {
  const c = connect(port, '127.0.0.1').on('error', () => {});
  sockets.push(c);
  await new Promise((r) => c.once('connect', r));
}

/** A port nothing listens on (just released). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

/** A child process (it runs while runCli blocks this one); resolves with the first line it prints. */
function child(script: string, args: string[] = []): Promise<string> {
  const c = spawn(process.execPath, ['-e', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(c);
  return new Promise((resolve, reject) => {
    c.once('error', reject);
    c.stdout!.once('data', (b: Buffer) => resolve(String(b).trim()));
  });
}

describe('the built CLI does not bundle the schemas', () => {
  it('dist/tcpdiag.cjs holds no src/report/schemas module and no full zod (zod/mini only)', () => {
    const bundle = readFileSync(join(BIN, '..', '..', 'dist', 'tcpdiag.cjs'), 'utf8');
    // esbuild names each bundled module in a comment: the check sees modules.
    expect(bundle).toMatch(/^\/\/ src\/report\/envelope\.ts$/m);
    expect(bundle).not.toMatch(/^\/\/ src\/report\/schemas\//m);
    expect(bundle).not.toMatch(/^\/\/ node_modules\/zod\/v4\/classic\//m);
  });
});

describe.skipIf(!onLinux)('real reports on this host match their schema files (skip reason: not Linux)', () => {
  it('ports; and the same report with a field the schema does not know fails', () => {
    const doc = validReport('ports', ['ports'], [0, 1]);
    expectInvalid(ajv, 'ports', { ...doc, data: { ...doc.data, unexpected: true } }, /must NOT have additional properties/);
  });

  it('sockets: with owners, --no-owners, --group-by, filters, --sample', async () => {
    const port = await listener();
    await client(port);
    const all = validReport('sockets', ['sockets'], [0, 1]);
    expect(all.data.rows.length).toBeGreaterThan(0);
    expect(all.data.owners.collected).toBe(true);
    const noOwners = validReport('sockets', ['sockets', '--no-owners'], [0, 1]);
    expect(noOwners.data.rows.every((r: { owner: string }) => r.owner === 'not-collected')).toBe(true);
    const byState = validReport('sockets', ['sockets', '--group-by', 'state'], [0, 1]);
    expect(byState.data.groups.length).toBeGreaterThan(0);
    validReport('sockets', ['sockets', '--group-by', 'process', '--limit', '5'], [0, 1]);
    const filtered = validReport('sockets', ['sockets', '--port', String(port), '--state', 'LISTEN,ESTABLISHED', '--group-by', 'local-port'], [0, 1]);
    expect(filtered.data.filters).toEqual({ port, states: ['LISTEN', 'ESTABLISHED'] });
    const sampled = validReport('sockets', ['sockets', '--listen', '--sample', '100ms'], [0, 1]);
    expect(sampled.data.listenCounters.sample).not.toBeNull();
  });

  it('bind: a free port, and a port this test holds with a listener and a connection', async () => {
    const free = validReport('bind', ['bind', String(await closedPort())], [0, 1]);
    expect(free.data.attempts.length).toBeGreaterThan(0);
    const port = await listener('0.0.0.0');
    await client(port);
    const held = validReport('bind', ['bind', String(port)], [1]);
    expect(held.data.holders.map((h: { role: string }) => h.role)).toEqual(expect.arrayContaining(['listener', 'accepted']));
    expect(held.findings.length).toBeGreaterThan(0);
  });

  it('connect: a listening port (repeated), a refused one, and a name', async () => {
    const port = await listener();
    const ok = validReport('connect', ['connect', '127.0.0.1', String(port), '--count', '2', '--interval', '0ms'], [0]);
    expect(ok.data.perAddress[0].connectMs).not.toBeNull();
    const refused = validReport('connect', ['connect', '127.0.0.1', String(await closedPort())], [1]);
    expect(refused.data.attempts[0].outcome).toBe('refused');
    const named = validReport('connect', ['connect', 'localhost', String(port)], [0, 1]);
    expect(named.data.dnsMs).not.toBeNull();
  });

  it('connect-race: a target that answers is inconclusive', async () => {
    const port = await listener();
    const r = validReport('connect-race', ['connect-race', '127.0.0.1', String(port), '--control', `127.0.0.1:${port}`], [4]);
    expect(r.verdict).toBe('inconclusive');
  });

  it('doctor', () => {
    const r = validReport('doctor', ['doctor'], [0, 1]);
    expect(r.data.checks.length).toBeGreaterThan(0);
  });

  it('keepalive connect: a peer that closes, and one that stays until --max-wait', async () => {
    const closing = Number(await child("const s = require('net').createServer((c) => { c.on('error', () => {}); setTimeout(() => c.destroy(), 300); }).listen(0, '127.0.0.1', () => console.log(s.address().port))"));
    // A peer that closes is alive: keepalive was not tested, inconclusive (exit 4).
    const closed = validReport('keepalive connect', ['keepalive', 'connect', '127.0.0.1', String(closing), '--idle', '1', '--interval', '1', '--count', '1', '--max-wait', '2'], [4]);
    expect(closed.data.endReason).toBeNull();
    expect(closed.verdict).toBe('inconclusive');
    // A peer that stays reachable: nothing to detect, inconclusive (exit 4).
    const open = validReport('keepalive connect', ['keepalive', 'connect', '127.0.0.1', String(await listener()), '--idle', '5', '--max-wait', '1'], [4]);
    expect(open.data.endReason).toBe('not-detected');
    expect(open.verdict).toBe('inconclusive');
  });

  it('keepalive listen: a client that connects and closes, and none at all', async () => {
    const port = await closedPort();
    // Connects once the listener is up (retrying until then), closes after 300 ms.
    await child(
      "console.log('started'); const port = Number(process.argv[1]); const t = setTimeout(() => process.exit(1), 15000);" +
        "const tryOnce = () => { const c = require('net').connect(port, '127.0.0.1'); c.on('connect', () => setTimeout(() => { c.destroy(); clearTimeout(t); }, 300)); c.on('error', () => setTimeout(tryOnce, 50)); }; tryOnce();",
      [String(port)],
    );
    // No client declared dead by keepalive (one closed, or none came): keepalive was not tested, inconclusive (exit 4).
    const one = validReport('keepalive listen', ['keepalive', 'listen', String(port), '--idle', '1', '--clients', '1', '--max-wait', '10'], [4]);
    expect(one.data.clients).toHaveLength(1);
    expect(one.verdict).toBe('inconclusive');
    const none = validReport('keepalive listen', ['keepalive', 'listen', String(await closedPort()), '--max-wait', '1'], [4]);
    expect(none.data.clients).toEqual([]);
  });

  it('the cannot-run envelope (exit 3): keepalive connect to a port nothing listens on', async () => {
    const r = validReport('keepalive connect', ['keepalive', 'connect', '127.0.0.1', String(await closedPort())], [3]);
    expect(r).toMatchObject({ verdict: 'error', data: null, findings: [{ code: 'cannot-run' }] });
  });
});

// skipWithoutNetns prints why, and fails instead under TCPDIAG_REQUIRE_NETNS=1 (CI).
describe.skipIf(!onLinux || skipWithoutNetns())('real reports that need network namespaces (skip reason printed above)', () => {
  // In a namespace, never on the host: a full accept queue raises the
  // host's listen-overflow counters for good (until reboot), and other
  // tests expect those at zero.
  it('backlog: a short hold with more clients than the queue holds', () => {
    const r = validReport('backlog', ['backlog', '--backlog', '1', '--clients', '3', '--hold', '1s'], [0, 1], { netns: createNetns() });
    expect(r.data.clients).toHaveLength(3);
    expect(r.data.counters).toMatchObject({ listenOverflows: expect.any(Number) });
  });

  it('keepalive selftest: a dead peer detected', () => {
    const r = validReport('keepalive selftest', ['keepalive', 'selftest', '--idle', '1', '--interval', '1', '--count', '1'], [0, 1]);
    expect(r.data.detectedAfterMs).not.toBeNull();
  });

  it('connect-race, measured: a target whose SYNs are dropped, on a clean namespace', () => {
    const ns = createNetns();
    nft(ns, 'table inet tdg {\n  chain input { type filter hook input priority 0; tcp dport 15000 drop; }\n}\n');
    const script = join(__dirname, '..', 'helpers', 'scripts', 'race-then.cjs');
    const { code, stdout } = nodeInNetns(ns, script, { args: [CLI, 'connect-race', '127.0.0.1', '15000', '--control', '127.0.0.1:8080', '--max-pending', '4', '--json'] });
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expectValid(ajv, 'connect-race', doc);
    expect(doc.data.rounds.length).toBeGreaterThan(0);
  });
});

// Captured output of other OSes: win32-, darwin- and freebsd-shaped data.
describe('reports from captured output (--from) match their schema files', () => {
  const rangeFolders = ['netsh-dynamicport', 'netsh-excludedportrange', 'sysctl-portrange', 'linux-procfs-ports'];
  const tableFolders = ['windows-netstat', 'windows-get-nettcpconnection', 'macos-netstat', 'freebsd-sockstat', 'lsof', 'linux-ss', 'linux-netstat', 'linux-proc-net-tcp'];
  const each = (folders: string[]) => folders.flatMap((d) => fixtureNames(d).map((f) => [d, f]));

  it.each(each(rangeFolders))('ports --from %s/%s', (d, f) => {
    // Exit 4 where the paste holds no ephemeral range (excludedportrange alone).
    validReport('ports', ['ports', '--from', join(FIXTURES, d, f)], [0, 1, 4]);
  });

  it('ports --from a Windows ticket (dynamicport + excludedportrange)', () => {
    const r = validReport('ports', ['ports', '--from', join(FIXTURES, 'netsh-dynamicport', 'ja-powershell-default.txt'), '--from', join(FIXTURES, 'netsh-excludedportrange', 'en-hyperv-many-ranges-rider-log.txt')], [1]);
    expect(r.data.os).toBe('win32');
  });

  it.each(each(tableFolders))('sockets --from %s/%s', (d, f) => {
    validReport('sockets', ['sockets', '--from', join(FIXTURES, d, f), '--group-by', 'remote'], [0, 1]);
  });

  it('bind --from a Windows netstat and netsh: a client socket holds the port (whether it blocks is open: exit 4)', () => {
    const r = validReport('bind', ['bind', '27334', '--from', join(FIXTURES, 'windows-netstat', 'fr-abo-process-names-no-n.txt'), '--from', join(FIXTURES, 'netsh-dynamicport', 'en-netsh-interactive-1024.txt')], [4]);
    expect(r.data.holders[0].role).toBe('client');
  });

  it('bind --from netsh: a port inside an excluded range', () => {
    const r = validReport('bind', ['bind', '3306', '--from', join(FIXTURES, 'netsh-excludedportrange', 'en-hyperv-many-ranges-rider-log.txt'), '--from', join(FIXTURES, 'netsh-dynamicport', 'en-default-49152.txt')], [1]);
    expect(r.data.reservedRange).not.toBeNull();
  });

  it('bind --from ss: a Linux listener', () => {
    validReport('bind', ['bind', '22', '--from', join(FIXTURES, 'linux-ss', 'ubuntu-ss-tanp-root.txt')], [0, 1]);
  });

  it('doctor --from a Windows ticket and from macOS captures', () => {
    const win = validReport('doctor', ['doctor', '--from', join(FIXTURES, 'windows-netstat', 'en-ano-win7.txt'), '--from', join(FIXTURES, 'netsh-excludedportrange', 'de-hyperv-winnat.txt')], [1]);
    expect(win.data.sources).toHaveLength(2);
    validReport('doctor', ['doctor', '--from', join(FIXTURES, 'macos-netstat', 'macos-26-anv-process-pid.txt'), '--from', join(FIXTURES, 'sysctl-values', 'macos-somaxconn-grep.txt')], [1]);
  });
});
