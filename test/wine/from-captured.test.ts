// Every --from end-to-end case of the e2e tests, on the win32 Node under Wine:
// captured input must give the same report on the win32 code path as on
// Linux (apart from the run's platform, timing and the Z:\ form of paths),
// and bad input the same exit 2 with one line on stderr. A smoke of our win32
// code path under Wine, never evidence of Windows behaviour.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { comparableReport as comparable, runWin32Cli, skipWithoutWine, stopSharedWineserver, unixPaths, winPath } from '../helpers/wine.js';

const skip = skipWithoutWine();
afterAll(() => void (skip || stopSharedWineserver()));

const fx = (...p: string[]) => join(FIXTURES, ...p);
/** Arguments with fixture paths; the win32 run gets them as Z:\ paths. */
type Case = { name: string; args: string[]; input?: Buffer };

const CASES: Case[] = [
  { name: 'ports: a Windows ticket (dynamicport + excludedportrange)', args: ['ports', '--json', '--from', fx('netsh-dynamicport', 'ja-powershell-default.txt'), '--from', fx('netsh-excludedportrange', 'en-hyperv-many-ranges-rider-log.txt')] },
  { name: 'ports: human output', args: ['ports', '--from', fx('netsh-excludedportrange', 'en-hyperv-many-ranges-rider-log.txt')] },
  { name: 'ports: zh-CN cmd captures', args: ['ports', '--from', fx('netsh-dynamicport', 'zh-cn-cmd-banner-1024.txt'), '--from', fx('netsh-excludedportrange', 'zh-cn-cmd-banner-trailing-prompt.txt')] },
  { name: 'sockets: Windows 7 netstat -ano, grouped by process', args: ['sockets', '--from', fx('windows-netstat', 'en-ano-win7.txt'), '--group-by', 'process'] },
  { name: 'sockets: ss -tanp JSON, listeners', args: ['sockets', '--json', '--listen', '--from', fx('linux-ss', 'ubuntu-ss-tanp-root.txt')] },
  { name: 'sockets: French netstat -abo', args: ['sockets', '--json', '--from', fx('windows-netstat', 'fr-abo-process-names-no-n.txt'), '--group-by', 'remote'] },
  { name: 'bind: excluded range and dynamic range', args: ['bind', '3306', '--json', '--from', fx('netsh-excludedportrange', 'en-hyperv-many-ranges-rider-log.txt'), '--from', fx('netsh-dynamicport', 'en-default-49152.txt')] },
  { name: 'bind: netstat holder and a low dynamic range', args: ['bind', '27334', '--from', fx('windows-netstat', 'fr-abo-process-names-no-n.txt'), '--from', fx('netsh-dynamicport', 'en-netsh-interactive-1024.txt')] },
  { name: 'doctor: netstat and excludedportrange', args: ['doctor', '--json', '--from', fx('windows-netstat', 'en-ano-win7.txt'), '--from', fx('netsh-excludedportrange', 'de-hyperv-winnat.txt')] },
  { name: 'doctor: macOS captures', args: ['doctor', '--json', '--from', fx('macos-netstat', 'macos-26-anv-process-pid.txt'), '--from', fx('sysctl-values', 'macos-somaxconn-grep.txt'), '--from', fx('sysctl-values', 'macos-keepalive-defaults.txt')] },
  { name: 'doctor: the registry as a UTF-16 .reg export and reg query output', args: ['doctor', '--from', fx('windows-netstat', 'en-ano-win7.txt'), '--from', fx('windows-registry', 'wine-8.0-regedit-export-utf16le.reg'), '--from', fx('windows-registry', 'wine-8.0-reg-query-afd.txt')] },
  { name: 'doctor: a real Windows 10 registry export', args: ['doctor', '--json', '--from', fx('windows-registry', 'win10-tweaked-controlset001-export.reg')] },
  // Bad input: exit 2, one line on stderr, nothing on stdout.
  { name: 'bad: not a known format', args: ['doctor', '--from', fx('windows-tasklist', 'en-header-system-registry.txt')] },
  { name: 'bad: files of two systems', args: ['doctor', '--from', fx('windows-netstat', 'en-ano-win7.txt'), '--from', fx('linux-ss', 'ubuntu-ss-tanp-root.txt')] },
  { name: 'bad: a missing file', args: ['ports', '--from', fx('nope.txt')] },
  { name: 'bad: a directory', args: ['ports', '--from', fx('netsh-dynamicport')] },
  { name: 'bad: dynamicport text given to sockets', args: ['sockets', '--from', fx('netsh-dynamicport', 'en-default-49152.txt')] },
  { name: 'bad: SOURCES given to bind', args: ['bind', '80', '--from', fx('netsh-dynamicport', 'SOURCES')] },
];

describe.skipIf(skip)('--from - on the win32 Node under Wine (skip reason printed above)', () => {
  // Wine hands node.exe a stdin that fstat refuses (EBADF); the input reader
  // reads it without a stat (input/read-bytes.ts), so a paste through stdin
  // gives the same report as on Linux: a UTF-16 netsh capture here.
  it('reads a pasted capture from stdin as Linux does', () => {
    const input = readFileSync(fx('netsh-dynamicport', 'ja-powershell-default.txt'));
    const linux = runCli(['ports', '--json', '--from', '-'], { input });
    const win = runWin32Cli(['ports', '--json', '--from', '-'], { input });
    expect(linux.code).toBe(0);
    expect({ code: win.code, stderr: win.stderr }).toEqual({ code: 0, stderr: '' });
    expect(comparable(win.stdout)).toEqual(comparable(linux.stdout));
  });
});

describe.skipIf(skip)('--from on the win32 Node (under Wine) reports what the Linux Node reports (skip reason printed above)', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const linux = runCli(c.args, { input: c.input });
      const win = runWin32Cli(c.args.map((a) => (a.startsWith(FIXTURES) ? winPath(a) : a)), { input: c.input });
      expect(win.stderr).not.toMatch(/^ +at /m);
      expect(win.code).toBe(linux.code);
      expect(comparable(win.stdout)).toEqual(comparable(linux.stdout));
      if (linux.code === 2) {
        expect(win.stdout).toBe('');
        expect(win.stderr.trimEnd().split('\n')).toHaveLength(1);
        expect(unixPaths(win.stderr)).toBe(linux.stderr);
      }
    });
  }
});
