// Runs of a table command that printed nothing, or only "..." (a user trial):
//  - a first run before the next prompt, `C:\> netstat -ano | findstr :3000`
//    then `netsh ...`, is an empty table of that command when the command
//    line says which tool printed it (input/empty-table.ts): the most common
//    Windows support paste answers "nothing on port 3000";
//  - a rerun whose only output is "..." printed rows the poster left out: its
//    snapshot replaces the run before it and says the rows are left out.
// The pastes are the trial's, made of real outputs: the netstat rows and
// netsh table of test/helpers/rerun-pastes.ts (from the windows-netstat and
// netsh-excludedportrange fixtures), and an ss row of linux-ss/ubuntu-ss-
// tanp-root.txt; "  ..." is how a poster marks output they cut (the German
// netstat fixture in pastes-mixed has that line).
import { describe, expect, it } from 'vitest';
import { emptyTableFormat } from '../../src/input/empty-table.js';
import { commandOf } from '../../src/input/command-lines.js';
import { parseCapturedInputs, type CapturedInput } from '../../src/input/parse-captured.js';
import { capturedTableGaps } from '../../src/input/table-gaps.js';
import { EXCLUDED, KILLED, LISTENERS } from '../helpers/rerun-pastes.js';

const read = (text: string): Promise<CapturedInput> => parseCapturedInputs({ texts: [{ file: 'f', text }], duplicates: [] });
const tables = (c: CapturedInput) => c.parts.flatMap((p) => (p.kind === 'table' ? [{ format: p.format, os: p.os, lines: p.lines, rows: p.table.rows.length, omitted: p.table.scope?.omitted }] : []));
const formatOf = (line: string) => emptyTableFormat(line, commandOf(line)!)?.format ?? null;

describe('the format of an empty table, from its command line', () => {
  it.each([
    ['C:\\Users\\me>netstat -ano | findstr :3000', 'windows-netstat'],
    ['PS C:\\> netstat -ano | Select-String 3000', 'windows-netstat'],
    ['>netstat -ano | find ":3000"', 'windows-netstat'],
    ['PS C:\\> Get-NetTCPConnection -LocalPort 3000 -ErrorAction SilentlyContinue', 'get-nettcpconnection'],
    ['$ sudo ss -tanp | grep 3000', 'ss'],
    ['$ ss -Htan sport = :3000', 'ss'],
    ['user@h:~$ sudo netstat -tanp | grep :3000', 'linux-netstat'],
    ['$ sudo lsof -nP -iTCP:3000', 'lsof'],
    ['root@h:~# lsof -nP -iTCP:3000', 'lsof'],
  ])('"%s": %s', (line, format) => {
    expect(formatOf(line)).toBe(format);
  });

  it.each([
    // A header would have been printed: an empty output is a paste that lost it.
    'C:\\>netstat -ano',
    '$ sudo ss -tanp',
    // macOS or Linux; lsof as a user lists only that user's sockets.
    '$ netstat -an | grep 3000',
    '$ netstat -p tcp -an | grep 3000',
    '$ lsof -i :3000',
    // No socket tool at all.
    'C:\\>tasklist | findstr node',
    '$ cat saved.txt',
  ])('"%s": none, no table', (line) => {
    expect(formatOf(line)).toBeNull();
  });
});

describe('a first run that printed nothing', () => {
  const FIRST = `C:\\Users\\me>netstat -ano | findstr :3000\n\n${EXCLUDED.replace('C:\\>', 'C:\\Users\\me>')}C:\\Users\\me>\n`;

  it('`netstat -ano | findstr :3000` then netsh: an empty Windows netstat table that keeps every row of port 3000, listed as read', async () => {
    const c = await read(FIRST);
    expect(tables(c)).toEqual([{ format: 'windows-netstat', os: 'win32', lines: { first: 1, last: 2 }, rows: 0, omitted: undefined }]);
    expect(c.sources.map((s) => [s.format, s.lines])).toEqual([
      ['windows-netstat', { first: 1, last: 2 }],
      ['netsh-excludedportrange', { first: 3, last: 13 }],
    ]);
    expect(capturedTableGaps(c, 3000)).toEqual([]);
    expect(c.notJudged).toEqual([]);
  });

  it('for another port the findstr filter may have dropped its rows: a gap', async () => {
    expect(capturedTableGaps(await read(FIRST), 8080)).not.toEqual([]);
  });

  it('the same with CRLF line ends, as cmd copies them', async () => {
    expect(tables(await read(FIRST.replace(/\n/g, '\r\n')))).toHaveLength(1);
  });
});

describe('a rerun whose only output is "..."', () => {
  const DOTS = KILLED.replace('C:\\>netstat -ano | findstr :3000\n\n', 'C:\\>netstat -ano | findstr :3000\n  ...\n\n');

  it('replaces the run before it, and its snapshot says rows were left out at the "..." line', async () => {
    expect(DOTS).not.toBe(KILLED);
    const c = await read(DOTS);
    expect(tables(c)).toEqual([{ format: 'windows-netstat', os: 'win32', lines: { first: 8, last: 10 }, rows: 0, omitted: { file: 'f', lines: [9] } }]);
    expect(c.replaced).toEqual(['`netstat -ano | findstr :3000` was run more than once: an earlier capture at lines 1-3 of f listed 2 sockets; the later one at lines 8-10 (no socket, and rows left out at line 9) is used']);
    expect(capturedTableGaps(c, 3000).join(' ')).toContain('line 9 of f');
  });

  it('a first run whose only output is "..." is a table with rows left out, not a table with none', async () => {
    const c = await read(`C:\\>netstat -ano | findstr :3000\n  ...\n\n${EXCLUDED}`);
    expect(tables(c)).toEqual([{ format: 'windows-netstat', os: 'win32', lines: { first: 1, last: 3 }, rows: 0, omitted: { file: 'f', lines: [2] } }]);
    expect(capturedTableGaps(c, 3000).join(' ')).toContain('line 2 of f');
  });

  it('the earlier run, "..." under its rows, then a rerun with rows: the rerun is whole', async () => {
    const c = await read(`C:\\>netstat -ano | findstr :3000\n${LISTENERS}  ...\n\nC:\\>netstat -ano | findstr :3000\n  TCP    127.0.0.1:3000         127.0.0.1:50000        TIME_WAIT       0\n\nC:\\>\n`);
    expect(tables(c).map((t) => [t.rows, t.omitted])).toEqual([[1, undefined]]);
  });
});
