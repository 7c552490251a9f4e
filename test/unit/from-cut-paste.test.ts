// Pastes cut short or cut by hand (a user trial): an input that ends without
// a line end may end in the middle of its last row, so that row is not read
// (input/cut-last-line.ts); a line of "..." or "<snip>" in a socket table says
// rows were left out, so the table is not whole (input/omission-marks.ts,
// TableScope.omitted). The inputs are real captures (test/fixtures, each with
// its SOURCES) cut the way a copy or a poster cuts them: the text stops
// inside a row with no line end after it, or a marker line replaces rows.
import { describe, expect, it } from 'vitest';
import { CUT_LAST_REASON } from '../../src/input/cut-last-line.js';
import { isOmissionMark } from '../../src/input/omission-marks.js';
import { parseCapturedInputs, type CapturedInput } from '../../src/input/parse-captured.js';
import { capturedTableGaps } from '../../src/input/table-gaps.js';
import { probeBind } from '../../src/probes/bind.js';
import { fixture } from '../helpers/fixtures.js';

const read = (text: string): Promise<CapturedInput> => parseCapturedInputs({ texts: [{ file: 'f', text }], duplicates: [] });
const noHost = () => {
  throw new Error('a --from run must not touch the host');
};
const bind = async (port: number, text: string) => probeBind({ port, addresses: ['0.0.0.0', '::'], captured: await read(text), backend: noHost, isRoot: false });

/** The text up to line `n` (1-based), that line ending where `end` does in it, with no line end after it: a copy that stopped there. */
function cutAt(text: string, n: number, end: string): string {
  const lines = text.split('\n').slice(0, n);
  const line = lines[n - 1]!;
  expect(line).toContain(end);
  lines[n - 1] = line.slice(0, line.indexOf(end) + end.length);
  return lines.join('\n');
}

const rowsOf = (c: CapturedInput) => c.parts.flatMap((p) => (p.kind === 'table' ? p.table.rows : []));
const unreadOf = (c: CapturedInput) => c.sources.flatMap((s) => s.unread ?? []);

// Line 11: "  TCP    0.0.0.0:49152          0.0.0.0:0              LISTENING       364"
const WIN = fixture('windows-netstat', 'en-ano-win7.txt');
// Line 3: 'LISTEN     0          128                  0.0.0.0:2222              0.0.0.0:*         users:(("sshd",pid=812,fd=3))'
const SS = fixture('linux-ss', 'ubuntu-22.04-sudo-ss-tanp.txt');

