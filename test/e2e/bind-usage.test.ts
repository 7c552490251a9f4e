// `tcpdiag bind`: bad input, and Windows situations from captured output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectUsage, resolverAnswers, runCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';

const expectUsageError = (args: string[], pattern: RegExp) => expectUsage(['bind', ...args], pattern);

describe('tcpdiag bind: bad input', () => {
  it.each(['0', '65536', '80.5', ''])('refuses port "%s"', (p) => expectUsageError([p], new RegExp(`<port>: expected a port number from 1 to 65535, got "${p.replace('.', '\\.')}"`)));
  it('refuses a word that is no service name', () => expectUsageError(['abc'], /<port>: expected a port number from 1 to 65535 or a TCP service name \(https, postgresql, \.\.\.\), got "abc"/));
  it('refuses a negative port', () => expectUsageError(['--', '-1'], /<port>: expected a port number from 1 to 65535, got "-1"/));
  it('refuses a missing port', () => expectUsageError([], /missing required argument 'port'/));
  it('refuses --host that is neither an address nor a name', () => expectUsageError(['8080', '--host', 'not an ip!'], /--host: expected an IP address or a host name, got "not an ip!"/));
  it('refuses --host that does not resolve (where a resolver answers; test/live/resolver-down-linux.test.ts has one that does not)', async () => {
    if (!(await resolverAnswers())) return void console.log('bind-usage: no resolver answers here: the case is in test/live/resolver-down-linux.test.ts');
    expectUsageError(['8080', '--host', 'no-such-host.invalid'], /--host: "no-such-host.invalid" does not resolve \(ENOTFOUND\)/);
  });
  // Addresses still go through, an IPv6 one with its zone too (Node >= 20's isIP takes zones).
  it.each(['127.0.0.1', '[fe80::1%eth0]'])('takes an address (%s) with --from', (address) => {
    const r = runCli(['bind', '8080', '--host', address, '--json', '--from', join(FIXTURES, 'linux-ss', 'ubuntu-20.04-ss-lpnt.txt')]);
    expect(r.code).not.toBe(2);
    expect(r.json().command).toBe('bind');
  });
  // A name would be looked up on this machine, whose resolver and hosts file are not the captured host's: refused before any lookup.
  it.each(['localhost', 'app.internal'])('refuses a name (%s) with --from: the capture is another host\'s', (name) =>
    expectUsageError(['8080', '--host', name, '--from', join(FIXTURES, 'linux-ss', 'ubuntu-20.04-ss-lpnt.txt')], new RegExp(`--host: with --from give the address the server listens on, not a name: "${name}" would be resolved on this machine`)),
  );
});

describe('tcpdiag bind --from (Linux ss)', () => {
  it('a listener shared by two processes (users:((...),(...))): both named, both in the fix', () => {
    const r = runCli(['bind', '80', '--json', '--from', join(FIXTURES, 'linux-ss', 'ubuntu-20.04-ss-lpnt.txt')]);
    expect(r.code).toBe(1);
    const rep = r.json();
    expect(rep.data.holders).toEqual([expect.objectContaining({ role: 'listener', owners: [{ pid: 660, process: 'nginx' }, { pid: 654, process: 'nginx' }], blocks: 'yes' })]);
    expect(rep.findings[0]).toMatchObject({ code: 'port-in-use', severity: 'error', remedy: ['ps -o pid,user,etime,args -p 660,654', 'kill 660 654'] });
    expect(rep.findings[0].message).toMatch(/^nginx \(pid 660\) and nginx \(pid 654\) listen on 0\.0\.0\.0:80: .*shared by 2 processes/);
    // Listeners on the very addresses asked block on every kernel: the capture's kernel does not matter.
    expect(rep.notJudged).toEqual([
      // Below 1024, and the paste says neither who runs the server nor where privilege starts.
      'whether the server may listen on port 80 at all: below 1024 only root or a program with CAP_NET_BIND_SERVICE may, unless ip_unprivileged_port_start is lower; the input holds neither (add sysctl net.ipv4.ip_unprivileged_port_start, and say which user runs the server)',
      'whether a listen would succeed: nothing was attempted; the answer assumes a Node listen (SO_REUSEADDR, as libuv sets it before every bind on Unix)',
    ]);
  });

  it('a connection on the port: how it is judged follows the kernels the model was written for, and the capture does not say its kernel', () => {
    const r = runCli(['bind', '22', '--json', '--from', join(FIXTURES, 'linux-ss', 'ubuntu-ss-tanp-root.txt')]);
    expect(r.code).toBe(1);
    const rep = r.json();
    expect(rep.data.holders.map((h: { state: string; blocks: string }) => `${h.state} ${h.blocks}`)).toEqual(['LISTEN yes', 'ESTABLISHED depends', 'LISTEN yes']);
    expect(rep.notJudged).toContain(
      'which Linux kernel printed the capture: it does not say; the answer follows Linux 6.8 and later, and older kernels judge some listens next to connections, TIME_WAIT, IPv6 and IPv4-mapped sockets otherwise',
    );
  });
});

