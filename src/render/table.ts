// cli-table3 with its own colours switched off (it colours headers red by
// default, ignoring NO_COLOR); headers are styled through our chalk instance.
// A table wider than the terminal gets its widest column narrowed and wrapped,
// so no row breaks across the screen edge (an 80-column terminal is the norm).

import Table from 'cli-table3';
import type { Style } from './style.js';

const PADDING = 2; // one space either side of a cell

export function renderTable(s: Style, head: string[], rows: Array<Array<string | number>>): string {
  const cells = rows.map((r) => r.map(String));
  const table = new Table({
    head: head.map((h) => s.c.bold(h)),
    style: { head: [], border: [], compact: true, 'padding-left': 1, 'padding-right': 1 },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    ...fitColumns(head, cells, s.width),
  });
  for (const r of cells) table.push(r);
  return table.toString();
}

/** Column widths that fit `width`, taken from the widest column first; {} when the table fits as it is. */
function fitColumns(head: string[], cells: string[][], width: number): { colWidths?: number[]; wordWrap?: boolean } {
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((r) => visibleLength(r[i] ?? ''))) + PADDING);
  const borders = head.length + 1;
  let excess = widths.reduce((a, b) => a + b, 0) + borders - width;
  if (excess <= 0) return {};
  const minimum = (i: number) => Math.max(head[i]!.length + PADDING, 8);
  while (excess > 0) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= minimum(widest)) break; // nothing left to take: let the terminal wrap
    widths[widest]!--;
    excess--;
  }
  return { colWidths: widths, wordWrap: true };
}

function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex -- strips colour codes to measure what the terminal shows
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}
