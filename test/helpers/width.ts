// Human output in an 80-column terminal: the lines that would not fit.
// Remedy commands are exempt (they are never wrapped, so they paste whole):
// the lines under a "fix:" heading, indented deeper than it.
import { makeStyle, type Style } from '../../src/render/style.js';
import type { Report } from '../../src/report/types.js';

// eslint-disable-next-line no-control-regex -- colour codes take no columns
const COLOUR = /\u001b\[[0-9;]*m/g;

/** The text without colour codes. */
export function plain(text: string): string {
  return text.replace(COLOUR, '');
}

/** Lines wider than `width` columns (counted in characters, not bytes), as "<columns>: <line>". */
export function linesWiderThan(text: string, width = 80): string[] {
  const wide: string[] = [];
  let fixIndent: number | null = null;
  for (const raw of plain(text).split('\n')) {
    const indent = raw.length - raw.trimStart().length;
    if (fixIndent !== null && raw.trim() !== '' && indent > fixIndent) continue;
    fixIndent = raw.trim() === 'fix:' ? indent : null;
    const columns = [...raw].length;
    if (columns > width) wide.push(`${columns}: ${raw}`);
  }
  return wide;
}

/**
 * The human rendering of a real report, as a non-terminal stdout gets it (80
 * columns, no colour): for live tests that already ran the command with --json,
 * so the width is checked without a second slow run.
 */
export function humanOutput<D>(render: (s: Style, r: Report<D>) => string, report: Report<D>): string {
  return render(makeStyle(0, undefined), report);
}
