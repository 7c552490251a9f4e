// What read-sections.ts does with the parts of an input it could not read
// (issue #15): a section whose reader refused a value is read again by every
// other format that could open at its first line, and reported with its lines
// and the formats tried when none reads it, every row in it listed as not
// read; lines shaped like socket rows that no format took are reported as
// blocks of their own. notJudged says both in words, so a verdict never rests
// on a part it skipped.

import { RowError, type UnreadLine } from '../os/parse/line-reader.js';
import { ParseError } from '../os/parse/text.js';
import { isCommandLine } from './command-lines.js';
import { describeCutLast, otherUnread } from './cut-last-line.js';
import { SECTION_FORMATS, type PartBody, type Section, type SectionFormat } from './section-formats.js';
import { looksLikeSocketRow } from './socket-row-shape.js';
import { formatLines } from '../text/words.js';

/** A section its own format refused: another format that opens at its first line may read it; else it is reported unread. */
export function readAgain(file: string, lines: readonly string[], format: SectionFormat, opener: number, range: { first: number; last: number }, failure: UnreadLine, earlier: readonly UnreadLine[]): Section {
  const tried = [format.id];
  for (const other of SECTION_FORMATS) {
    if (other === format || !other.opens(lines, opener)) continue;
    tried.push(other.id);
    const again = readWith(other, file, lines, range);
    if (again) return { file, format: other.id, lines: range, ...again };
  }
  return { file, format: format.id, lines: range, parts: [], unread: [failure, ...rowsNotRead(lines, range, failure, earlier)], tried };
}

/**
 * The rows a refused section loses besides the line that stopped it: those its
 * reader had already reported, and every other line shaped like a socket row,
 * so sources[].unread counts the rows lost, not one per section.
 */
function rowsNotRead(lines: readonly string[], range: { first: number; last: number }, failure: UnreadLine, earlier: readonly UnreadLine[]): UnreadLine[] {
  const out = new Map<number, UnreadLine>(earlier.filter((u) => u.line !== failure.line).map((u) => [u.line, u]));
  const reason = `in ${formatLines(range)}, which could not be read (line ${failure.line} stopped them)`;
  for (let n = range.first; n <= range.last; n++) {
    const text = lines[n - 1]!;
    if (n !== failure.line && !out.has(n) && looksLikeSocketRow(text) && !isCommandLine(text)) out.set(n, { line: n, reason });
  }
  return [...out.values()].sort((a, b) => a.line - b.line);
}

function readWith(format: SectionFormat, file: string, lines: readonly string[], range: { first: number; last: number }): { parts: PartBody[]; unread: UnreadLine[] } | null {
  const reader = format.create(file);
  const unread: UnreadLine[] = [];
  try {
    for (let n = range.first; n <= range.last; n++) {
      try {
        reader.line(lines[n - 1]!, n);
      } catch (err) {
        if (err instanceof RowError && err.kind === 'unread') unread.push({ line: n, reason: err.message });
        else throw err;
      }
    }
    const parts = reader.end();
    return parts.length > 0 ? { parts, unread: [...unread, ...(reader.lateUnread?.() ?? [])] } : null;
  } catch (err) {
    if (err instanceof RowError || err instanceof ParseError) return null;
    throw err;
  }
}

/** Socket-row-shaped lines no format took, in blocks of lines close together. */
export function strayBlocks(file: string, stray: readonly number[]): Section[] {
  const sorted = [...new Set(stray)].sort((a, b) => a - b);
  const blocks: number[][] = [];
  for (const i of sorted) {
    const block = blocks.at(-1);
    if (block && i - block.at(-1)! <= 2) block.push(i);
    else blocks.push([i]);
  }
  const tried = SECTION_FORMATS.map((f) => f.id);
  return blocks.map((b) => ({
    file,
    format: 'unknown' as const,
    lines: { first: b[0]! + 1, last: b.at(-1)! + 1 },
    parts: [],
    unread: b.map((i) => ({ line: i + 1, reason: 'a socket row in no format tcpdiag reads' })),
    tried,
  }));
}

/** Sentences for notJudged: a section that could not be read, or the rows of one that were not. */
export function describeSection(s: Section, file: string): string[] {
  if (s.tried !== undefined) {
    const why = s.format === 'unknown' ? `${s.unread.length === 1 ? 'a line shaped like a socket row' : `${s.unread.length} lines shaped like socket rows`} that no format tcpdiag reads took` : `line ${s.unread[0]?.line}: ${s.unread[0]?.reason}`;
    return [`${formatLines(s.lines)} of ${file} could not be read (tried ${s.tried.join(', ')}): ${why}; they are not in this verdict`];
  }
  const out: string[] = [];
  const byReason = new Map<string, number[]>();
  for (const u of otherUnread(s)) byReason.set(u.reason, [...(byReason.get(u.reason) ?? []), u.line]);
  for (const [reason, at] of byReason) {
    const shown = at.length > 5 ? `${at.slice(0, 5).join(', ')} and ${at.length - 5} more` : at.join(', ');
    out.push(`${at.length === 1 ? 'a row' : `${at.length} rows`} of ${file} (${s.format}, line${at.length === 1 ? '' : 's'} ${shown}) could not be read: ${reason}; ${at.length === 1 ? 'it is' : 'they are'} not in this verdict`);
  }
  const cut = describeCutLast(s, file);
  return cut ? [...out, cut] : out;
}
