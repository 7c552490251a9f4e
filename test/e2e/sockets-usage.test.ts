// `tcpdiag sockets`: bad input, and captured tables of every known format.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectUsage, runCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';

const expectUsageError = (args: string[], pattern: RegExp) => expectUsage(['sockets', ...args], pattern);

/** A file's lines as an editor numbers them: a line end ends a line, and text after the last line end is one more. */
const lineCount = (text: string): number => (text.match(/\r\n|\r|\n/g) ?? []).length + (/[\r\n]$/.test(text) ? 0 : 1);

describe('tcpdiag sockets: bad input', () => {
  it('refuses an unknown --format', () => expectUsageError(['--format', 'xml'], /--format: expected one of text, json, prometheus, got "xml"/));
  it('refuses --json with --format prometheus', () => expectUsageError(['--json', '--format', 'prometheus'], /--json contradicts --format prometheus: use one of them/));
  it('refuses --listen with states that leave listeners out', () => expectUsageError(['--listen', '--state', 'ESTABLISHED,TIME_WAIT'], /--listen shows listening sockets only, which --state ESTABLISHED,TIME_WAIT leaves out: drop one of them/));
  it('refuses --port 0', () => expectUsageError(['--port', '0'], /--port: expected a port number from 1 to 65535, got "0"/));
  it('refuses --port 70000', () => expectUsageError(['--port', '70000'], /got "70000"/));
  it('refuses --port abc', () => expectUsageError(['--port', 'abc'], /got "abc"/));
  it('refuses --local-port 1.5', () => expectUsageError(['--local-port', '1.5'], /--local-port: expected a port number/));
  it('refuses --state BOGUS and lists the valid states', () =>
    expectUsageError(['--state', 'BOGUS'], /--state: unknown state "BOGUS"; valid states: LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, .*TIME_WAIT, CLOSED, BOUND/));
  it('refuses --pid -1', () => expectUsageError(['--pid=-1'], /--pid: expected a process id .*got "-1"/));
  it('refuses an unknown --group-by key', () => expectUsageError(['--group-by', 'color'], /--group-by: expected one of state, local-port, remote, process, got "color"/));
  it('refuses --sample 0 and --sample forever', () => {
    expectUsageError(['--sample', '0'], /--sample: expected a duration from 100ms to 1m, got "0" \(less than 100ms\)/);
    expectUsageError(['--sample', 'forever'], /got "forever"/);
  });
  it('refuses --pid together with --no-owners', () => expectUsageError(['--pid', '1', '--no-owners'], /--pid needs owners/));
  it('refuses --sample with --from: counters can only be sampled live', () => {
    const file = join(FIXTURES, 'windows-netstat', 'en-ano-win7.txt');
    const why = /^tcpdiag sockets: --sample needs a live host: counters cannot be sampled from captured output \(--from\)\n$/;
    expectUsageError(['--from', file, '--sample', '1s'], why);
    expectUsageError(['--sample', '500ms', '--listen', '--from', file], why);
    // Refused before any input is read: a file that does not exist, or stdin, is not looked at.
    expectUsageError(['--from', '/nonexistent/netstat.txt', '--sample', '1s'], why);
    expect(runCli(['sockets', '--from', '-', '--sample', '1s'], { input: readFileSync(file) })).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(why) });
  });
  it('refuses --no-owners with --from: owners are looked up only on a live host', () =>
    expectUsageError(['--from', join(FIXTURES, 'linux-ss', 'ubuntu-ss-tanp-root.txt'), '--no-owners'], /^tcpdiag sockets: --no-owners needs a live host: .*captured output \(--from\)/));
  it('refuses an unreadable --from file', () => expectUsageError(['--from', '/nonexistent/netstat.txt'], /--from \/nonexistent\/netstat.txt: no such file/));
  it('--help lists the socket tables --from reads, and no port-range output (which sockets does not read)', () => {
    const help = runCli(['sockets', '--help']).stdout;
    expect(help).toMatch(/^Outputs --from reads/m);
    expect(help).toMatch(/^ {2}- netstat -ano \/ -an \/ -abno, also without -n \(Windows, any language\)$/m);
    expect(help).not.toMatch(/netsh|registry/);
  });
  it('refuses text that is no socket table, naming the formats it knows', () =>
    expectUsageError(['--from', join(FIXTURES, 'netsh-dynamicport', 'en-default-49152.txt')], /en-default-49152\.txt: the input holds no socket table \(it holds netsh-dynamicport\); sockets reads the socket table of ss, netstat, lsof, sockstat, Get-NetTCPConnection or \/proc\/net\/tcp \(`tcpdiag sockets --help` lists every output --from reads\)\n$/));
});