describe('tcpdiag bind --from (Linux ss, an IPv4-mapped listener)', () => {
  // `ss -tlnp` in a namespace where python3 listens on an AF_INET6 socket bound to ::ffff:127.0.0.1
  // (Linux refuses that bind on an IPv6-only socket, so the socket is not one).
  const ss = [
    'State  Recv-Q Send-Q      Local Address:Port Peer Address:PortProcess',
    'LISTEN 0      128    [::ffff:127.0.0.1]:8083            *:*    users:(("python3",pid=16024,fd=3))',
    '',
  ].join('\n');

  it.each(['127.0.0.1', '0.0.0.0', '::'])('blocks a Node listen on %s, with no IPV6_V6ONLY left open', (host) => {
    const r = runCli(['bind', '8083', '--host', host, '--json', '--from', '-'], { input: ss });
    expect(r.code).toBe(1);
    const rep = r.json();
    expect(rep.data.holders).toEqual([expect.objectContaining({ role: 'listener', blocks: 'yes', dependsOn: [] })]);
    expect(rep.findings[0]).toMatchObject({ code: 'port-in-use', severity: 'error' });
    expect(JSON.stringify(rep)).not.toMatch(/V6ONLY/);
  });

  it('leaves 127.0.0.2 free', () => {
    const r = runCli(['bind', '8083', '--host', '127.0.0.2', '--json', '--from', '-'], { input: ss });
    expect(r.code).toBe(0);
    expect(r.json().data.holders).toEqual([expect.objectContaining({ blocks: 'no' })]);
  });

  it('a listener whose answer is open is named by its local end alone: a listener has no remote', () => {
    const r = runCli(['bind', '8083', '--host', '127.0.0.1', '--json', '--from', '-'], { input: ss.replace('[::ffff:127.0.0.1]', '              [::]') });
    expect(r.code).toBe(4);
    expect(r.json().notJudged[0]).toBe('whether the LISTEN socket [::]:8083 keeps a Node listen off port 8083: it depends on whether it is IPv6-only (IPV6_V6ONLY)');
  });
});

describe('tcpdiag bind --from (Windows netstat -ano with a row wrapped)', () => {
  const lines = readFileSync(join(FIXTURES, 'windows-netstat', 'en-ano-win7.txt'), 'utf8').split('\n');
  const row = lines[7]!; // "TCP 0.0.0.0:135 0.0.0.0:0 LISTENING 696"
  const head = row.slice(0, row.lastIndexOf('LISTENING') + 'LISTENING'.length);

  it('a PID wrapped onto its own line stays the row\'s owner', () => {
    const r = runCli(['bind', '135', '--json', '--from', '-'], { input: [...lines.slice(0, 7), head, '696', ...lines.slice(8)].join('\n') });
    const rep = r.json();
    expect(rep.data.holders.map((h: { local: { address: string }; owners: unknown }) => [h.local.address, h.owners])).toEqual([['0.0.0.0', [{ pid: 696, process: null }]], ['::', [{ pid: 696, process: null }]]]);
    expect(rep.data.sources[0].unread).toEqual([]);
  });

  it('a PID alone with no row before it that lacks one is in sources[].unread', () => {
    const r = runCli(['bind', '135', '--json', '--from', '-'], { input: [...lines.slice(0, 8), '696', ...lines.slice(8)].join('\n') });
    expect(r.json().data.sources[0].unread).toEqual([{ line: 9, reason: expect.stringMatching(/^the end of a row \(its PID\)/) }]);
  });
});

