// Windows registry values as a section of a --from input (input/section-
// formats.ts): `reg query ... /s` output or a `.reg` export, alone or pasted
// with netstat and netsh output. The lines are collected and read whole by
// the one registry parser (windows-registry.ts) at the section's end.

import type { LineReader, UnreadLine } from './line-reader.js';
import { ParseError } from './text.js';
import { parseRegistryText, type RegistryText } from './windows-registry.js';

const EXPORT_HEADER = /^\uFEFF?(?:Windows Registry Editor Version 5\.00|REGEDIT4)\s*$/;
const EXPORT_KEY = /^\[-?HKEY_[A-Z_]+(?:\\[^\]]*)?\]\s*$/i;
const QUERY_KEY = /^(?:HKEY_[A-Z_]+|HKLM)\\\S/i;
const QUERY_VALUE = /^ {4}\S.*? {4}REG_[A-Z_]+/;

/** Whether a registry section opens at line i: an export header or key, or a reg query key with a value line under it. */
export function opensRegistry(lines: readonly string[], i: number): boolean {
  const line = lines[i]!.trim();
  if (EXPORT_HEADER.test(line) || EXPORT_KEY.test(line)) return true;
  return QUERY_KEY.test(line) && QUERY_VALUE.test(lines[i + 1] ?? '');
}

/**
 * Whether line i starts another registry output inside an open one (opened at
 * line `opener`): an export's heading ("Windows Registry Editor Version 5.00")
 * wherever it is, or the other kind of output than the one open (an export's
 * [KEY] under reg query output, a reg query key and value under an export).
 * One parser reads a section as one kind, so each output is a section.
 */
export function reopensRegistry(lines: readonly string[], i: number, opener: number): boolean {
  if (i === opener) return false;
  const line = lines[i]!.trim();
  if (EXPORT_HEADER.test(line)) return true;
  const exportOpen = EXPORT_HEADER.test(lines[opener]!.trim()) || EXPORT_KEY.test(lines[opener]!.trim());
  if (exportOpen) return QUERY_KEY.test(line) && QUERY_VALUE.test(lines[i + 1] ?? '');
  return EXPORT_KEY.test(line);
}

/** Lines that belong to registry text: keys, values, continuations, comments, blanks. */
function isRegistryLine(line: string): boolean {
  const t = line.trim();
  return (
    t === '' ||
    EXPORT_HEADER.test(t) ||
    EXPORT_KEY.test(t) ||
    QUERY_KEY.test(t) ||
    QUERY_VALUE.test(line) ||
    /^(?:"[^"]*"|@)=/.test(t) || // a .reg value
    /^[0-9a-f]{2}(?:,[0-9a-f]{2})*,?\\?$/i.test(t) || // a hex value's continuation
    t.startsWith(';')
  );
}

export function createRegistryReader(): LineReader<RegistryText> {
  const collected: string[] = [];
  let first = 0;
  let unread: UnreadLine[] = [];
  return {
    claims: isRegistryLine,
    line(text, no) {
      if (first === 0) first = no;
      collected.push(text);
    },
    // Blank lines before the section keep the parser's line numbers those of the input.
    end: () => {
      const r = parseRegistryText('\n'.repeat(Math.max(0, first - 1)) + collected.join('\n'));
      // A value line whose data cannot be read is a row not read; when no value at all could be read, nothing
      // in the section was, and it is refused with its first bad line as before (a .reg regedit would refuse).
      if (r.values.length === 0 && r.unread.length > 0) throw new ParseError('registry', `line ${r.unread[0]!.line}: ${r.unread[0]!.reason.replace(/^[^:]*: /, '')}`);
      unread = r.unread;
      return r;
    },
    lateUnread: () => unread,
  };
}
