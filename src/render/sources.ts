// "Read from" in human output: each part of each --from input, with where it
// lies in its input and how many of its rows could not be read.

import type { InputSource } from '../input/parse-captured.js';
import type { Style } from './style.js';
import { heading, withNote } from './text.js';
import { formatLines } from '../text/words.js';

export function renderSources(s: Style, sources: readonly InputSource[]): string {
  return `${heading(s, 'Read from')}\n` + sources.map((x) => withNote(s, `  ${x.file}`, `(${describeSource(x)})`, '    ')).join('\n');
}

export function describeSource(x: InputSource): string {
  if (x.sameAs !== undefined) return `the same file as ${x.sameAs}: read once`;
  const where = x.lines ? `, ${formatLines(x.lines)}` : '';
  // A part that could not be read at all: what was tried (issue #15); Not judged says why.
  if (x.tried) return x.format === 'unknown' ? `rows in no format tcpdiag reads${where}: not read` : `${x.format}${where}: not read (tried ${x.tried.join(', ')})`;
  const unread = x.unread?.length ? `; ${x.unread.length === 1 ? '1 row' : `${x.unread.length} rows`} not read` : '';
  // A later capture of the same settings, or a later run of the same command, is used instead (input/later-captures.ts).
  const replaced = x.replacedBy ? `; not used: ${formatLines(x.replacedBy)} captured it again` : '';
  return `${x.format}${where}${unread}${replaced}`;
}
