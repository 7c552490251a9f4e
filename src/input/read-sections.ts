// One --from input, read whole (issue #20): split into sections, each read by
// the reader of its format, in any order — a ticket with `netstat -ano` and
// `netsh ... excludedportrange` pasted together gives a table and ranges.
//
// Quoting is taken off first (unquote.ts: "> " replies, code-block indents).
// A section opens where a format's opening line is (a header, a rule, a first
// row) and holds every line its reader claims. A command line (a prompt and
// its command, command-lines.ts) ends the section before it (issue #15); a
// table's reader never gets it as a row, whatever its prompt.
// Lines no reader claims (titles, prompts, blank lines) wait: they go to the
// open section when one of its own lines follows, or to the next section when
// another format opens (a title is above its table).
//
// Rows a reader cannot read are kept per section (where and why). A value
// that cannot be true makes its whole section unreadable: the section is
// reported with its lines and the formats tried (section-failures.ts), and
// the rest is read; the input is refused (exit 2) only when nothing in it
// could be read. Lines shaped like socket rows that no format took are
// reported too.
//
// A last line with no line end after it may be cut anywhere: it is not read
// as a row, only reported (cut-last-line.ts). A line that marks rows the
// poster left out ("...", "<snip>") makes its table one that does not hold
// every row (omission-marks.ts, TableScope.omitted).
//
// The lines are read in slices with the event loop free between them, so
// Ctrl-C and the read's timers work on a large input (issue #22).

import { escapeControls, excerpt, RowError, type LineReader, type UnreadLine } from '../os/parse/line-reader.js';
import { detectProcfsKey, parseProcfsValue } from '../os/parse/linux-port-settings.js';
import { ParseError, splitLines } from '../os/parse/text.js';
import { UsageError } from '../report/errors.js';
import { commandOf, isCommandLine } from './command-lines.js';
import { CUT_LAST_REASON, judgeLastLine } from './cut-last-line.js';
import { isOmissionMark } from './omission-marks.js';
import type { CapturedText } from './read-captured.js';
import { describeSection, readAgain, strayBlocks } from './section-failures.js';
import { FORMATS_LISTED, SECTION_FORMATS, type PartBody, type Section, type SectionFormat } from './section-formats.js';
import { looksLikeSocketRow } from './socket-row-shape.js';
import { scopeOfTable, type TableScope } from './table-scope.js';
import { unquoteLines } from './unquote.js';
import { formatLines } from '../text/words.js';

export type { PartBody, Section } from './section-formats.js';


/** The format of a command line that printed nothing. */
const NO_OUTPUT = 'no-output';

/** Lines between two looks at the clock; a slice yields after SLICE_MS. */
const CHECK_EVERY = 1024;
const SLICE_MS = 20;

interface Open {
  format: SectionFormat;
  reader: LineReader<PartBody[]>;
  /** 0-based line where the format opened. */
  opener: number;
  first: number;
  last: number;
  unread: UnreadLine[];
  /** The line whose value cannot be true: the section is not read. */
  failed: UnreadLine | null;
  /** The input's last line (0-based), not read because it may be cut short, and its row's local port when certain. */
  cut: { at: number; localPort: number | null } | null;
  /** 1-based lines that mark rows the paste left out. */
  omitted: Set<number>;
}

const opensAt = (lines: readonly string[], i: number) => SECTION_FORMATS.find((f) => f.opens(lines, i))?.id ?? null;

