// Small text helpers for human output: wrapping at the terminal width and
// section headings. Tables go through cli-table3 (render/table.ts).

import type { Style } from './style.js';

/** Words of `text` in lines of at most `width` columns: the first line starts with `indent`, the rest with `rest`. */
export function wrap(text: string, width: number, indent: string, rest: string = indent): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    const lead = lines.length === 0 ? indent : rest;
    if (line && lead.length + line.length + 1 + w.length > width) {
      lines.push(lead + line);
      line = w;
    } else {
      line = line ? `${line} ${w}` : w;
    }
  }
  if (line) lines.push((lines.length === 0 ? indent : rest) + line);
  return lines.join('\n');
}

/**
 * A line and a dim note after it ("  file.txt  (netsh-dynamicport)") when both
 * fit the width; otherwise the note goes on the lines below, indented by `under`.
 */
export function withNote(s: Style, line: string, note: string, under: string): string {
  if (!note) return line;
  if (visibleLength(line) + 2 + note.length <= s.width) return `${line}  ${s.c.dim(note)}`;
  return `${line}\n${s.c.dim(wrap(note, s.width, under))}`;
}

export function heading(s: Style, text: string): string {
  return s.c.bold(text);
}

/** Columns the terminal shows for `text`: colour codes take none. */
export function visibleLength(text: string): number {
  return stripColour(text).length;
}

export function stripColour(text: string): string {
  // eslint-disable-next-line no-control-regex -- strips colour codes to measure what the terminal shows
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