describe('tcpdiag bind --from (a Windows ticket whose netstat has a mistyped state)', () => {
  it('the table that could not be read is named as such, not as missing; the excluded ranges are still read; no range given: the Windows default is assumed', () => {
    // en-ano-win7 with one state mistyped ("LISTENNG"), then a netsh excludedportrange output, in one paste.
    const netstat = readFileSync(join(FIXTURES, 'windows-netstat', 'en-ano-win7.txt'), 'utf8').replace('LISTENING', 'LISTENNG');
    const excluded = readFileSync(join(FIXTURES, 'netsh-excludedportrange', 'en-hyperv-administered-prompt.txt'), 'utf8');
    const r = runCli(['bind', '50000', '--json', '--from', '-'], { input: `${netstat}${excluded}` });
    expect(r.code).toBe(4);
    const rep = r.json();
    expect(rep.notJudged).toContain('who holds port 50000: the socket table (lines 1-35 of stdin) could not be read, see above');
    expect(rep.notJudged.some((s: string) => s.includes('holds no socket table'))).toBe(false);
    expect(rep.data.ephemeralRange).toMatchObject({ start: 49152, end: 65535, source: 'win32 default (assumed)' });
    expect(rep.data.notes).toContain('the input holds no ephemeral port range (netsh int ipv4 show dynamicport tcp): the win32 default 49152-65535 is assumed');
  });
});