/** Every section of one input. UsageError (exit 2) when nothing in it could be read. */
export async function readSections(c: CapturedText): Promise<Section[]> {
  // A last line with no line end may have been cut by the copy: a refused value there is a row cut short.
  const cutAtEnd = !/[\r\n]$/.test(c.text);
  const split = splitLines(c.text);
  // The line end of the last line ends that line: the empty string the split leaves after it is no line of the input.
  if (!cutAtEnd) split.pop();
  const lines = unquoteLines(split, opensAt);
  const lastLine = lines.at(-1) ?? '';
  const cutLine = cutAtEnd && lastLine.trim() !== '' && !isCommandLine(lastLine) ? lines.length - 1 : -1;
  const sections: Section[] = [];
  const stray: number[] = [];
  let current: Open | null = null;
  let pending: number[] = [];
  let sliceStart = Date.now();

  const feed = (open: Open, i: number) => {
    const text = lines[i]!;
    open.last = i + 1;
    const mark = open.format.kind === 'table' && isOmissionMark(text);
    if (mark) open.omitted.add(i + 1);
    if (open.failed) return;
    if (i === cutLine && open.reader.claims(text)) {
      // The heading and the few lines before it: enough for a reader to place the line (its columns, a row a wrap split).
      const context = [...lines.slice(open.first - 1, Math.min(open.opener + 1, i)), ...lines.slice(Math.max(open.opener + 1, i - 3), i)];
      const judged = judgeLastLine(open.format, c.file, context, text);
      if (judged.changes) {
        open.cut = { at: i, localPort: judged.localPort };
        open.unread.push({ line: i + 1, reason: CUT_LAST_REASON });
        return;
      }
    }
    try {
      open.reader.line(text, i + 1);
    } catch (err) {
      if (!(err instanceof RowError) && !(err instanceof ParseError)) throw err;
      // A reader that takes "<snip>" for a row is wrong about it: the mark is counted as rows left out.
      if (mark) return;
      const last = i === lines.length - 1 && cutAtEnd;
      if (err instanceof RowError && err.kind === 'unread') open.unread.push({ line: i + 1, reason: err.message });
      else if (last) open.unread.push({ line: i + 1, reason: `the input ends in the middle of this row (${err.message})` });
      else open.failed = { line: i + 1, reason: `${err.message}: "${excerpt(text)}"` };
    }
  };
  // Waiting lines go to a section as its titles; one shaped like a socket row that the reader does not take is noted.
  const feedPending = (open: Open) => {
    for (const p of pending) {
      if (!open.reader.claims(lines[p]!)) noteStray(p);
      feed(open, p);
    }
    pending = [];
  };
  // A command line among the waiting lines with only blank lines after it, up to line `at`: that run printed nothing
  // (`netstat -ano | findstr :3000` after the process was killed). It is kept as a part of its own, which
  // later-captures.ts makes an empty snapshot of that command when an earlier run of it printed a table.
  // The waiting lines before it belong to no section: the command line ended their output.
  // A run whose only output is a mark of rows left out ("...") printed rows the poster did not paste: it is kept the
  // same way, with the mark's lines, so its snapshot is one that does not hold every row (a user trial: the rerun was
  // dropped and the verdict answered from the run before it).
  const takeNoOutput = (at: number, ended: boolean) => {
    let k = pending.length - 1;
    while (k >= 0 && !isCommandLine(lines[pending[k]!]!)) k--;
    const after = pending.slice(k + 1);
    if (k < 0 || after.some((p) => lines[p]!.trim() !== '' && !isOmissionMark(lines[p]!))) return;
    const command = commandOf(lines[pending[k]!]!);
    if (!command) return;
    for (const p of pending.slice(0, k)) noteStray(p);
    const omitted = after.filter((p) => lines[p]!.trim() !== '').map((p) => p + 1);
    const part: PartBody = { kind: 'no-output', format: NO_OUTPUT, os: null, ended, command, prompt: lines[pending[k]!]!.trim(), ...(omitted.length > 0 ? { omitted } : {}) };
    sections.push({ file: c.file, format: NO_OUTPUT, lines: { first: pending[k]! + 1, last: Math.max(pending[k]! + 1, at, ...omitted) }, parts: [part], unread: [] });
    pending = [];
  };
  const noteStray = (p: number) => {
    if (looksLikeSocketRow(lines[p]!) && !isCommandLine(lines[p]!)) stray.push(p);
  };
  const close = (open: Open) => {
    if (!open.failed) {
      try {
        const parts = open.reader.end();
        const heading = lines.slice(open.first - 1, open.opener + 1).filter((_, k) => open.first - 1 + k !== open.cut?.at);
        // /proc/net/tcp and tcp6 concatenated: the second header, deep in the section, says the second family.
        const body = { lines: lines.slice(open.opener + 1, open.last), rows: parts.flatMap((p) => (p.kind === 'table' ? p.table.rows : [])) };
        const scope = withOmitted(scopeOfTable(open.format.id, heading, body), c.file, open.omitted);
        // The command that printed a table tells two runs of one command (two snapshots) from two commands.
        const command = heading.map(commandOf).filter((c): c is string => c !== null && c !== '').at(-1);
        for (const part of parts) {
          // A registry capture's command line says what it shows (`reg query KEY /v NAME`: that value alone).
          if (part.kind === 'registry' && command) part.command = command;
          if (part.kind !== 'table') continue;
          if (scope) part.table.scope = scope;
          if (command) part.command = command;
        }
        const unread = [...open.unread, ...(open.reader.lateUnread?.() ?? [])].sort((a, b) => a.line - b.line);
        const cutLast = open.cut === null ? {} : { cutLast: { line: open.cut.at + 1, localPort: open.cut.localPort } };
        sections.push({ file: c.file, format: open.format.id, lines: { first: open.first, last: open.last }, parts, unread, ...cutLast });
        return;
      } catch (err) {
        if (!(err instanceof RowError) && !(err instanceof ParseError)) throw err;
        // A reader that reads its section whole (as main's registry reader does) names the line itself.
        const at = /^(?:[^:]+: )?line (\d+): (.*)$/s.exec(err.message);
        open.failed = at ? { line: Number(at[1]), reason: at[2]! } : { line: open.last, reason: err.message };
      }
    }
    // Read again without the cut last line: no format reads it (its entry in open.unread says why).
    const again = readAgain(c.file, open.cut === null ? lines : lines.map((l, k) => (k === open.cut!.at ? '' : l)), open.format, open.opener, { first: open.first, last: open.last }, open.failed, open.unread);
    const cut = open.unread.find((u) => u.line === (open.cut?.at ?? -1) + 1);
    if (cut && !again.unread.some((u) => u.line === cut.line)) again.unread = [...again.unread, cut].sort((a, b) => a.line - b.line);
    sections.push(again);
  };

  for (let i = 0; i < lines.length; i++) {
    if (i % CHECK_EVERY === 0 && Date.now() - sliceStart > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = Date.now();
    }
    const line = lines[i]!;
    const commandLine = isCommandLine(line);
    if (commandLine) takeNoOutput(i, true);
    // Another output of the open section's format starts here (a .reg export's heading under reg query output, a
    // user trial: the heading was read as a bad reg query line and the whole export lost): it is a section of its own.
    const openNow = current as Open | null;
    if (openNow && openNow.format.reopens?.(lines, i, openNow.opener)) {
      close(openNow);
      current = null;
    }
    // A command line ends a table before it even when that table's reader would take it: a Get-NetTCPConnection
    // table takes every line up to a blank one, and read "> netstat -ano | findstr :3000" as a row with the state
    // "findstr" (a user trial: exit 2). Only the session formats (sysctl, netsh) keep their command lines.
    if (current && !(commandLine && current.format.kind === 'table') && current.reader.claims(line)) {
      feedPending(current);
      feed(current, i);
      continue;
    }
    // A command line ends the output before it: what follows is another run.
    if (current && commandLine) {
      close(current);
      current = null;
    }
    const format = SECTION_FORMATS.find((f) => f !== current?.format && f.opens(lines, i));
    if (!format) {
      // A mark after a table's last row still belongs to that table, whichever section its line goes to.
      if (current?.format.kind === 'table' && isOmissionMark(line)) current.omitted.add(i + 1);
      pending.push(i);
      continue;
    }
    if (current) close(current);
    const first = pending[0] ?? i;
    current = { format, reader: format.create(c.file), opener: i, first: first + 1, last: first + 1, unread: [], failed: null, cut: null, omitted: new Set() };
    feedPending(current);
    feed(current, i);
  }
  if (current) {
    feedPending(current);
    close(current);
  }
  takeNoOutput(lines.length, false);
  for (const p of pending) noteStray(p);
  const read = sections.filter((s) => s.tried === undefined && s.format !== NO_OUTPUT);
  const unknown = strayBlocks(c.file, stray);
  if (read.length > 0) return [...sections, ...unknown].sort((a, b) => a.lines.first - b.lines.first);
  const failed = sections.filter((s) => s.tried !== undefined);
  if (failed.length > 0 || unknown.length > 0) throw nothingRead(c, failed, unknown);
  return [bareValue(c, lines.length)];
}

