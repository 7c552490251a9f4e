// The shapes a paste takes around its outputs (issue #15), on real captures:
// quoting taken off only where it hides an output, command lines recognised
// where real pastes have them, a section that cannot be read reported with its
// lines and the formats tried while the rest is read. Variations of a capture
// are made here in code from the real fixture, never typed in.
import { describe, expect, it } from 'vitest';
import { isCommandLine } from '../../src/input/command-lines.js';
import { parseCapturedInputs, type CapturedInput } from '../../src/input/parse-captured.js';
import { SECTION_FORMATS } from '../../src/input/section-formats.js';
import { unquoteLines } from '../../src/input/unquote.js';
import { splitLines } from '../../src/os/parse/text.js';
import { fixture } from '../helpers/fixtures.js';

const read = (text: string): Promise<CapturedInput> => parseCapturedInputs({ texts: [{ file: 'f', text }], duplicates: [] });
const rows = (c: CapturedInput) => c.parts.flatMap((p) => (p.kind === 'table' ? p.table.rows : []));
const opensAt = (lines: readonly string[], i: number) => SECTION_FORMATS.find((f) => f.opens(lines, i))?.id ?? null;
const prefixed = (text: string, prefix: string) => text.split('\n').map((l) => `${prefix}${l}`).join('\n');

describe('quoting is taken off where it hides an output', () => {
  const ss = fixture('linux-ss', 'ubuntu-ss-tanp-root.txt');
  const windows = fixture('windows-netstat', 'fr-anb-process-names.txt');

  it.each(['> ', '>> ', '> > ', '| ', '# ', '    ', '\t'])('every line prefixed "%s": the same rows', async (prefix) => {
    for (const text of [ss, windows]) expect(rows(await read(prefixed(text, prefix)))).toEqual(rows(await read(text)));
  });

  it('an e-mail body quoted two levels deep and wrapped: the netstat paste inside is read, the headers and prose stay', () => {
    const lines = splitLines(fixture('pastes-mixed', 'lkml-2001-quoted-netstat-pltn-wrapped-programs.txt'));
    const out = unquoteLines(lines, opensAt);
    expect(out[0]).toBe(lines[0]); // From: ...
    expect(out.find((l) => l.startsWith('root@norad'))).toBe('root@norad:~# netstat -pltn');
    expect(out.filter((l) => l.startsWith('> '))).toEqual([]);
  });

  it('"# " before Linux sysctl lines is sysctl.conf commenting a setting out: not read as the host\'s', async () => {
    const conf = prefixed(fixture('linux-procfs-ports', 'linux-sysctl-port-range-tab.txt'), '# ');
    await expect(read(conf)).rejects.toThrow(/no output tcpdiag knows/);
    // BSD sysctl prints "key: value", which no sysctl.conf holds: quoted, it is read.
    const bsd = await read(prefixed(fixture('sysctl-portrange', 'macos-first-last-keys.txt'), '# '));
    expect(bsd.parts.flatMap((p) => (p.kind === 'ranges' ? p.ranges.ephemeral : [])).map((e) => [e.start, e.end])).toEqual([[49152, 65535]]);
  });

  it('a lone quoted line of prose is left as it is', () => {
    const lines = ['> I receive this with ALL the services', '# Title', ...splitLines(ss)];
    expect(unquoteLines(lines, opensAt).slice(0, 2)).toEqual(lines.slice(0, 2));
  });
});