describe('tcpdiag bind --from (a Windows ticket)', () => {
  const excluded = join(FIXTURES, 'netsh-excludedportrange', 'en-hyperv-many-ranges-rider-log.txt');
  const dynamic = join(FIXTURES, 'netsh-dynamicport', 'en-default-49152.txt');

  it('a port inside a range a service excluded: EACCES explained, the winnat remedy, exit 1', () => {
    const r = runCli(['bind', '3306', '--json', '--from', excluded, '--from', dynamic]);
    expect(r.code).toBe(1);
    const rep = r.json();
    expect(rep.data.attempts).toEqual([]);
    expect(rep.data.reservedRange).toMatchObject({ start: 3288, end: 3387, blocksBind: true });
    expect(rep.findings[0]).toMatchObject({ code: 'port-excluded', severity: 'error' });
    expect(rep.findings[0].remedy).toEqual([
      'netsh int ipv4 show excludedportrange protocol=tcp',
      'net stop winnat',
      'netsh int ipv4 add excludedportrange protocol=tcp startport=3306 numberofports=1 store=persistent',
      'netsh int ipv6 add excludedportrange protocol=tcp startport=3306 numberofports=1 store=persistent',
      'net start winnat',
    ]);
    expect(rep.data.notes[0]).toBe('no bind was attempted: this answer comes from captured output only');
    expect(rep.summary).toBe('from captured output: port 3306 cannot be bound: inside an excluded range');
  });

  it('an RPC endpoint of a Windows process in the dynamic range (HackTheBox Access, Windows 7: pid 484 on 49156): looked at, never ended by the fix', () => {
    // A user trial printed `taskkill /PID 484` here; on such hosts 484 is lsass.exe or the like, which netstat -ano does not name.
    const netstat = join(FIXTURES, 'windows-netstat', 'en-ano-win7.txt');
    const rep = runCli(['bind', '49156', '--json', '--from', netstat]).json();
    const inUse = rep.findings.filter((f: { code: string }) => f.code === 'port-in-use');
    expect(inUse).toHaveLength(2);
    for (const f of inUse) {
      expect(f.remedy).toEqual(['tasklist /v /FI "PID eq 484"']);
      expect(f.message).toMatch(/often an RPC endpoint of a process of Windows itself .* which must not be ended and which gets a new port at each boot/);
    }
    expect(rep.findings.flatMap((f: { remedy: string[] }) => f.remedy).filter((c: string) => c.startsWith('taskkill'))).toEqual([]);
  });

  it('a port a client socket holds in a customer\'s netstat -abo: the client named, and the open question said (exit 4)', () => {
    // fr-abo: 192.168.1.41:27334 -> 162.159.133.234:https, PID 11660, on a host whose
    // dynamic range starts low; en-netsh-interactive-1024: a range 1024-65534 that covers it.
    const netstat = join(FIXTURES, 'windows-netstat', 'fr-abo-process-names-no-n.txt');
    const lowRange = join(FIXTURES, 'netsh-dynamicport', 'en-netsh-interactive-1024.txt');
    const r = runCli(['bind', '27334', '--json', '--from', netstat, '--from', lowRange]);
    // Microsoft documents the sharing rules for bound sockets, not whether a
    // connection's implicit bind counts as a wildcard: a Node listen on the
    // wildcards may or may not fail, and the report says so instead of guessing.
    expect(r.code).toBe(4);
    const rep = r.json();
    expect(rep.data.holders).toEqual([expect.objectContaining({ role: 'client', pid: 11660, owners: [{ pid: 11660, process: 'Discord.exe' }], remote: { address: '162.159.133.234', port: 443 }, blocks: 'depends' })]);
    expect(rep.data).toMatchObject({ inEphemeralRange: true, ephemeralRange: { start: 1024, end: 65534 } });
    expect(rep.findings[0]).toMatchObject({ code: 'port-held-by-client-socket', severity: 'warning' });
    // The process shown before it is ended; the exclusion after (netsh refuses a port in use).
    expect(rep.findings[0].remedy).toEqual([
      'tasklist /v /FI "PID eq 11660"',
      'taskkill /PID 11660',
      'netsh int ipv4 add excludedportrange protocol=tcp startport=27334 numberofports=1 store=persistent',
      'netsh int ipv6 add excludedportrange protocol=tcp startport=27334 numberofports=1 store=persistent',
    ]);
    expect(rep.findings[1]).toMatchObject({ code: 'port-in-ephemeral-range', remedy: [] });
    // The capture's own gap (no excludedportrange output) comes first, then what the socket leaves open.
    expect(rep.notJudged[0]).toMatch(/^whether a Windows excluded port range covers port 27334/);
    expect(rep.notJudged[1]).toMatch(/^whether the ESTABLISHED socket 192\.168\.1\.41:27334 -> 162\.159\.133\.234:443 keeps a Node listen off port 27334: it depends on whether Windows counts a connection's implicit bind as a wildcard one/);
    expect(rep.verdict).toBe('inconclusive');
    expect(rep.summary).toBe('from captured output: whether port 27334 can be bound depends on what the capture does not show');
  });

  it('refuses text that is neither a socket table nor port ranges', () => {
    const r = runCli(['bind', '80', '--from', join(FIXTURES, 'netsh-dynamicport', 'SOURCES')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no output tcpdiag knows/);
  });
});

describe('captured outputs of two systems are refused, by every command that reads them', () => {
  // A user trial: a Linux ss table beside a Windows netsh paste made bind report the Linux
  // listener "inside an excluded range" that only the Windows host had.
  const linux = join(FIXTURES, 'linux-ss', 'ubuntu-20.04-ss-lpnt.txt');
  const windows = join(FIXTURES, 'netsh-excludedportrange', 'de-hyperv-winnat.txt');
  it.each([['bind', '80'], ['sockets'], ['ports'], ['doctor']])('%s', (...command) =>
    expectUsage([...command, '--from', linux, '--from', windows], /--from: the files come from different systems \(linux, win32\); check one host at a time/),
  );
});

describe('bind --from without a socket table', () => {
  // A user trial: "Sockets on port 3306: none" read as "nothing holds it" when no table was given at all.
  it('says the holders are unknown, not none', () => {
    const args = ['bind', '3306', '--from', join(FIXTURES, 'netsh-excludedportrange', 'de-hyperv-winnat.txt')];
    const rep = runCli([...args, '--json']).json();
    expect(rep.data).toMatchObject({ holders: [], holdersKnown: false });
    expect(rep.verdict).not.toBe('ok');
    const text = runCli(args, { env: { NO_COLOR: '1' } }).stdout;
    expect(text).toMatch(/Sockets on port 3306\n {2}unknown: the input holds no socket table that could be read\n/);
    expect(text).not.toMatch(/Sockets on port 3306\n {2}none/);
  });

  it('with a table, an empty list is "none"', () => {
    const rep = runCli(['bind', '3306', '--json', '--from', join(FIXTURES, 'linux-ss', 'ubuntu-20.04-ss-lpnt.txt')]).json();
    expect(rep.data).toMatchObject({ holders: [], holdersKnown: true });
  });
});