describe('an input that ends without a line end: its last row may be cut anywhere', () => {
  it('ss cut inside users:((: the row is not read, no PID comes from it, its local port is certain', async () => {
    const text = cutAt(SS, 3, 'users:(("sshd",pid=81');
    const c = await read(text);
    expect(rowsOf(c).map((r) => r.local.port)).toEqual([389]);
    expect(unreadOf(c)).toEqual([{ line: 3, reason: CUT_LAST_REASON }]);
    expect(c.cutLines).toEqual([expect.objectContaining({ line: 3, localPort: 2222 })]);
    const r = await bind(2222, text);
    expect(r.verdict).toBe('inconclusive');
    expect(r.data.holders).toEqual([]);
    expect(r.findings).toEqual([]);
    expect(r.notJudged).toContainEqual(expect.stringMatching(/^who holds port 2222: line 3 of f, its last, is a socket on port 2222, but the input ends in it without a line end/));
  });

  it('Windows netstat cut in the PID ("364" to "36") or in the state ("LISTENING" to "LISTEN"): no PID, no "no process"', async () => {
    for (const end of ['LISTENING       36', '0.0.0.0:0              LISTEN']) {
      const text = cutAt(WIN, 11, end);
      const c = await read(text);
      expect(rowsOf(c).some((r) => r.local.port === 49152)).toBe(false);
      expect(unreadOf(c)).toEqual([{ line: 11, reason: CUT_LAST_REASON }]);
      const r = await bind(49152, text);
      expect(r.verdict).toBe('inconclusive');
      expect(r.data.holders).toEqual([]);
      expect((r.notJudged ?? []).some((s) => s.startsWith('who holds port 49152: line 11 of f'))).toBe(true);
    }
  });

  it('a state cut to a word the reader refuses ("LISTENI", German "ABH" of "ABH\u2122REN"): the port is read from the state completed, and named', async () => {
    const de = fixture('windows-netstat', 'de-an-localized-states-cp850-mojibake.txt');
    for (const [text, line, port] of [
      [cutAt(WIN, 11, 'LISTENI'), 11, 49152],
      // Completed from the rows before it: no English word starts with "ABH".
      [cutAt(de, 9, '0.0.0.0:0              ABH'), 9, 3580],
    ] as const) {
      const c = await read(text);
      expect(c.cutLines).toEqual([expect.objectContaining({ line, localPort: port })]);
      expect(rowsOf(c).some((r) => r.local.port === port)).toBe(false);
      const r = await bind(port, text);
      expect(r.verdict).toBe('inconclusive');
      expect(r.notJudged).toContainEqual(expect.stringMatching(new RegExp(`^who holds port ${port}: line ${line} of f, its last`)));
    }
    // A last word that no state or earlier word completes: the port stays unknown.
    expect((await read(cutAt(WIN, 11, '0.0.0.0:0              LISTENI').replace(/LISTENI$/, 'QX'))).cutLines).toEqual([expect.objectContaining({ line: 11, localPort: null })]);
  });

  it('the second of two runs cut in its last row: that row is named, though the later run replaces the earlier one', async () => {
    const twice = `C:\\>netstat -ano\n${WIN}\nC:\\>netstat -ano\n${cutAt(WIN, 11, 'LISTENI')}`;
    const at = twice.split('\n').length;
    const r = await bind(49152, twice);
    expect(r.verdict).toBe('inconclusive');
    expect(r.notJudged).toContainEqual(expect.stringMatching(new RegExp(`^who holds port 49152: line ${at} of f, its last`)));
  });

  it('a row cut inside its local address: its port is not certain, so every port\'s answer stays open', async () => {
    // "  TCP    0.0.0.0:47" of 0.0.0.0:47001.
    const text = cutAt(WIN, 10, 'TCP    0.0.0.0:47');
    const c = await read(text);
    expect(c.cutLines).toEqual([expect.objectContaining({ line: 10, localPort: null })]);
    for (const port of [47, 47001, 8080]) {
      const r = await bind(port, text);
      expect(r.verdict, `port ${port}`).toBe('inconclusive');
      expect(r.notJudged).toContainEqual(expect.stringMatching(/^line 10 of f \(windows-netstat\), its last, was not read/));
    }
  });

  it('a whole paste saved without its final line end: questions about other ports are still answered', async () => {
    const text = SS.replace(/\n$/, '');
    const c = await read(text);
    expect(unreadOf(c)).toEqual([{ line: 9, reason: CUT_LAST_REASON }]);
    expect(c.cutLines).toEqual([expect.objectContaining({ line: 9, localPort: 22 })]);
    const other = await bind(8080, text);
    expect(other.verdict).toBe('ok');
    expect(other.data.notes).toContainEqual(expect.stringMatching(/^line 9 of f, its last, was not read .*: it is a socket on port 22, not 8080/));
    // Port 22's IPv4 listener (line 5) is whole: the problem stands, and the cut row is named.
    const same = await bind(22, text);
    expect(same.verdict).toBe('problem');
    expect((same.notJudged ?? []).some((s) => s.startsWith('who holds port 22: line 9 of f'))).toBe(true);
  });

  it('a prompt or blanks after the last row, without a line end, cut nothing', async () => {
    for (const tail of ['C:\\Users\\dev>', '   ']) {
      const c = await read(`${WIN}${tail}`);
      expect(unreadOf(c)).toEqual([]);
      expect(c.cutLines).toEqual([]);
    }
  });

  it('with its line end the same row is read', async () => {
    const c = await read(`${cutAt(WIN, 11, 'LISTENING       364')}\n`);
    expect(rowsOf(c).find((r) => r.local.port === 49152)).toMatchObject({ pid: 364 });
    expect(unreadOf(c)).toEqual([]);
  });
});

