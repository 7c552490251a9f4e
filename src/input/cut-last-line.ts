// The last line of an input that ends without a line end. A copy that stopped
// early stops anywhere, so that line may be cut in any value: a user trial
// found `users:(("java",pid=12` read as pid 12 (with `kill 12` as the
// remedy), "LISTENING 51" cut from 5120, and "LISTEN" with its PID gone read
// as a listener no process holds. Nothing in it is certain, so
// read-sections.ts does not read it as a row: it is reported as not read
// (sources[].unread), and every verdict that needs the whole input is left
// open by it.
//
// A whole paste saved without a final line end (editors do that) ends the
// same way. What can still be told of its last row: the token that prints
// its local port, when another token follows it (the copy went past the
// whitespace after it), so `bind` about another port need not be left open
// (cutLineGaps). A state cut mid-word ("LISTENI"), which the reader refuses,
// is completed from the rows before it to read that port.

import { RowError, type UnreadLine } from '../os/parse/line-reader.js';
import { ParseError } from '../os/parse/text.js';
import { NATIVE_STATE_KEYS, normaliseStateKey } from '../os/tcp-states.js';
import type { CutLastLine, Section, SectionFormat } from './section-formats.js';

export const CUT_LAST_REASON = 'the input ends in this line without a line end, so the copy may have cut it short anywhere (a PID, a state, an owner): it is not read';

/** What to do about it, for notJudged. */
const REMEDY = 'if the paste is whole, end it with a line end (or paste that line again) and run again';

/**
 * What a possibly cut last line would change, read by a fresh reader of its
 * section's format after `context` (the section's heading and the lines just
 * before it): nothing (a UDP row Windows netstat skips, a netsh footer), so
 * it may be read as it is; or something, so it is not read. Then the local
 * port of the row it adds, when the cut cannot have reached it: the token
 * that prints the port is not the line's last (the copy went past the
 * whitespace after it). Null for a service name, a lone port column, a line
 * that adds no row or changes the row before it (a PID a wrap moved).
 */
export function judgeLastLine(format: SectionFormat, file: string, context: readonly string[], text: string): { changes: boolean; localPort: number | null } {
  const before = readParts(format, file, context, null);
  const after = readParts(format, file, context, text);
  if (before === null) return { changes: true, localPort: null };
  if (after !== null && !after.lastUnread && after.parts === before.parts) return { changes: false, localPort: null };
  if (format.kind !== 'table') return { changes: true, localPort: null };
  const tokens = text.trim().split(/\s+/);
  // A line the reader refuses may be cut in its last word ("LISTENI"): the port is read from the line with that word whole.
  for (const line of after !== null ? [text] : completions(text, tokens.at(-1)!, context)) {
    const port = addedRowPort(before.rows, readParts(format, file, context, line));
    if (port === null) continue;
    const at = tokens.findIndex((t) => printsPort(t, port));
    return { changes: true, localPort: at >= 0 && at < tokens.length - 1 ? port : null };
  }
  return { changes: true, localPort: null };
}

/** The line with its last word completed to each longer word that the rows before it spell from it, or to a TCP state name (os/tcp-states.ts) it begins. */
function completions(text: string, last: string, context: readonly string[]): string[] {
  const stem = text.trimEnd().slice(0, text.trimEnd().length - last.length);
  const fromRows = new Set(context.flatMap((l) => l.trim().split(/\s+/)).filter((w) => w.length > last.length && w.startsWith(last)));
  const key = normaliseStateKey(last);
  const fromStates = NATIVE_STATE_KEYS.filter((k) => k.length > key.length && k.startsWith(key));
  return [...fromRows, ...fromStates].map((w) => stem + w);
}