describe('tcpdiag sockets --from', () => {
  const cases: Array<[string, string, string, number]> = [
    ['linux-ss', 'ubuntu-ss-tanp-root.txt', 'ss', 8],
    ['linux-netstat', 'rhel-family-netstat-ltupan.txt', 'linux-netstat', 6],
    ['linux-proc-net-tcp', 'ubuntu-nonroot-proc-net-tcp.txt', 'proc-net-tcp', 7],
    ['windows-netstat', 'en-ano-win7.txt', 'windows-netstat', -1],
    ['windows-get-nettcpconnection', 'en-default-mixed-states-narrow.txt', 'get-nettcpconnection', -1],
    ['macos-netstat', 'macos-26-anv-process-pid.txt', 'bsd-netstat', -1],
    ['lsof', 'linux-gentoo-lsof-nP-iTCP-sTCP-LISTEN.txt', 'lsof', -1],
    ['freebsd-sockstat', 'freebsd-sockstat-P-tcp.txt', 'sockstat', -1],
  ];
  it.each(cases)('reads %s/%s as %s', (folder, name, format, rows) => {
    const file = join(FIXTURES, folder, name);
    const r = runCli(['sockets', '--json', '--from', file]);
    expect(r.stderr).toBe('');
    const d = r.json().data;
    expect(d.sources).toEqual([{ file, format, lines: { first: 1, last: lineCount(readFileSync(file, 'utf8')) }, unread: [] }]);
    expect(r.json().notJudged).toEqual([]);
    expect(d.total).toBeGreaterThan(0);
    if (rows >= 0) expect(d.total).toBe(rows);
  });

  it('--limit caps the groups of --group-by too, largest first, and says how many there are', () => {
    // 92 sockets in 5 states (56 ESTABLISHED, 20 LISTEN, 7 CLOSE_WAIT, 5 TIME_WAIT, ...).
    const file = join(FIXTURES, 'windows-netstat', 'de-an-localized-states-cp850-mojibake.txt');
    const capped = runCli(['sockets', '--from', file, '--group-by', 'state', '--limit', '2', '--json']).json().data;
    expect(capped.groups.map((g: { key: string }) => g.key)).toEqual(['ESTABLISHED', 'LISTEN']);
    expect(capped.groupsMatched).toBe(5);
    const all = runCli(['sockets', '--from', file, '--group-by', 'state', '--json']).json().data;
    expect([all.groups.length, all.groupsMatched]).toEqual([5, 5]);
    const human = runCli(['sockets', '--from', file, '--group-by', 'state', '--limit', '2']).stdout;
    expect(human).toMatch(/Grouped \(the largest 2 of 5 groups; --limit 0 shows all\)\n(.*\n){3}.*LISTEN .*\n└/);
    // Each group is one state: no states column (a user trial found it there, empty).
    expect(human).toMatch(/│ group +│ sockets │\n/);
  });

  it('says the lines it read: a file\'s last line, not one past it (with and without a final line end, and on stdin)', () => {
    const file = join(FIXTURES, 'windows-netstat', 'en-ano-win7.txt');
    expect(runCli(['sockets', '--from', file]).stdout).toMatch(/\(windows-netstat, lines 1-35\)\n/);
    const text = readFileSync(file, 'utf8');
    expect(runCli(['sockets', '--from', '-'], { input: text }).stdout).toContain('stdin  (windows-netstat, lines 1-35)\n');
    expect(runCli(['sockets', '--from', '-'], { input: text.replace(/\n$/, '') }).stdout).toContain('stdin  (windows-netstat, lines 1-35)\n');
    const one = runCli(['sockets', '--json', '--from', '-'], { input: 'State  Recv-Q Send-Q Local Address:Port Peer Address:Port\n' });
    expect(one.json().data.sources).toEqual([{ file: 'stdin', format: 'ss', lines: { first: 1, last: 1 }, unread: [] }]);
  });

  it('groups a customer\'s Windows netstat by process and says what it assumed', () => {
    const r = runCli(['sockets', '--from', join(FIXTURES, 'windows-netstat', 'en-ano-win7.txt'), '--group-by', 'process']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Grouped \(\d+ groups?\)/);
    expect(r.stdout).toMatch(/\? \(pid 4\)\s+│ \d+/);
    expect(r.stdout).toMatch(/ephemeral range assumed to be the win32 default 49152-65535/);
  });

  it('filters captured rows like live ones', () => {
    const r = runCli(['sockets', '--json', '--listen', '--from', join(FIXTURES, 'linux-ss', 'ubuntu-ss-tanp-root.txt')]);
    const d = r.json().data;
    expect(d.matched).toBe(7);
    expect(d.rows.every((x: { state: string }) => x.state === 'LISTEN')).toBe(true);
  });
});