describe('a line that marks rows left out ("...", "<snip>")', () => {
  it('what counts as a mark', () => {
    for (const m of ['...', '    ...      ', '…', '[...]', '(…)', '<...>', '. . .', '<snip>', '[snip]', '-- snip --', '(truncated)', '[output truncated]', '... 40 more lines ...', '[... 12 rows omitted ...]', 'snip']) {
      expect(isOmissionMark(m), m).toBe(true);
    }
    for (const m of ['', '--', '------------', 'Active Connections', 'rows', 'lines', 'Connections', '.', '..', 'TCP    0.0.0.0:80   0.0.0.0:0   LISTENING   4', 'fe80::1c2e:…', 'State      Recv-Q']) {
      expect(isOmissionMark(m), m).toBe(false);
    }
  });

  it('the German netstat paste with "    ..." lines (and netsh after it): the table is not whole, bind says where', async () => {
    const text = `${fixture('windows-netstat', 'de-an-localized-states-cp850-mojibake.txt')}${fixture('netsh-excludedportrange', 'de-hyperv-winnat.txt')}`;
    const c = await read(text);
    const table = c.parts.find((p) => p.kind === 'table')!;
    expect(table.kind === 'table' && table.table.scope?.omitted).toEqual({ file: 'f', lines: [10, 52, 86, 105] });
    expect(capturedTableGaps(c, 8080)).toEqual([expect.stringMatching(/^rows the paste leaves out: the socket table is not whole, rows were left out at lines 10, 52, 86, 105 of f .*port 8080 may be among them/)]);
    const r = await bind(8080, text);
    expect(r.verdict).toBe('inconclusive');
    expect(r.notJudged).toContainEqual(expect.stringContaining('rows were left out at lines 10, 52, 86, 105 of f'));
  });

  it('in every table format, a mark between rows or after the last: every row still read, the table not whole', async () => {
    const samples: Array<[string, string, number]> = [
      ['linux-ss', 'ubuntu-22.04-sudo-ss-tanp.txt', 3],
      ['windows-netstat', 'en-ano-win7.txt', 6],
      ['linux-netstat', 'linux-netstat-anp-tcp-with-programs.txt', 4],
      ['lsof', 'linux-ubuntu-24.04-lsof-i-P-n.txt', 3],
      ['macos-netstat', 'macos-26-anv-process-pid.txt', 3],
      ['linux-proc-net-tcp', 'ubuntu-nonroot-proc-net-tcp.txt', 3],
      ['freebsd-sockstat', 'freebsd-sockstat-P-tcp.txt', 3],
      ['windows-get-nettcpconnection', 'en-default-mixed-states-narrow.txt', 5],
    ];
    for (const [folder, name, at] of samples) {
      const text = fixture(folder, name);
      const whole = await read(text);
      for (const mark of ['...', '<snip>']) {
        const lines = text.split('\n');
        lines.splice(at, 0, mark);
        const c = await read(lines.join('\n'));
        expect(rowsOf(c), `${folder}/${name} ${mark}`).toHaveLength(rowsOf(whole).length);
        expect(unreadOf(c), `${folder}/${name} ${mark}`).toEqual(unreadOf(whole).map((u) => ({ ...u, line: u.line > at ? u.line + 1 : u.line })));
        expect(capturedTableGaps(c, 8080).some((s) => s.includes(`rows were left out at line ${at + 1} of f`)), `${folder}/${name} ${mark}`).toBe(true);
      }
    }
  });
});
