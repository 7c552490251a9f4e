// cli-table3 with its own colours switched off (it colours headers red by
// default, ignoring NO_COLOR); headers are styled through our chalk instance.
// A table wider than the terminal gets narrower columns whose cells wrap, so
// no row breaks across the screen edge (an 80-column terminal is the norm):
// first at spaces (a process name, a list of states), and only when that is
// not enough inside words, an address before its port. Nothing is cut off.

import Table from 'cli-table3';
import type { Style } from './style.js';
import { stripColour, visibleLength } from './text.js';

const PADDING = 2; // one space either side of a cell
/** Below this a column breaks no further (the table is then wider than the terminal). */
const NARROWEST = 6;

export interface TableOptions {
  /** Columns that wrap only when breaking the others is not enough (times such as "0.4 / 0.6 / 0.6 / 0.6 ms"). */
  keepWhole?: number[];
}

export function renderTable(s: Style, head: string[], rows: Array<Array<string | number>>, options: TableOptions = {}): string {
  const cells = rows.map((r) => r.map(String));
  const widths = fitColumns(head, cells, s.width, options.keepWhole ?? []);
  const fit = (text: string, i: number) => (widths ? wrapCell(text, widths[i]!) : text);
  const table = new Table({
    head: head.map((h, i) => fit(h, i).split('\n').map((line) => s.c.bold(line)).join('\n')),
    style: { head: [], border: [], compact: true, 'padding-left': 1, 'padding-right': 1 },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    ...(widths ? { colWidths: widths.map((w) => w + PADDING) } : {}),
  });
  for (const r of cells) table.push(r.map(fit));
  return table.toString();
}

/** Content widths that fit `width`, taken from the widest column first; null when the table fits as it is. */
function fitColumns(head: string[], cells: string[][], width: number, keepWhole: number[]): number[] | null {
  const column = (i: number) => [head[i]!, ...cells.map((r) => r[i] ?? '')];
  const widths = head.map((_, i) => Math.max(...column(i).map(visibleLength)));
  const frame = head.length + 1 + PADDING * head.length;
  let excess = widths.reduce((a, b) => a + b, 0) + frame - width;
  if (excess <= 0) return null;
  // Wrapping at spaces first: no column narrower than its longest word.
  excess = narrow(widths, head.map((_, i) => (keepWhole.includes(i) ? widths[i]! : Math.max(...column(i).map(longestWord)))), excess);
  // Then inside words, never below a header's longest word.
  narrow(widths, head.map((h) => Math.max(NARROWEST, longestWord(h))), excess);
  return widths;
}

function narrow(widths: number[], floor: number[], excess: number): number {
  while (excess > 0) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) if (widths[i]! > floor[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    if (widest < 0) break;
    widths[widest]!--;
    excess--;
  }
  return excess;
}

function longestWord(text: string): number {
  return Math.max(0, ...stripColour(text).split(/\s+/).map((w) => w.length));
}

/** A cell in lines of at most `width` columns (a cell that has to wrap loses its colour). */
function wrapCell(text: string, width: number): string {
  if (visibleLength(text) <= width) return text;
  const lines: string[] = [];
  let line = '';
  for (const word of stripColour(text).split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length <= width) {
      line = `${line} ${word}`;
      continue;
    }
    if (line) lines.push(line);
    const pieces = breakWord(word, width);
    line = pieces.pop()!;
    lines.push(...pieces);
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/** A word longer than `width` in pieces: before a ':' (an address and its port), after '.', '/', '-', ',' or ']', else anywhere. */
function breakWord(word: string, width: number): string[] {
  const pieces: string[] = [];
  let rest = word;
  while (rest.length > width) {
    let cut = width;
    while (cut > 1 && rest[cut] !== ':' && !'./-,]'.includes(rest[cut - 1]!)) cut--;
    if (cut <= 1) cut = width;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  pieces.push(rest);
  return pieces;
}