describe('command lines, as real pastes have them', () => {
  const lineOf = (folder: string, name: string, start: string) => splitLines(fixture(folder, name)).find((l) => l.trimStart().startsWith(start))!;
  it.each([
    ['pastes-mixed', 'macos-blog-zsh-arrow-prompt-sysctl-and-netstat.txt', '╰─➤  netstat'],
    ['pastes-mixed', 'es-win10-netstat-four-runs-markdown.txt', 'C:\\Users\\user>netstat -an'],
    ['pastes-mixed', 'win-cmd-netstat-find-and-tasklist-session.txt', '>netstat -ano'],
    ['pastes-powershell', 'en-ps-prompt-state-listen-select-three-columns.txt', 'PS C:\\Users'],
    ['pastes-linux-netstat', 'musicbox-netstat-tulpena-user-inode.txt', 'root@MusicBox:~#'],
    ['pastes-mixed', 'seed-lab-diff-of-netstat-na-syn-flood.txt', '[04/17/2018'],
    ['pastes-lsof', 'macos-lsof-i-5000-service-name-bare-command.txt', 'lsof -i'],
    ['pastes-mixed', 'zh-ss-notes-filters-state-established-markdown.txt', '$ ss -lt'],
    ['pastes-mixed', 'ubuntu-cat-proc-net-tcp-tcp6-udp-udp6-session.txt', 'ulric@ubuntu:~$ cat /proc/net/tcp6'],
  ])('%s/%s: "%s…" is a command line', (folder, name, start) => {
    expect(isCommandLine(lineOf(folder, name, start))).toBe(true);
  });

  it.each([
    ['lsof', 'macos-lsof-Pn-i4.txt', 'COMMAND'],
    ['pastes-lsof', 'macos-lsof-i-5000-service-name-bare-command.txt', 'ControlCe'],
    ['linux-netstat', 'centos-8-netstat-tln.txt', 'tcp '],
    ['windows-netstat', 'en-ano-win7.txt', 'TCP'],
    ['linux-ss', 'ubuntu-ss-tanp-root.txt', 'LISTEN'],
    ['pastes-mixed', 'ru-win-netstat-names-then-nmap-markdown.txt', '22/tcp'],
    ['pastes-mixed', 'pop-os-netstat-names-and-l-markdown.txt', 'Active Internet connections'],
    ['sysctl-portrange', 'macos-first-last-keys.txt', 'net.inet.ip.portrange.first'],
  ])('%s/%s: "%s…" is not', (folder, name, start) => {
    expect(isCommandLine(lineOf(folder, name, start))).toBe(false);
  });

  it('a command line ends a section: two runs of the same format are two parts', async () => {
    const c = await read(fixture('pastes-mixed', 'ubuntu-cat-proc-net-tcp-tcp6-udp-udp6-session.txt'));
    expect(c.sources.map((s) => s.lines)).toEqual([{ first: 1, last: 9 }, { first: 10, last: 14 }, { first: 15, last: 20 }, { first: 21, last: 24 }]);
    // Line 25 is the bare prompt the shell showed next: a prompt with no command ends the run as a command line does.
  });
});

describe('a command line right under a Get-NetTCPConnection table ends it, whatever its prompt (a user trial: exit 2, "unknown state")', () => {
  // Real outputs joined the way the trial's pastes were: the Format-Table -AutoSize table (which ends with its last
  // row, no blank line) and, on the very next line, a run of netstat from the cmd session (its ">" prompt swapped for
  // each prompt below), or `netsh ... excludedportrange` (which starts with its "> " prompt).
  const table = fixture('pastes-powershell', 'en-format-table-autosize-synsent-prompt.txt');
  const session = splitLines(fixture('pastes-mixed', 'win-cmd-netstat-find-and-tasklist-session.txt'));
  const run = session.findIndex((l) => l.startsWith('  TCP')) - 1;
  const netstat = session.slice(run + 1, run + 3).join('\n');

  it.each(['>', '> ', 'PS> ', 'PS C:\\Users\\me> ', 'C:\\Users\\me>', ''])('"%snetstat -ano | find …": the table has its 12 rows, the netstat run its command line and 2 rows', async (prompt) => {
    const command = session[run]!.replace(/^>/, prompt);
    expect(command).toBe(`${prompt}netstat -ano | find "LISTENING" | find ":80"`);
    const c = await read(`${table}${command}\n${netstat}\n`);
    expect(c.sources).toEqual([
      { file: 'f', format: 'get-nettcpconnection', lines: { first: 1, last: 16 }, unread: [] },
      { file: 'f', format: 'windows-netstat', lines: { first: 17, last: 19 }, unread: [] },
    ]);
    const [ps, cmd] = c.parts.map((p) => (p.kind === 'table' ? p : null));
    expect(ps!.table.rows).toHaveLength(12);
    expect(cmd!.table.rows.map((r) => r.local.port)).toEqual([80, 80]);
    // The filter reaches the netstat table (it was lost to the table above even with a PS prompt).
    expect(cmd!.table.scope?.command).toBe('netstat -ano | find "LISTENING" | find ":80"');
    expect(cmd!.table.scope?.filters?.map((f) => f.text)).toEqual(['find "LISTENING"', 'find ":80"']);
  });

  it('`> netsh int ip show excludedportrange` right under it: the table and the ranges', async () => {
    const c = await read(`${table}${fixture('netsh-excludedportrange', 'de-hyperv-winnat.txt')}`);
    expect(c.sources.map((s) => [s.format, s.lines])).toEqual([
      ['get-nettcpconnection', { first: 1, last: 16 }],
      ['netsh-excludedportrange', { first: 17, last: 39 }],
    ]);
    expect(rows(c)).toHaveLength(12);
    expect(c.notJudged).toEqual([]);
  });
});

