// `bind --from` on outputs pasted one right under the other, as a user trial
// did: `cat /proc/net/tcp /proc/net/tcp6` (two dumps, no line between them)
// was said to hold one family only. The inputs are real captures
// (test/fixtures/*/SOURCES) joined in code; each case says how.
import { describe, expect, it } from 'vitest';
import { splitLines } from '../../src/os/parse/text.js';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';

const bind = (args: string[], input: string) => {
  const r = runCli(['bind', ...args, '--json', '--from', '-'], { input });
  return { code: r.code, stderr: r.stderr, rep: r.code === 2 ? null : (r.json() as { verdict: string; notJudged: string[]; findings: Array<{ code: string; message: string }> }) };
};
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
    const held = bind(['3306'], paste);
    expect(held.code).toBe(1);
    expect(held.rep!.findings[0]!.code).toBe('port-in-use');
    expect(held.rep!.notJudged.filter((s) => FAMILY_GAP.test(s))).toEqual([]);
    const free = bind(['3002'], paste);
    expect(free.code).toBe(0);
    expect(free.rep!.notJudged.filter((s) => FAMILY_GAP.test(s))).toEqual([]);
  });

  it('tcp6 and udp without tcp: 3306 (held by an IPv4 listener not in the paste) is not OK (exit 4), and the IPv4 gap is said', () => {
    const { code, rep } = bind(['3306'], `${session.slice(9, 20).join('\n')}\n`);
    expect(code).toBe(4);
    expect(rep!.notJudged[0]).toBe('IPv4 sockets: the socket table holds IPv6 sockets only (`cat /proc/net/tcp6`, `cat /proc/net/udp`)');
  });
});
