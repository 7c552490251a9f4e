// A paste is read whole (issue #20.3): netstat and netsh pasted together, in
// either order, give every command the same table and ranges; what an answer
// needs and the paste lacks is "not judged", never exit 0. Also the line a
// terminal paste gets, and error lines safe for any file name (issue #22).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliShell, runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'tcpdiag-paste-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const netstat = fixture('windows-netstat', 'en-ano-win7.txt');
// 3288-3387 covers 3306 (MySQL).
const excluded = fixture('netsh-excludedportrange', 'en-hyperv-many-ranges-rider-log.txt');

describe('cat netstat-ano.txt excluded.txt | tcpdiag ... --from -', () => {
  it.each([
    ['netstat first', `${netstat}\n${excluded}`],
    ['netsh first', `${excluded}\n${netstat}`],
  ])('bind 3306 sees the excluded range (%s): exit 1, not "OK"', (_, paste) => {
    const r = runCli(['bind', '3306', '--json', '--from', '-'], { input: paste });
    expect(r.code).toBe(1);
    const rep = r.json();
    expect(rep.summary).toBe('from captured output: port 3306 cannot be bound: inside an excluded range');
    expect(rep.data.sources.map((s: { file: string; format: string }) => [s.file, s.format]).sort()).toEqual([
      ['stdin', 'netsh-excludedportrange'],
      ['stdin', 'windows-netstat'],
    ]);
  });

  it('ports reads the netsh half and says which lines it was', () => {
    const input = `${netstat}\n${excluded}`;
    const r = runCli(['ports', '--json', '--from', '-'], { input });
    expect(r.code).toBe(1);
    const rep = r.json();
    expect(rep.data.reserved).toHaveLength(28);
    // The netsh half ends at the paste's last line (35 netstat lines, a blank one, 34 netsh lines), the one its final line end ends.
    expect(input.endsWith('\n')).toBe(true);
    expect(rep.data.sources.find((s: { format: string }) => s.format === 'netsh-excludedportrange').lines.last).toBe(input.split('\n').length - 1);
    expect(input.split('\n').length - 1).toBe(70);
  });

  it('doctor finds port ranges in the same paste', () => {
    const r = runCli(['doctor', '--json', '--from', '-'], { input: `${excluded}\n${netstat}` });
    const rep = r.json();
    expect(rep.data.checks.find((c: { id: string }) => c.id === 'port-ranges').status).not.toBe('could-not-run');
  });

  it('bind from the netstat half alone: no excluded ranges to look at, so not "OK" (exit 4) and says so', () => {
    const r = runCli(['bind', '3306', '--json', '--from', '-'], { input: netstat });
    expect(r.code).toBe(4);
    const rep = r.json();
    expect(rep.verdict).toBe('inconclusive');
    expect(rep.notJudged).toEqual([
      'whether a Windows excluded port range covers port 3306: the input holds no `netsh int ipv4 show excludedportrange protocol=tcp` output',
      'whether a listen would succeed: nothing was attempted; the answer assumes a Node listen (no socket option, as libuv sets none on Windows)',
    ]);
  });

  it('a row cut short is reported, and the verdict does not rest on the rest alone', () => {
    const cut = netstat.replace('  TCP    0.0.0.0:445            0.0.0.0:0              LISTENING       4', '  TCP    0.0.0.0:445');
    expect(cut).not.toBe(netstat);
    const r = runCli(['sockets', '--json', '--from', '-'], { input: cut });
    expect(r.code).toBe(4);
    const rep = r.json();
    expect(rep.notJudged).toEqual([expect.stringMatching(/^a row of stdin \(windows-netstat, line \d+\) could not be read: a TCP row cut short/)]);
    expect(rep.data.sources[0].unread).toEqual([{ line: expect.any(Number), reason: expect.stringMatching(/cut short/) }]);
  });

  it('the same file given twice is read once, and said', () => {
    const path = join(dir, 'excluded.txt');
    writeFileSync(path, excluded);
    const r = runCli(['ports', '--json', '--from', path, '--from', join(dir, '.', 'excluded.txt')]);
    const rep = r.json();
    expect(rep.data.reserved).toHaveLength(28);
    expect(rep.data.sources.at(-1)).toEqual({ file: join(dir, '.', 'excluded.txt'), format: 'same-file', sameAs: path });
  });
});

describe('error lines', () => {
  it('name the input and the line, escape a newline in the name, and echo at most ~80 characters of the line', () => {
    const path = join(dir, 'two\nlines.txt');
    writeFileSync(path, `${netstat}\n  TCP    999.999.999.999:135    0.0.0.0:0    LISTENING    4\n`);
    const r = runCli(['sockets', '--from', path]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^tcpdiag sockets: --from .*two\\nlines\.txt line \d+: windows-netstat: "999\.999\.999\.999" is not an IPv4 address: "TCP +999/);
    writeFileSync(path, `${netstat}\n  TCP    0.0.0.0:135    0.0.0.0:0    LISTENING    ${'9'.repeat(1_000_000)}\n`);
    const long = runCli(['sockets', '--from', path]);
    expect(long.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(long.stderr).toMatch(/PID 9{20}… is too large to be true/);
    const echoed = /: "(TCP.*)"$/.exec(long.stderr.trimEnd())![1]!;
    expect(echoed.length).toBeLessThanOrEqual(80);
  });

  it('doctor --from with an lsof capture names the file', () => {
    const path = join(dir, 'lsof.txt');
    writeFileSync(path, fixture('lsof', 'macos-lsof-Pn-i4.txt'));
    const r = runCli(['doctor', '--from', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^tcpdiag doctor: --from ${path.replace(/[.]/g, '\\.')}: cannot tell which system printed lsof`));
  });
});

describe('--from - on a terminal', () => {
  it('says how to end the paste, on stderr, only at a terminal', () => {
    const cmd = `${cliShell()} ports --from -`;
    // script(1) gives the command a terminal; the paste is typed into it, ended by Ctrl-D (\x04).
    const tty = spawnSync('script', ['-qefc', cmd, '/dev/null'], { input: `${fixture('netsh-dynamicport', 'en-default-49152.txt')}\n\x04`, encoding: 'utf8', timeout: 20_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(tty.stdout).toContain('tcpdiag: paste the output, then Ctrl-D on a new line (Ctrl-C cancels)');
    expect(tty.stdout).toMatch(/ephemeral 49152-65535/);
    const piped = runCli(['ports', '--from', '-'], { input: fixture('netsh-dynamicport', 'en-default-49152.txt') });
    expect(piped.stderr).toBe('');
  });
});
