// `tcpdiag doctor --from`: a customer's captured outputs checked offline, as
// a support engineer gets them. Windows and macOS outputs are real captures
// (test/fixtures/*/SOURCES); the Linux sysctl output is captured by the test
// from a namespace whose settings it chose.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectUsage, runCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { createNetns, setSysctl, skipWithoutNetns } from '../helpers/netns.js';

interface Check { id: string; status: string; lookedAt: string[]; reason?: string }
const fx = (...p: string[]) => join(FIXTURES, ...p);
const checks = (rep: { data: { checks: Check[] } }) => Object.fromEntries(rep.data.checks.map((c) => [c.id, c]));
const dir = mkdtempSync(join(tmpdir(), 'tcpdiag-doctor-from-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('doctor --from', () => {
  it('a netstat -anb capture (fr-anb-process-names.txt): Windows\' own listeners in the dynamic range get no exclusion, and the finding says why; ordinary servers keep theirs', () => {
    const rep = runCli(['doctor', '--json', '--from', fx('windows-netstat', 'fr-anb-process-names.txt')]).json();
    const dynamic = rep.findings.find((f: { code: string }) => f.code === 'listener-in-ephemeral-range');
    // A user trial: 20 persistent exclusions for 49664-49671 (lsass.exe, svchost.exe services, spoolsv.exe, two -b could not name).
    // jhi_service.exe (Intel) on 49670 and AsusLinkNear.exe on 54297 and 54298 are ordinary programs.
    expect(dynamic.remedy.filter((c: string) => c.startsWith('netsh int ipv4')).map((c: string) => /startport=(\d+)/.exec(c)![1])).toEqual(['49670', '54297', '54298']);
    expect(dynamic.message).toMatch(/^10 listening ports 49664 \(lsass\.exe\), 49665, 49666 \(svchost\.exe\)/);
    expect(dynamic.message).toMatch(/Of these, 49664, 49666, 49667, 49668, 49669 are held by Windows' own processes and services \(lsass\.exe, svchost\.exe, spoolsv\.exe\): their listeners in the dynamic range are RPC endpoints that get a new port at each boot/);
    expect(dynamic.message).toMatch(/Of these, 49665, 49671 have listeners the capture does not name/);
    expect(dynamic.message).toMatch(/stop each server first, run its lines, then start it again$/);
  });

  it('a Windows ticket (netstat -ano and excludedportrange): listeners inside excluded ranges, and what could not be checked', () => {
    const r = runCli(['doctor', '--json', '--from', fx('windows-netstat', 'en-ano-win7.txt'), '--from', fx('netsh-excludedportrange', 'de-hyperv-winnat.txt')]);
    expect(r.code).toBe(1);
    const rep = r.json();
    expect(rep.summary).toBe('from captured output: 8 checks: 1 with problems, 3 could not run');
    expect(rep.data.sources.map((s: { format: string }) => s.format)).toEqual(['windows-netstat', 'netsh-excludedportrange']);
    expect(rep.findings[0]).toMatchObject({ code: 'listener-in-excluded-range', severity: 'warning' });
    const c = checks(rep);
    // No dynamicport output: the Windows default range is assumed, and said.
    expect(c['port-ranges']!.lookedAt).toContain('the win32 default ephemeral range 49152-65535 (assumed: the files hold none)');
    // Windows netstat has no queue columns, and a capture no counters: the check cannot run (a user trial found it "ok").
    expect(c['accept-queues']).toMatchObject({ status: 'could-not-run', reason: 'the socket table has no queue columns, so no accept queue of its 22 listeners, and no overflow counters: captured output holds no overflow counters (they are sampled live)' });
    const noRegistry = /^the captured files hold no registry values \(add `reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters \/s` output or a \.reg export/;
    expect(c['keepalive-defaults']).toMatchObject({ status: 'could-not-run', reason: expect.stringMatching(noRegistry) });
    expect(c['tcp-parameters']).toMatchObject({ status: 'could-not-run', reason: expect.stringMatching(noRegistry) });
    // Windows has no somaxconn: the documented facts instead of "could not run".
    expect(c['listen-backlog-cap']).toMatchObject({ status: 'not-judged', lookedAt: ["Microsoft's listen() documentation"] });
  });

  it('a Windows ticket with the registry: a UTF-16 .reg export and reg query output, judged against the documentation', () => {
    const r = runCli(['doctor', '--json', '--from', fx('windows-netstat', 'en-ano-win7.txt'), '--from', fx('windows-registry', 'wine-8.0-regedit-export-utf16le.reg'), '--from', fx('windows-registry', 'wine-8.0-reg-query-afd.txt')]);
    expect(r.code).toBe(1);
    const rep = r.json();
    expect(rep.data.sources.map((s: { format: string }) => s.format)).toEqual(['windows-netstat', 'reg-export', 'reg-query']);
    const c = checks(rep);
    expect(c['tcp-parameters']).toMatchObject({ status: 'problem' });
    const codes = rep.findings.filter((f: { code: string }) => f.code.startsWith('tcpip-')).map((f: { code: string; message: string }) => `${f.code} ${f.message.split(' ')[0]}`);
    expect(codes).toEqual([
      'tcpip-value-out-of-range EnablePMTUDiscovery',
      'tcpip-value-out-of-range TcpTimedWaitDelay',
      'tcpip-value-misplaced TcpAckFrequency',
      'tcpip-value-changed KeepAliveTime',
      'tcpip-value-ignored SynAttackProtect',
      'tcpip-value-changed TcpMaxDataRetransmissions',
      'tcpip-value-disputed TcpAckFrequency',
      'tcpip-value-ignored EnableDynamicBacklog',
    ]);
    // The disputed value is only info: the envelope lists it as not judged, one sentence.
    expect(rep.notJudged.filter((n: string) => n.includes('is valid'))).toEqual([expect.stringMatching(/^whether TcpAckFrequency = 0x[0-9a-f]+ \(\d+\) is valid: Microsoft's pages disagree \(allowed by /)]);
    expect(c['keepalive-defaults']).toMatchObject({ status: 'ok' });
    expect(rep.findings.find((f: { code: string }) => f.code === 'keepalive-defaults-slow')).toBeTruthy();
  });

  it('refuses a .reg file regedit would refuse, with the line, exit 2', () => {
    const bad = join(dir, 'bad.reg');
    writeFileSync(bad, 'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters]\r\n"MaxUserPort"=dword:65534decimal\r\n');
    expectUsage(['doctor', '--from', bad], /--from .*bad\.reg line 4: registry: dword:65534decimal is not a DWORD \(1 to 8 hex digits\)\n?$/);
  });

  // A user trial: a .reg export pasted under other output (netstat, reg query) was read as one bad reg query line.
  it('reads a .reg export wherever it is in a paste: under netstat and `type`, or right under reg query output', () => {
    const netstat = readFileSync(fx('windows-netstat', 'en-ano-win7.txt'), 'utf8');
    const reg = readFileSync(fx('windows-registry', 'nmap-performance-regedit4.reg'), 'utf8').replace(/^REGEDIT4/, 'Windows Registry Editor Version 5.00');
    const query = readFileSync(fx('windows-registry', 'wine-8.0-reg-query-s.txt'), 'utf8');
    const underNetstat = join(dir, 'netstat-then-reg.txt');
    writeFileSync(underNetstat, `${netstat.trimEnd()}\r\nC:\\Users\\x>type tcpip.reg\r\n${reg}`);
    const underQuery = join(dir, 'query-then-reg.txt');
    writeFileSync(underQuery, `${query.trimEnd()}\r\n${reg}`);
    for (const [file, formats] of [[underNetstat, ['windows-netstat', 'reg-export']], [underQuery, ['reg-query', 'reg-export']]] as const) {
      const r = runCli(['doctor', '--json', '--from', file]);
      expect(r.stderr, file).toBe('');
      const rep = r.json();
      expect(rep.data.sources.map((s: { format: string; unread: unknown[] }) => [s.format, s.unread.length]), file).toEqual(formats.map((f) => [f, 0]));
      expect(rep.findings.map((f: { code: string; message: string }) => `${f.code} ${f.message.split(' ')[0]}`), file).toContain('tcpip-value-superseded MaxUserPort');
    }
  });

  it('a .reg value regedit would refuse is a row not read: the other values are judged, notJudged says which line, never ok', () => {
    const reg = readFileSync(fx('windows-registry', 'nmap-performance-regedit4.reg'), 'utf8');
    const partial = join(dir, 'partial.reg');
    writeFileSync(partial, reg.replace('"MaxUserPort"=dword:0000fffe', '"MaxUserPort"=dword:0000xxxx'));
    const r = runCli(['doctor', '--json', '--from', partial]);
    expect(r.code).toBe(4);
    const rep = r.json();
    expect(rep.data.sources).toEqual([{ file: partial, format: 'reg-export', lines: { first: 1, last: 6 }, unread: [{ line: 3, reason: 'MaxUserPort: dword:0000xxxx is not a DWORD (1 to 8 hex digits)' }] }]);
    expect(rep.notJudged).toContain(`a row of ${partial} (registry, line 3) could not be read: MaxUserPort: dword:0000xxxx is not a DWORD (1 to 8 hex digits); it is not in this verdict`);
    expect(rep.findings.map((f: { code: string; message: string }) => `${f.code} ${f.message.split(' ')[0]}`)).toContain('tcpip-value-changed TcpTimedWaitDelay');
  });

  // A user trial: `reg query ... /v TcpTimedWaitDelay` was read as the whole key, KeepAliveTime "absent: the default", exit 0.
  it('reg query /v NAME shows that value alone: the others are not captured (not judged, not defaults), the verdict is not ok', () => {
    const netstat = readFileSync(fx('windows-netstat', 'en-ano-win7.txt'), 'utf8');
    const query = readFileSync(fx('windows-registry', 'wine-8.0-reg-query-s.txt'), 'utf8').split('\r\n');
    const key = query.find((l) => l.endsWith('\\Tcpip\\Parameters'))!;
    const value = query.find((l) => l.includes('TcpMaxDataRetransmissions'))!;
    const one = `\r\n${key}\r\n${value}\r\n\r\n`;
    const whole = 'reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters /s';
    const withCommand = join(dir, 'netstat-then-reg-v.txt');
    writeFileSync(withCommand, `${netstat.trimEnd()}\r\n\r\nC:\\Windows\\system32>reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters /v TcpMaxDataRetransmissions\r\n${one}C:\\Windows\\system32>\r\n`);
    const r = runCli(['doctor', '--json', '--from', withCommand]);
    expect(r.code).toBe(4);
    const rep = r.json();
    const c = checks(rep);
    expect(c['tcp-parameters']!.lookedAt[0]).toMatch(/^1 value under Tcpip\\Parameters, 1 of them documented TCP parameters: /);
    expect(c['keepalive-defaults']).toMatchObject({ status: 'could-not-run', reason: expect.stringMatching(/^KeepAliveTime was not captured \(lines \d+-\d+ of .*: `reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters \/v TcpMaxDataRetransmissions` shows only TcpMaxDataRetransmissions of HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\), so whether it is set is not known; capture it with `reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters \/s`$/) });
    expect(JSON.stringify(rep)).not.toMatch(/absent: the documented default/);
    expect(rep.notJudged).toContainEqual(expect.stringMatching(/^the values of Tcpip\\Parameters other than TcpMaxDataRetransmissions and those of its subkeys \(Interfaces\\\{GUID\}\): not captured \(lines \d+-\d+ of .*\), so they are not judged, nor taken for absent and their defaults; `reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters \/s` captures them$/));

    // Without a command line, one value alone is not taken for the whole key either.
    const bare = join(dir, 'reg-one-value.txt');
    writeFileSync(bare, one);
    const b = runCli(['doctor', '--json', '--from', bare]).json();
    expect(checks(b)['keepalive-defaults']).toMatchObject({ status: 'could-not-run', reason: expect.stringMatching(/holds only TcpMaxDataRetransmissions of HKLM\\.*, with no reg query command line above it to say it is the whole key\)/) });

    // The whole key (/s) beside it: every value is captured, keepalive is read, nothing said missing.
    const full = join(dir, 'reg-s.txt');
    writeFileSync(full, `C:\\>${whole}\r\n${query.join('\r\n')}`);
    const f = runCli(['doctor', '--json', '--from', withCommand, '--from', full]).json();
    expect(checks(f)['keepalive-defaults']!.status).toBe('ok');
    expect(f.notJudged.filter((n: string) => /not captured/.test(n))).toEqual([]);
  });

  // A user trial: WEB01's TcpTimedWaitDelay 300 and DB02's 0 in two files gave one value, and nothing said.
  it('registry captures of two files: a value they give differently is said with both and each judged; two Hostnames are two hosts, refused', () => {
    const query = readFileSync(fx('windows-registry', 'wine-8.0-reg-query-s.txt'), 'utf8');
    const a = join(dir, 'reg-s-a.txt');
    const b = join(dir, 'reg-s-b.txt');
    writeFileSync(a, query);
    writeFileSync(b, query.replace('TcpTimedWaitDelay    REG_DWORD    0xffffffff', 'TcpTimedWaitDelay    REG_DWORD    0x1e').replace('KeepAliveTime    REG_DWORD    0xffffffff', 'KeepAliveTime    REG_DWORD    0x493e0'));
    const r = runCli(['doctor', '--json', '--from', a, '--from', b]);
    expect(r.code).toBe(1);
    const rep = r.json();
    const ttwd = rep.findings.filter((f: { message: string }) => f.message.startsWith('TcpTimedWaitDelay is')).map((f: { code: string; message: string }) => `${f.code} ${f.message.split(' ').slice(0, 3).join(' ')}`);
    expect(ttwd.sort()).toEqual(['tcpip-value-changed TcpTimedWaitDelay is 0x1e', 'tcpip-value-out-of-range TcpTimedWaitDelay is 0xffffffff']);
    expect(rep.notJudged).toContain(`TcpTimedWaitDelay (HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters): the files differ: ${a} (line 11) says 4294967295; ${b} (line 11) says 30; files may come from different moments in any order, so which value is in force is not known: each is judged`);
    expect(checks(rep)['keepalive-defaults']).toMatchObject({ status: 'could-not-run', reason: 'KeepAliveTime: the captures give different values (4294967295, 300000), so which one is in force is not known' });

    const other = join(dir, 'reg-s-db02.txt');
    writeFileSync(other, query.replace('Hostname    REG_SZ    vm', 'Hostname    REG_SZ    DB02'));
    expectUsage(['doctor', '--from', a, '--from', other], /^tcpdiag doctor: --from: the files come from different systems \(Hostname vm in .*reg-s-a\.txt, DB02 in .*reg-s-db02\.txt\); check one host at a time\n$/);
  });

  it('macOS captures: netstat, and sysctl somaxconn and keepalive values', () => {
    const r = runCli(['doctor', '--json', '--from', fx('macos-netstat', 'macos-26-anv-process-pid.txt'), '--from', fx('sysctl-values', 'macos-somaxconn-grep.txt'), '--from', fx('sysctl-values', 'macos-keepalive-defaults.txt')]);
    expect(r.code).toBe(1);
    const rep = r.json();
    const c = checks(rep);
    expect(c['listen-backlog-cap']).toMatchObject({ status: 'problem', lookedAt: ['somaxconn 128'] });
    // No port-range output among the files: that check cannot run; the others take the OS's default, and say so.
    expect(c['port-ranges']).toMatchObject({ status: 'could-not-run', reason: expect.stringMatching(/^the captured files hold no port ranges/) });
    expect(c['ephemeral-use']!.lookedAt[0]).toMatch(/against the ephemeral range 49152-65535 \(the OS's default, assumed: the files hold none\)/);
    expect(c['keepalive-defaults']).toMatchObject({ status: 'ok', lookedAt: ['idle 7200 s, interval 75 s, 8 probes'] });
    expect(rep.findings.find((f: { code: string }) => f.code === 'keepalive-defaults-slow').remedy).toEqual(['sudo sysctl -w net.inet.tcp.keepidle=60000 net.inet.tcp.keepintvl=10000 net.inet.tcp.keepcnt=6']);
  });

  it('refuses text of no known kind in one line, pointing at --help, which lists what it reads (settings and registry values included)', () => {
    expectUsage(['doctor', '--from', fx('windows-tasklist', 'en-header-system-registry.txt')], /--from .*en-header-system-registry\.txt: no output tcpdiag knows .*; the command's --help lists the outputs --from reads\n$/);
    const help = runCli(['doctor', '--help']).stdout;
    expect(help).toMatch(/^Outputs --from reads/m);
    expect(help).toMatch(/^ {2}- sysctl net\.inet\.ip\.portrange/m);
    expect(help).toMatch(/sysctl keepalive and somaxconn values/);
    expect(help).toMatch(/ {2}- Windows registry values: reg query/);
  });

  it('input it reads but no check can use (keepalive values without keepidle): inconclusive, exit 4, each check saying what is missing; never "cannot run here"', () => {
    const sysctl = readFileSync(fx('sysctl-values', 'macos-keepalive-defaults.txt'), 'utf8');
    const file = join(dir, 'keepalive-without-idle.txt');
    writeFileSync(file, sysctl.split('\n').filter((l) => !l.startsWith('net.inet.tcp.keepidle')).join('\n'));
    const r = runCli(['doctor', '--json', '--from', file]);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe('');
    const rep = r.json();
    expect(rep.verdict).toBe('inconclusive');
    expect(rep.data.checks.every((c: Check) => c.status === 'could-not-run')).toBe(true);
    expect(rep.notJudged).toContain(`system keepalive defaults: ${checks(rep)['keepalive-defaults']!.reason}`);
  });

  it('a listen-only capture (netstat -pltn, quoted from a 2001 mailing list): the checks of other states are not judged from it, and it says so', () => {
    const rep = runCli(['doctor', '--json', '--from', fx('pastes-mixed', 'lkml-2001-quoted-netstat-pltn-wrapped-programs.txt')]).json();
    expect(rep.verdict).not.toBe('ok');
    expect(rep.notJudged).toContain('sockets in other states: the socket table lists LISTEN sockets only (`netstat -pltn`); client and closing sockets (SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK and TIME_WAIT) are not in it (capture netstat -ano or ss -tanp without a state filter)');
  });

  it('refuses files from two different systems', () =>
    expectUsage(['doctor', '--from', fx('windows-netstat', 'en-ano-win7.txt'), '--from', fx('linux-ss', 'ubuntu-ss-tanp-root.txt')], /--from: the files come from different systems \(win32, linux\); check one host at a time/));
});

describe.skipIf(process.platform !== 'linux' || skipWithoutNetns())('doctor --from Linux sysctl output (skip reason printed above)', () => {
  it('reads keepalive and somaxconn from `sysctl` output captured in a namespace', () => {
    const ns = createNetns();
    setSysctl(ns, 'net/core/somaxconn', '256');
    setSysctl(ns, 'net/ipv4/tcp_keepalive_time', '600');
    const text = execFileSync('ip', ['netns', 'exec', ns, 'sysctl', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes', 'net.core.somaxconn'], { encoding: 'utf8' });
    const file = join(dir, 'sysctl.txt');
    writeFileSync(file, text);
    const rep = runCli(['doctor', '--json', '--from', file]).json();
    const c = checks(rep);
    expect(c['keepalive-defaults']).toMatchObject({ status: 'ok', lookedAt: ['idle 600 s, interval 75 s, 9 probes'] });
    expect(c['listen-backlog-cap']).toMatchObject({ status: 'problem', lookedAt: ['somaxconn 256'] });
    expect(c['socket-states']).toMatchObject({ status: 'could-not-run', reason: 'the captured files hold no socket table (add netstat -ano, ss -tanp or similar)' });
  });
});
