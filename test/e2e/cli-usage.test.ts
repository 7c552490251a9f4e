// The built CLI as a user meets it: help, version, bad input, exit codes.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { CLI_IS_EXECUTABLE, cliArgv, expectUsage, runCli } from '../helpers/cli.js';
import { FIXTURES, fixtureNames } from '../helpers/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'tcpdiag-e2e-'));
const file = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

/** Bad input: exactly one line on stderr, nothing on stdout, exit 2, no stack trace. */
const expectUsageError = (args: string[], pattern: RegExp, input?: string | Buffer) => expectUsage([...args], pattern, input);

describe('tcpdiag CLI', () => {
  it('prints its version with --version or -V (answered before the command line is built); a single executable also its build', () => {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
    const target = `${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
    const build = new RegExp(`^${version.replace(/\./g, '\\.')} \\(single executable ${target}, Node ${process.version}, commit [0-9a-f]{12}(\\+dirty)?, koffi \\d+\\.\\d+\\.\\d+\\)$`);
    for (const flag of ['--version', '-V']) {
      const r = runCli([flag]);
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      if (CLI_IS_EXECUTABLE) expect(r.stdout.trim()).toMatch(build);
      else expect(r.stdout).toBe(`${version}\n`);
    }
    // With anything else on the line, commander reads it as before.
    expect(runCli(['--version', 'extra']).code).toBe(0);
  });

  it('lists every command with a purpose and examples in --help', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/doctor \[options\]\s+every host check/);
    expect(r.stdout).toMatch(/ports \[options\]\s+ephemeral and excluded/);
    expect(r.stdout).toMatch(/Exit codes: 0 ok, 1 problem found, 2 bad input, 3 could not run here,\n\s+4 inconclusive/);
  });

  it('every --help, of every command and subcommand, fits an 80-column terminal', () => {
    // Walks the command tree as a user would: from the "Commands:" list of each help.
    const tooWide: string[] = [];
    const visit = (path: string[]) => {
      const out = runCli([...path, '--help']).stdout;
      for (const line of out.split('\n')) if (line.length > 80) tooWide.push(`${['tcpdiag', ...path].join(' ')}: ${line}`);
      const commands = out.split('\nCommands:\n')[1]?.split('\n\n')[0] ?? '';
      for (const m of commands.matchAll(/^ {2}([a-z][\w-]*)/gm)) if (m[1] !== 'help') visit([...path, m[1]!]);
    };
    visit([]);
    expect(tooWide).toEqual([]);
  });

  it.each(['ports', 'doctor', 'sockets', 'bind', 'connect', 'connect-race', 'backlog', 'keepalive selftest', 'keepalive connect', 'keepalive listen'])('shows a purpose, its exit codes and an example in `%s --help`', (cmd) => {
    const r = runCli([...cmd.split(' '), '--help']);
    expect(r.code).toBe(0);
    // What 0 and 1 mean for this command, not only the program's general list.
    const codes = /\nExit codes: ([\s\S]*?)\n\n/.exec(r.stdout)?.[1] ?? '';
    expect(codes).toMatch(/^0 [\s\S]*[,;] 1 /);
    expect(r.stdout).toMatch(/Examples:\n\s+(sudo )?tcpdiag /);
    expect(r.stdout).toMatch(/--json/);
  });

  it('without a command prints help on stderr and exits 2', () => {
    const r = runCli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Usage: tcpdiag/);
  });

  it('keepalive without its subcommand prints its help on stderr and exits 2; asked for, help exits 0', () => {
    const r = runCli(['keepalive']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Usage: tcpdiag keepalive .*\n[\s\S]*selftest/);
    const asked = runCli(['keepalive', '--help']);
    expect(asked.code).toBe(0);
    expect(asked.stdout).toMatch(/Usage: tcpdiag keepalive/);
  });

  it('doctor refuses an unknown --format', () => expectUsageError(['doctor', '--format', 'yaml'], /^tcpdiag doctor: --format: expected one of text, json, prometheus, got "yaml"/));
  it('refuses an unknown command', () => expectUsageError(['bogus'], /^tcpdiag: unknown command 'bogus'/));
  it('refuses an unknown flag', () => expectUsageError(['ports', '--frmo', 'x'], /unknown option '--frmo' \(Did you mean --from\?\) \(see 'tcpdiag ports --help'\)/));
  it('refuses --from without a value', () => expectUsageError(['ports', '--from'], /option '--from <file>' argument missing/));
  it('refuses --from on a missing file', () => expectUsageError(['ports', '--from', join(dir, 'nope.txt')], /--from .*nope.txt: no such file/));
  it('refuses --from on a directory', () => expectUsageError(['ports', '--from', dir], /is a directory/));
  it('refuses --from on an empty file', () => expectUsageError(['ports', '--from', file('empty.txt', '')], /the input is empty/));
  it('refuses --from on blank lines only', () => expectUsageError(['ports', '--from', file('blank.txt', '\r\n  \n')], /only blank lines/));
  it('refuses binary garbage', () => expectUsageError(['ports', '--from', file('bin.dat', Buffer.from([0, 1, 2, 3, 255, 254, 0, 7, 8]))], /not text \(binary data\)/));
  it('refuses a format it does not know, listing those it knows', () =>
    expectUsageError(['ports', '--from', file('other.txt', 'Active Connections\n  Proto  Local Address\n')], /--from .*other\.txt: no output tcpdiag knows \(first line: "Active Connections"\); the command's --help lists the outputs --from reads\n$/));
  it('refuses an empty stdin', () => expectUsageError(['ports', '--from', '-'], /--from stdin: the input is empty/, ''));
  it('refuses a malformed value in a known format', () =>
    expectUsageError(['ports', '--from', file('bad.txt', 'net.ipv4.ip_local_port_range = 61000 1024\n')], /ip_local_port_range: expected two port numbers/));
});

describe('a reader that stops early', () => {
  // `tcpdiag sockets --json | head`: the pipe is closed before the output is written.
  it.each([['sockets', '--json'], ['sockets'], ['ports', '--json']])('ends %s %s quietly with its own exit code', async (...args) => {
    const sample = join(FIXTURES, 'windows-netstat', fixtureNames('windows-netstat')[0]!);
    const full = args[0] === 'sockets' ? [...args, '--from', sample] : [...args, '--from', join(FIXTURES, 'linux-procfs-ports', fixtureNames('linux-procfs-ports')[0]!)];
    const whole = runCli(full);
    const child = spawn(...cliArgv(full), { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const code = await new Promise((r) => child.on('close', r));
    expect(stderr).toBe('');
    expect(code).toBe(whole.code);
  });
});
