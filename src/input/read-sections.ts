// One --from input, read whole (issue #20): split into sections, each read by
// the reader of its format, in any order — a ticket with `netstat -ano` and
// `netsh ... excludedportrange` pasted together gives a table and ranges.
//
// A section opens where a format's opening line is (a header, a rule, a first
// row) and holds every line its reader claims. Lines no reader claims (titles,
// prompts, blank lines) wait: they go to the open section when one of its own
// lines follows, or to the next section when another format opens (a title is
// above its table). Rows a reader cannot read are kept per section (where and
// why); a value that cannot be true refuses the input with its line (exit 2).
//
// The lines are read in slices with the event loop free between them, so
// Ctrl-C and the read's timers work on a large input (issue #22).

import { escapeControls, excerpt, RowError, type LineReader, type UnreadLine } from '../os/parse/line-reader.js';
import { detectProcfsKey, parseProcfsValue } from '../os/parse/linux-port-settings.js';
import { ParseError, splitLines } from '../os/parse/text.js';
import { UsageError } from '../report/errors.js';
import type { CapturedText } from './read-captured.js';
import { KNOWN_FORMATS, SECTION_FORMATS, type PartBody, type SectionFormat } from './section-formats.js';

export type { PartBody } from './section-formats.js';

export interface Section {
  /** The input's name as shown (escaped). */
  file: string;
  format: SectionFormat['id'];
  /** First and last line of the section in its input (1-based). */
  lines: { first: number; last: number };
  parts: PartBody[];
  /** Rows the reader could not read. */
  unread: UnreadLine[];
}

/** Lines between two looks at the clock; a slice yields after SLICE_MS. */
const CHECK_EVERY = 1024;
const SLICE_MS = 20;

interface Open {
  format: SectionFormat;
  reader: LineReader<PartBody[]>;
  first: number;
  last: number;
  unread: UnreadLine[];
}

/** Every section of one input. UsageError (exit 2) for a refused line or text of no known format. */
export async function readSections(c: CapturedText): Promise<Section[]> {
  const lines = splitLines(c.text);
  // A last line with no line end may have been cut by the copy: a refused value there is a row cut short.
  const cutAtEnd = !/[\r\n]$/.test(c.text);
  const sections: Section[] = [];
  let current: Open | null = null;
  let pending: number[] = [];
  let sliceStart = Date.now();

  const feed = (open: Open, i: number) => {
    const text = lines[i]!;
    open.last = i + 1;
    try {
      open.reader.line(text, i + 1);
    } catch (err) {
      if (!(err instanceof RowError) && !(err instanceof ParseError)) throw err;
      const last = i === lines.length - 1 && cutAtEnd;
      if (err instanceof RowError && err.kind === 'unread') open.unread.push({ line: i + 1, reason: err.message });
      else if (last) open.unread.push({ line: i + 1, reason: `the input ends in the middle of this row (${err.message})` });
      else throw new UsageError(`--from ${c.file} line ${i + 1}: ${open.format.id}: ${err.message}: "${excerpt(text)}"`);
    }
  };
  const close = (open: Open) => {
    let parts: PartBody[];
    try {
      parts = open.reader.end();
    } catch (err) {
      if (!(err instanceof RowError) && !(err instanceof ParseError)) throw err;
      // A reader that reads its section whole (the registry) names the line itself.
      const at = /^(?:[^:]+: )?line (\d+): (.*)$/s.exec(err.message);
      if (at) throw new UsageError(`--from ${c.file} line ${at[1]}: ${open.format.id}: ${at[2]}`);
      throw new UsageError(`--from ${c.file} lines ${open.first}-${open.last}: ${open.format.id}: ${err.message}`);
    }
    const unread = [...open.unread, ...(open.reader.lateUnread?.() ?? [])].sort((a, b) => a.line - b.line);
    sections.push({ file: c.file, format: open.format.id, lines: { first: open.first, last: open.last }, parts, unread });
  };

  for (let i = 0; i < lines.length; i++) {
    if (i % CHECK_EVERY === 0 && Date.now() - sliceStart > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = Date.now();
    }
    const line = lines[i]!;
    if (current && current.reader.claims(line)) {
      for (const p of pending) feed(current, p);
      pending = [];
      feed(current, i);
      continue;
    }
    const format = SECTION_FORMATS.find((f) => f !== current?.format && f.opens(lines, i));
    if (!format) {
      pending.push(i);
      continue;
    }
    if (current) close(current);
    const first = pending[0] ?? i;
    current = { format, reader: format.create(c.file), first: first + 1, last: first + 1, unread: [] };
    for (const p of pending) feed(current, p);
    pending = [];
    feed(current, i);
  }
  if (current) {
    for (const p of pending) feed(current, p);
    close(current);
  }
  if (sections.length === 0) return [bareValue(c, lines.length)];
  return sections;
}

/** The content of one procfs port file, alone in its input: its file name or shape says which. */
function bareValue(c: CapturedText, lineCount: number): Section {
  const key = detectProcfsKey(c.text, c.file);
  if (!key) throw new UsageError(`--from ${c.file}: no output tcpdiag knows (first line: "${excerpt(c.text.split('\n', 1)[0]!)}"); it reads: ${KNOWN_FORMATS.join('; ')}`);
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
  const out: string[] = [];
  for (const s of sections) {
    const byReason = new Map<string, number[]>();
    for (const u of s.unread) byReason.set(u.reason, [...(byReason.get(u.reason) ?? []), u.line]);
    for (const [reason, at] of byReason) {
      const shown = at.length > 5 ? `${at.slice(0, 5).join(', ')} and ${at.length - 5} more` : at.join(', ');
      out.push(`${at.length === 1 ? 'a row' : `${at.length} rows`} of ${escapeControls(s.file)} (${s.format}, line${at.length === 1 ? '' : 's'} ${shown}) could not be read: ${reason}; ${at.length === 1 ? 'it is' : 'they are'} not in this verdict`);
    }
  }
  return out;
}
