// Small text helpers for human output: wrapping at the terminal width and
// section headings. Tables go through cli-table3 (render/table.ts).

import type { Style } from './style.js';

export function wrap(text: string, width: number, indent: string): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && indent.length + line.length + 1 + w.length > width) {
      lines.push(indent + line);
      line = w;
    } else {
      line = line ? `${line} ${w}` : w;
    }
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

export function heading(s: Style, text: string): string {
  return s.c.bold(text);
}
