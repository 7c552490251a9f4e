// cli-table3 with its own colours switched off (it colours headers red by
// default, ignoring NO_COLOR); headers are styled through our chalk instance.

import Table from 'cli-table3';
import type { Style } from './style.js';

export function renderTable(s: Style, head: string[], rows: Array<Array<string | number>>): string {
  const table = new Table({
    head: head.map((h) => s.c.bold(h)),
    style: { head: [], border: [], compact: true, 'padding-left': 1, 'padding-right': 1 },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const r of rows) table.push(r.map(String));
  return table.toString();
}
