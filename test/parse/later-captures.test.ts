// Several runs of one command in one paste (a user trial): the later capture
// is the current state. The readers keep each run apart (netsh, sysctl), and
// input/later-captures.ts lets a later capture of a setting, or a later run
// of the same command line, replace the earlier one, and says so.
// The Korean session is a real capture (test/fixtures/netsh-excludedportrange/
// SOURCES); the other pastes are in test/helpers/rerun-pastes.ts.
import { describe, expect, it } from 'vitest';
import { parseCapturedInputs, type CapturedInput } from '../../src/input/parse-captured.js';
import { readAllLines } from '../../src/os/parse/line-reader.js';
import { createNetshReader } from '../../src/os/parse/netsh.js';
import { createSysctlReader } from '../../src/os/parse/sysctl-section.js';
import { fixture } from '../helpers/fixtures.js';
import { EXCLUDED, KILLED, LISTENERS, SYSCTL_SET_BACK } from '../helpers/rerun-pastes.js';

const read = (text: string): Promise<CapturedInput> => parseCapturedInputs({ texts: [{ file: 'f', text }], duplicates: [] });
const rangesOf = (c: CapturedInput) => c.parts.flatMap((p) => (p.kind === 'ranges' ? [...p.ranges.ephemeral, ...p.ranges.reserved].map((r) => `${r.start}-${r.end}`) : []));
const rowsOf = (c: CapturedInput) => c.parts.flatMap((p) => (p.kind === 'table' ? p.table.rows.map((r) => `${r.local.port} ${r.state} ${r.pid}`) : []));

const KO = fixture('netsh-excludedportrange', 'ko-cmd-winnat-restart-session.txt');

describe('the readers keep each run apart', () => {
  it('netsh: the two excludedportrange tables around `net stop/start winnat` are two runs of tcp/ipv4', () => {
    const { result } = readAllLines('netsh', createNetshReader('ko'), KO);
    // Read alone, the `net stop/start winnat` lines go with the first run; --from ends that run at their prompt (below).
    expect(result.runs.map((r) => [r.lines.first, r.ranges.reserved.length, r.captures])).toEqual([
      [1, 9, [{ range: 'reserved', protocol: 'tcp', family: 'ipv4' }]],
      [24, 1, [{ range: 'reserved', protocol: 'tcp', family: 'ipv4' }]],
    ]);
    // The whole of both, as a live run reads one output, is still there.
    expect(result.ranges.reserved).toHaveLength(10);
  });

  it('sysctl: a value read, then set back with sysctl -w, is two runs of ip_local_port_range', () => {
    const { result } = readAllLines('sysctl', createSysctlReader('s'), SYSCTL_SET_BACK);
    expect(result.runs.map((r) => [r.lines.first, r.linux?.ephemeral.map((e) => `${e.start}-${e.end}`)])).toEqual([
      [1, ['1024-65000']],
      [3, ['32768-60999']],
    ]);
  });

  it('sysctl: the same setting twice without a prompt between is two runs too', () => {
    const { result } = readAllLines('sysctl', createSysctlReader('s'), 'net.ipv4.ip_local_port_range = 32768\t60999\nnet.ipv4.ip_local_reserved_ports = 8080\nnet.ipv4.ip_local_port_range = 1024\t65000\n');
    expect(result.runs.map((r) => [r.lines.first, r.captures.map((x) => x.range)])).toEqual([
      [1, ['ephemeral', 'reserved']],
      [3, ['ephemeral']],
    ]);
  });
});

