// `bind --from` on pastes cut short or cut by hand (a user trial): a last row
// the copy may have cut (no line end after it) names no PID and no remedy,
// and a table with "..." in place of rows answers no "OK". The inputs are
// real captures (test/fixtures, each with its SOURCES) cut the way a copy or
// a poster cuts them.
import { describe, expect, it } from 'vitest';
import { bindFrom, runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';

/** The text up to line `n` (1-based), that line ending where `end` does in it, with no line end after it. */
function cutAt(text: string, n: number, end: string): string {
  const lines = text.split('\n').slice(0, n);
  const line = lines[n - 1]!;
  lines[n - 1] = line.slice(0, line.indexOf(end) + end.length);
  return lines.join('\n');
}

const SS = fixture('linux-ss', 'ubuntu-22.04-sudo-ss-tanp.txt');
const WIN = fixture('windows-netstat', 'en-ano-win7.txt');
/** The human report. */
const bindText = (port: number, input: string) => runCli(['bind', String(port), '--from', '-'], { input });

describe('bind --from, a last row with no line end after it', () => {
  it('ss cut inside users:(("sshd",pid=81: exit 4, no PID, no kill, the line named', () => {
    const input = cutAt(SS, 3, 'users:(("sshd",pid=81');
    const { code, rep } = bindFrom(['2222'], input);
    expect(code).toBe(4);
    expect(rep.verdict).toBe('inconclusive');
    expect(rep.data.holders).toEqual([]);
    expect(rep.data.sources[0].unread).toEqual([{ line: 3, reason: expect.stringContaining('without a line end') }]);
    expect(rep.notJudged[0]).toMatch(/^who holds port 2222: line 3 of stdin, its last, is a socket on port 2222/);
    const human = bindText(2222, input).stdout;
    expect(human).not.toMatch(/kill|pid 81\b/);
  });

  it('Windows netstat cut in the PID ("LISTENING 36" of 364) or the state ("LISTEN"): exit 4, no taskkill, no "no process listens"', () => {
    for (const end of ['LISTENING       36', '0.0.0.0:0              LISTEN']) {
      const r = bindText(49152, cutAt(WIN, 11, end));
      expect(r.code, end).toBe(4);
      expect(r.stdout).not.toMatch(/taskkill|no process listens/);
      expect(r.stdout).toMatch(/who holds port 49152: line 11 of stdin/);
    }
  });

  it('a whole paste saved without its final line end still answers about another port: exit 0, the unread row in a note', () => {
    const { code, rep } = bindFrom(['8080'], SS.replace(/\n$/, ''));
    expect(code).toBe(0);
    expect(rep.data.sources[0].unread).toEqual([{ line: 9, reason: expect.any(String) }]);
    expect(rep.data.notes).toContainEqual(expect.stringContaining('it is a socket on port 22, not 8080'));
  });
});

describe('bind --from, a table with rows left out', () => {
  it('the German netstat paste with "    ..." lines and netsh after it: exit 4, not OK, the lines named', () => {
    const input = `${fixture('windows-netstat', 'de-an-localized-states-cp850-mojibake.txt')}${fixture('netsh-excludedportrange', 'de-hyperv-winnat.txt')}`;
    const { code, rep } = bindFrom(['8080'], input);
    expect(code).toBe(4);
    expect(rep.verdict).toBe('inconclusive');
    expect(rep.notJudged).toContainEqual(expect.stringMatching(/^rows the paste leaves out: .* at lines 10, 52, 86, 105 of stdin .*port 8080 may be among them/));
  });
});
