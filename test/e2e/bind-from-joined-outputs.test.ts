// `bind --from` on outputs pasted one right under the other, as a user trial
// did: `cat /proc/net/tcp /proc/net/tcp6` (two dumps, no line between them)
// was said to hold one family only, and a Get-NetTCPConnection table with a
// `> netstat` or `> netsh` prompt line right under it was refused (exit 2)
// though every line of it could be read. The inputs are real captures
// (test/fixtures/*/SOURCES) joined in code; each case says how.
import { describe, expect, it } from 'vitest';
import { splitLines } from '../../src/os/parse/text.js';
import { bindFrom } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';

const FAMILY_GAP = /^IPv[46] sockets: /;

describe('bind --from `cat /proc/net/tcp /proc/net/tcp6`: both families', () => {
  // The real session with the prompt lines between the dumps taken out: what one cat of both files prints.
  const session = splitLines(fixture('pastes-mixed', 'ubuntu-cat-proc-net-tcp-tcp6-udp-udp6-session.txt'));
  const [tcp, tcp6] = [session.slice(1, 9).join('\n'), session.slice(10, 14).join('\n')];

  it.each([
    ['tcp then tcp6', `${tcp}\n${tcp6}\n`],
    ['tcp6 then tcp', `${tcp6}\n${tcp}\n`],
    ['under one command line', `ulric@ubuntu:~$ cat /proc/net/tcp /proc/net/tcp6\n${tcp}\n${tcp6}\n`],
  ])('%s: 3306 is held by the IPv4 listener (exit 1), 3002 is free (exit 0), no family said missing', (_, paste) => {
    const held = bindFrom(['3306'], paste);
    expect(held.code).toBe(1);
    expect(held.rep.findings[0]!.code).toBe('port-in-use');
    expect(held.rep.notJudged.filter((s) => FAMILY_GAP.test(s))).toEqual([]);
    const free = bindFrom(['3002'], paste);
    expect(free.code).toBe(0);
    expect(free.rep.notJudged.filter((s) => FAMILY_GAP.test(s))).toEqual([]);
  });

  it('tcp6 and udp without tcp: 3306 (held by an IPv4 listener not in the paste) is not OK (exit 4), and the IPv4 gap is said', () => {
    const { code, rep } = bindFrom(['3306'], `${session.slice(9, 20).join('\n')}\n`);
    expect(code).toBe(4);
    expect(rep.notJudged[0]).toBe('IPv4 sockets: the socket table holds IPv6 sockets only (`cat /proc/net/tcp6`, `cat /proc/net/udp`)');
  });
});

describe('bind --from a Get-NetTCPConnection table with a command line right under it', () => {
  const table = fixture('pastes-powershell', 'en-format-table-autosize-synsent-prompt.txt');
  // The last run of the cmd session: ">netstat -ano | find "LISTENING" | find ":80"" and its two rows.
  const session = splitLines(fixture('pastes-mixed', 'win-cmd-netstat-find-and-tasklist-session.txt'));
  const at = session.findIndex((l) => l.startsWith('  TCP')) - 1;
  const run = (prompt: string) => `${session[at]!.replace(/^>/, prompt)}\n${session.slice(at + 1, at + 3).join('\n')}\n`;

  it.each(['> ', 'PS C:\\> ', ''])('"%snetstat ...": read, the listener on 127.0.0.1:80 found (exit 1)', (prompt) => {
    const { code, stderr, rep } = bindFrom(['80', '--host', '127.0.0.1'], `${table}${run(prompt)}`);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(rep.findings[0]!.message).toMatch(/^pid 19820 listens on 127\.0\.0\.1:80/);
  });

  it('another port: both tables went through a filter, and that is said (exit 4, not OK)', () => {
    const { code, rep } = bindFrom(['81'], `${table}${run('PS C:\\> ')}`);
    expect(code).toBe(4);
    expect(rep.notJudged).toContain('rows the capture filtered out: the socket table went through `-LocalAddress 127.0.0.1`, `find "LISTENING"`, `find ":80"`, which does not keep every row of port 81');
  });

  it('`> netsh int ip show excludedportrange` right under it (the trial\'s ps-la paste): read, not exit 2', () => {
    const { code, rep } = bindFrom(['5357'], `${table}${fixture('netsh-excludedportrange', 'de-hyperv-winnat.txt')}`);
    expect(code).toBe(1);
    expect(rep.findings[0]!.code).toBe('port-excluded');
  });
});