describe('--from: the later capture is the current state', () => {
  it('the excluded ranges after `net stop/start winnat` replace those before it, and the earlier ones are named', async () => {
    const c = await read(KO);
    expect(rangesOf(c)).toEqual(['50000-50059']);
    expect(c.sources.map((s) => [s.lines, s.replacedBy])).toEqual([
      [{ first: 1, last: 17 }, { first: 18, last: 31 }],
      [{ first: 18, last: 31 }, undefined],
    ]);
    expect(c.replaced).toEqual(['the excluded port ranges (tcp, ipv4): an earlier capture at lines 1-17 of f said 7654-7753, 7754-7853, 7939-8038, 8039-8138, 10226-10325, 10326-10425, 10426-10525, 10526-10625, 50000-50059 *; the later one at lines 18-31 (50000-50059 *) is used']);
    expect(c.notJudged).toEqual([]);
  });

  it('the same table twice (docker run between): the later one only, listed once', async () => {
    const c = await read(fixture('netsh-excludedportrange', 'en-powershell-docker-run-session.txt'));
    expect(rangesOf(c)).toHaveLength(9);
    expect(rangesOf(c)).toContain('8080-8080');
  });

  it('ip_local_port_range set back with sysctl -w: the value set is used', async () => {
    const c = await read(SYSCTL_SET_BACK);
    expect(rangesOf(c)).toEqual(['32768-60999']);
    expect(c.replaced).toEqual(['net.ipv4.ip_local_port_range: an earlier capture at lines 1-2 of f said 1024-65000; the later one at lines 3-4 (32768-60999) is used']);
  });

  it('a later capture of one setting leaves the others of the earlier run', async () => {
    const c = await read('$ sysctl net.ipv4.ip_local_port_range net.ipv4.ip_local_reserved_ports\nnet.ipv4.ip_local_port_range = 1024\t65000\nnet.ipv4.ip_local_reserved_ports = 8080\n$ sudo sysctl -w net.ipv4.ip_local_port_range="32768 60999"\nnet.ipv4.ip_local_port_range = 32768 60999\n');
    expect(rangesOf(c)).toEqual(['8080-8080', '32768-60999']);
    expect(c.sources.every((s) => s.replacedBy === undefined)).toBe(true);
  });

  it('a host setting set again: the later value, and the earlier one named', async () => {
    const c = await read('$ sysctl net.core.somaxconn\nnet.core.somaxconn = 128\n$ sudo sysctl -w net.core.somaxconn=4096\nnet.core.somaxconn = 4096\n');
    expect(c.parts.flatMap((p) => (p.kind === 'settings' ? [...p.values] : []))).toEqual([['net.core.somaxconn', 4096]]);
    expect(c.replaced).toEqual(['net.core.somaxconn: an earlier capture at lines 1-2 of f said 128; the later one at lines 3-4 (4096) is used']);
  });

  it('a registry value queried again: the later value', async () => {
    const query = (hex: string) => `C:\\>reg query HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters /v KeepAliveTime\n\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters\n    KeepAliveTime    REG_DWORD    ${hex}\n\n`;
    const c = await read(query('0x6ddd00') + query('0x493e0'));
    expect(c.parts.flatMap((p) => (p.kind === 'registry' ? p.values.map((v) => [v.name, v.data]) : []))).toEqual([['KeepAliveTime', 300000]]);
    expect(c.replaced).toEqual(['KeepAliveTime (HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters): an earlier capture at line 4 of f said 7200000; the later one at line 9 (300000) is used']);
  });

  it('two excluded tables whose family the paste does not show still add up (IPv4 and IPv6 look alike)', async () => {
    const table = (row: string) => `Start Port    End Port\n----------    --------\n${row}\n\n`;
    const c = await read(table('      7939        8038') + table('     50000       50059     *'));
    expect(rangesOf(c)).toEqual(['7939-8038', '50000-50059']);
    expect(c.replaced).toEqual([]);
  });
});

describe('--from: two runs of one command line are two snapshots', () => {
  it('findstr printing nothing after taskkill is an empty snapshot that replaces the listeners before it', async () => {
    const c = await read(KILLED);
    expect(rowsOf(c)).toEqual([]);
    expect(c.sources.map((s) => [s.format, s.lines, s.replacedBy])).toEqual([
      ['windows-netstat', { first: 1, last: 3 }, { first: 8, last: 9 }],
      ['windows-netstat', { first: 8, last: 9 }, undefined],
      ['netsh-excludedportrange', { first: 10, last: 20 }, undefined],
    ]);
    expect(c.replaced).toEqual(['`netstat -ano | findstr :3000` was run more than once: an earlier capture at lines 1-3 of f listed 2 sockets; the later one at lines 8-9 (no socket) is used']);
    // The empty snapshot keeps the command's scope: it shows every row of port 3000.
    expect(c.parts.find((p) => p.kind === 'table' && p.table.scope)?.lines).toEqual({ first: 8, last: 9 });
    expect(c.notJudged).toEqual([]);
  });

  it('a rerun the input ends on, with nothing after it, is a gap: the earlier table may be out of date', async () => {
    const cut = KILLED.split('\n').slice(0, 8).join('\n') + '\n';
    const c = await read(cut);
    expect(rowsOf(c)).toEqual(['3000 LISTEN 5120', '3000 LISTEN 5120']);
    expect(c.notJudged).toEqual(['whether the table at lines 1-3 of f is still true: the input ends with another run of `netstat -ano | findstr :3000` (line 8) and nothing after it, so what that run printed is not known (paste its output, or the prompt after it when it printed nothing)']);
  });

  it('tables of two different commands still add up', async () => {
    const c = await read(`C:\\>netstat -ano | findstr :3000\n${LISTENERS}\nC:\\>netstat -ano | findstr :5000\n  TCP    0.0.0.0:5000           0.0.0.0:0              LISTENING       7000\n\nC:\\>\n`);
    expect(rowsOf(c)).toEqual(['3000 LISTEN 5120', '3000 LISTEN 5120', '5000 LISTEN 7000']);
    expect(c.replaced).toEqual([]);
  });

  // A first run whose tool cannot be told from its command line (test/parse/empty-runs.test.ts has those that can).
  it.each(['$ netstat -an | grep 4000', '$ lsof -i :4000', 'C:\\>netstat -ano', '$ cat saved.txt'])('"%s" printed nothing and was never run before: no part', async (line) => {
    const c = await read(`${line}\n\n${EXCLUDED}`);
    expect(c.parts.map((p) => p.kind)).toEqual(['ranges']);
    expect(c.sources.map((s) => s.format)).toEqual(['netsh-excludedportrange']);
  });
});