/** A table's scope with the lines where the paste left rows out; null when nothing is left out. */
function withOmitted(scope: TableScope | null, file: string, omitted: ReadonlySet<number>): TableScope | null {
  if (omitted.size === 0) return scope;
  return { ...(scope ?? { command: '' }), omitted: { file, lines: [...omitted].sort((a, b) => a - b) } };
}

/** The one line of exit 2 for an input in which nothing could be read: the first refused value, else the rows no format took. */
function nothingRead(c: CapturedText, failed: readonly Section[], unknown: readonly Section[]): UsageError {
  const first = failed[0];
  if (first) return new UsageError(`--from ${c.file} line ${first.unread[0]!.line}: ${first.tried!.join(', then ')}: ${first.unread[0]!.reason}`);
  const u = unknown[0]!;
  const text = splitLines(c.text)[u.lines.first - 1] ?? '';
  return new UsageError(`--from ${c.file} ${formatLines(u.lines)}: rows in no format tcpdiag knows (first: "${excerpt(text)}"); ${FORMATS_LISTED}`);
}

/** The content of one procfs port file, alone in its input: its file name or shape says which. */
function bareValue(c: CapturedText, lineCount: number): Section {
  const key = detectProcfsKey(c.text, c.file);
  if (!key) throw new UsageError(`--from ${c.file}: no output tcpdiag knows (first line: "${excerpt(c.text.split('\n', 1)[0]!)}"); ${FORMATS_LISTED}`);
  try {
    const ranges = parseProcfsValue(c.text, key, c.file);
    return { file: c.file, format: `procfs-${key}`, lines: { first: 1, last: lineCount }, parts: [{ kind: 'ranges', format: `procfs-${key}`, os: 'linux', ranges }], unread: [] };
  } catch (err) {
    if (err instanceof ParseError) throw new UsageError(`--from ${c.file}: ${err.message}`);
    throw err;
  }
}

/** Sentences for what a verdict did not judge: the rows of each section that were not read, grouped by why. */
export function describeUnread(sections: readonly Section[]): string[] {
  return sections.flatMap((s) => describeSection(s, escapeControls(s.file)));
}