/** The local port of the one row `after` adds to `before`'s; null when it adds none or several, or the reader refused. */
function addedRowPort(before: readonly string[], after: { rows: string[] } | null): number | null {
  if (after === null || after.rows.length !== before.length + 1) return null;
  const known = new Set(before);
  const added = after.rows.filter((r) => !known.has(r));
  return added.length === 1 ? (JSON.parse(added[0]!) as { local: { port: number } }).local.port : null;
}

/** A token ending in the port as the tools print it: ":8080", ".8080" (BSD), ":1F90" (procfs), or lsof's "host:8080->peer". */
function printsPort(token: string, port: number): boolean {
  if (port === 0) return false;
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return new RegExp(`[:.](?:${port}|${hex})(?:->|$)`, 'i').test(token);
}

/** What a reader gives for these lines (and `last` after them), as JSON; null when it refuses them. */
function readParts(format: SectionFormat, file: string, lines: readonly string[], last: string | null): { parts: string; rows: string[]; lastUnread: boolean } | null {
  const reader = format.create(file);
  let lastUnread = false;
  try {
    [...lines, ...(last === null ? [] : [last])].forEach((l, i) => {
      try {
        reader.line(l, i + 1);
      } catch (err) {
        if (!(err instanceof RowError && err.kind === 'unread')) throw err;
        if (i === lines.length) lastUnread = true;
      }
    });
    const parts = reader.end();
    lastUnread ||= last !== null && (reader.lateUnread?.() ?? []).some((u) => u.line === lines.length + 1);
    const rows = parts.flatMap((p) => (p.kind === 'table' ? p.table.rows.map((r) => JSON.stringify(r)) : []));
    // Notes aside: a skipped UDP row changes only the count a note gives.
    const json = JSON.stringify(parts, (k, v: unknown) => (k === 'notes' ? undefined : v instanceof Map ? [...v] : v instanceof Set ? [...v] : v));
    return { parts: json, rows, lastUnread };
  } catch (err) {
    if (err instanceof RowError || err instanceof ParseError) return null;
    throw err;
  }
}

/** The notJudged sentence for a section's cut last line, in every command's verdict unless cutLineGaps lets it off. */
export function describeCutLast(s: Section, file: string): string | null {
  if (!s.cutLast) return null;
  return `line ${s.cutLast.line} of ${file} (${s.format}), its last, was not read: the input ends in it without a line end, so the copy may have cut it short; ${REMEDY}`;
}

/** The unread entries of a section other than its cut last line (describeSection says those; describeCutLast this one). */
export function otherUnread(s: Section): UnreadLine[] {
  return s.cutLast ? s.unread.filter((u) => u.line !== s.cutLast!.line) : s.unread;
}

/** A cut last line as CapturedInput lists it: where, its row's local port when certain, and its notJudged sentence. */
export interface CutLine extends CutLastLine {
  file: string;
  notJudged: string;
}

/**
 * The input's notJudged for a question about one port: a cut last row
 * certainly on another port is not needed (a note says it was not read);
 * one certainly on this port is named as the possible holder; any other
 * keeps its sentence.
 */
export function cutLineGaps(captured: { notJudged: readonly string[]; cutLines?: readonly CutLine[] }, port: number): { notJudged: string[]; notes: string[] } {
  let notJudged = [...captured.notJudged];
  const notes: string[] = [];
  for (const c of captured.cutLines ?? []) {
    if (c.localPort === null) continue;
    const at = `line ${c.line} of ${c.file}, its last`;
    const sentence =
      c.localPort === port
        ? `who holds port ${port}: ${at}, is a socket on port ${port}, but the input ends in it without a line end, so its state and owner may be cut short and it was not read; ${REMEDY}`
        : null;
    if (sentence === null) notes.push(`${at}, was not read (the input ends in it without a line end, so it may be cut short): it is a socket on port ${c.localPort}, not ${port}, so this answer does not need it`);
    notJudged = notJudged.flatMap((s) => (s === c.notJudged ? (sentence ? [sentence] : []) : [s]));
  }
  return { notJudged, notes };
}
