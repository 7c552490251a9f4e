// Pastes cut short or cut by hand (a user trial): an input that ends without
// a line end may end in the middle of its last row, so that row is not read
// (input/cut-last-line.ts); a line of "..." or "<snip>" in a socket table says
// rows were left out, so the table is not whole (input/omission-marks.ts,
// TableScope.omitted). The inputs are real captures (test/fixtures, each with
// its SOURCES) cut the way a copy or a poster cuts them: the text stops
// inside a row with no line end after it, or a marker line replaces rows.
import { describe, expect, it } from 'vitest';
import { isOmissionMark } from '../../src/input/omission-marks.js';
import { parseCapturedInputs, type CapturedInput } from '../../src/input/parse-captured.js';
import { capturedTableGaps } from '../../src/input/table-scope.js';
import { probeBind } from '../../src/probes/bind.js';
import { fixture } from '../helpers/fixtures.js';

const read = (text: string): Promise<CapturedInput> => parseCapturedInputs({ texts: [{ file: 'f', text }], duplicates: [] });
const noHost = () => {
  throw new Error('a --from run must not touch the host');
};
const bind = async (port: number, text: string) => probeBind({ port, addresses: ['0.0.0.0', '::'], captured: await read(text), backend: noHost, isRoot: false });


const rowsOf = (c: CapturedInput) => c.parts.flatMap((p) => (p.kind === 'table' ? p.table.rows : []));
const unreadOf = (c: CapturedInput) => c.sources.flatMap((s) => s.unread ?? []);


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