describe('a section that cannot be read is reported, and the rest is read', () => {
  const session = fixture('pastes-mixed', 'ubuntu-cat-proc-net-tcp-tcp6-udp-udp6-session.txt');
  // The tcp6 dump's first row with a hex digit that cannot be: "1F45" -> "1G45".
  const broken = session.replace('0000000000000000FFFF00000100007F:1F45', '0000000000000000FFFF00000100007F:1G45');

  it('its lines, the format tried and why, each of its rows as not read; the tcp rows still read; notJudged says it', async () => {
    const c = await read(broken);
    expect(rows(c)).toHaveLength(7);
    const failed = c.sources.find((s) => s.tried)!;
    expect(failed).toEqual({ file: 'f', format: 'proc-net-tcp', lines: { first: 10, last: 14 }, unread: [{ line: 12, reason: expect.stringMatching(/^not a \/proc\/net\/tcp row: "0: 0000000000000000FFFF00000100007F:1G45/) }, ...[13, 14].map((line) => ({ line, reason: 'in lines 10-14, which could not be read (line 12 stopped them)' }))], tried: ['proc-net-tcp'] });
    expect(c.notJudged).toEqual([expect.stringMatching(/^lines 10-14 of f could not be read \(tried proc-net-tcp\): line 12: not a \/proc\/net\/tcp row/)]);
  });

  it('nothing readable: one line of bad input naming the line', async () => {
    const tcp6 = splitLines(broken).slice(9, 14).join('\n');
    await expect(read(`${tcp6}\n`)).rejects.toThrow(/^--from f line 3: proc-net-tcp: not a \/proc\/net\/tcp row: "0: 0000000000000000FFFF00000100007F:1G45/);
  });

  it("rows under another layout's header (FreeBSD netstat -T after -an, two real captures) are reported row by row; the rest is read", async () => {
    const c = await read(`${fixture('pastes-bsd-netstat', 'freebsd-12-netstat-an.txt')}${fixture('pastes-refused', 'freebsd-12-netstat-aT-no-state.txt')}`);
    expect(rows(c)).toHaveLength(4);
    expect(c.sources).toEqual([expect.objectContaining({ format: 'bsd-netstat', unread: [27, 28, 29, 30].map((line) => ({ line, reason: expect.stringMatching(/^a row under "Proto Rexmit OOORcv 0-win \.\.\.", a layout without Recv-Q, Send-Q and a state/) })) })]);
  });

  it('an ss header cut to two words: the section another format refuses counts each of its rows as not read (a case the fuzz suite found)', async () => {
    const paste = fixture('pastes-mixed', 'zh-ss-notes-filters-state-established-markdown.txt');
    const lines = splitLines(paste);
    const header = lines.findIndex((l) => l.startsWith('$ ss -o state established')) + 1;
    lines[header] = 'Netid    Recv-Q';
    const c = await read(lines.join('\n'));
    const refused = c.sources.find((s) => s.tried)!;
    expect(refused.unread!.map((u) => u.line)).toEqual([header + 2, header + 3]);
    expect(refused.unread![1]!.reason).toBe(`in lines ${refused.lines!.first}-${refused.lines!.last}, which could not be read (line ${header + 2} stopped them)`);
  });

  it('ss rows without a State column take the one state the filter on the command line leaves, read as ss reads it (os/parse/ss-filter.ts)', async () => {
    const book = fixture('pastes-ss', 'book-ss-o-state-established-wrapped-timer.txt');
    const as = async (filter: string) => rows(await read(book.replace('state established', filter))).map((r) => r.state);
    expect(await as('state established')).toEqual(['ESTABLISHED']);
    // ss's own names (ss.c sstate_namel): "listening", "unconnected"; and a state an `exclude` leaves.
    expect(await as('state listening')).toEqual(['LISTEN']);
    expect(await as('state unconnected')).toEqual(['CLOSED']);
    expect(await as('state bucket exclude syn-recv')).toEqual(['TIME_WAIT']);
    // Two states (ss then prints a State column), or a name ss refuses ("listen"): the rows' state is not known.
    expect(await as('state established state time-wait')).toEqual([]);
    expect(await as('state listen')).toEqual([]);
  });

  it('ss rows without a State column and without the command line that names their state are not read, and said', async () => {
    const book = fixture('pastes-ss', 'book-ss-o-state-established-wrapped-timer.txt');
    const withoutCommand = splitLines(book).filter((l) => !/ss -o state|dport = :ssh/.test(l)).join('\n');
    const c = await read(withoutCommand);
    expect(rows(c)).toEqual([]);
    expect(c.sources[0]!.unread).toEqual([{ line: 3, reason: expect.stringMatching(/^ss printed no State column .* does not show the ss command line/) }]);
  });
});
