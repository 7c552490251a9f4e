// Parsers as line readers: fed one line at a time, so one input can hold
// several outputs (a ticket with netstat and netsh pasted together, issue #20)
// and each part goes to the reader of its format, and so a large input is read
// in slices with the event loop free between them (Ctrl-C works, issue #22).
//
// A line a reader cannot take is reported by throwing a RowError:
//  - "refused": a value that cannot be true (999.999.999.999, port 70000,
//    pid 0x10): the whole input is bad input, exit 2, naming the line;
//  - "unread": a row that is cut short or has the wrong number of fields:
//    the rest is read, and the row is reported as not read (never dropped
//    silently; the verdict then says what it did not judge).

import { ParseError, splitLines } from './text.js';

export interface LineReader<R> {
  /**
   * Whether a line belongs to this reader's section (a row, a header, a line
   * that goes with a row). Lines no section claims are held until the next
   * claimed line, or go with a section another format opens.
   */
  claims(line: string): boolean;
  /** One line, without its line end; `no` is its 1-based number in the input. Throws RowError for a line it cannot take. */
  line(text: string, no: number): void;
  /** The result, after the last line. */
  end(): R;
  /** Rows found not read only at the end (a block the input cut off), after end(). */
  lateUnread?(): UnreadLine[];
}

export class RowError extends Error {
  override name = 'RowError';
  constructor(
    readonly kind: 'refused' | 'unread',
    message: string,
  ) {
    super(message);
  }
}

/** A value that cannot be true: the input is refused (exit 2) at this line. */
export function refuse(message: string): RowError {
  return new RowError('refused', message);
}

/** A row that cannot be read (cut short, fields missing): reported, and the rest is read. */
export function unreadable(message: string): RowError {
  return new RowError('unread', message);
}

export interface UnreadLine {
  /** 1-based line number in the input. */
  line: number;
  /** Why it could not be read. */
  reason: string;
}

/** At most this many characters of a bad line are echoed (issue #22: a 1 MB line once came back whole). */
const EXCERPT = 80;

/** A line as it may be shown: control characters escaped, cut to ~80 characters. */
export function excerpt(line: string): string {
  const t = escapeControls(line.trim());
  return t.length > EXCERPT ? `${t.slice(0, EXCERPT - 1)}…` : t;
}

/** Control characters as \n, \t, \xHH: a name or a line never splits an error line or drives a terminal. */
export function escapeControls(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x1f\x7f]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** The ParseError a refused line becomes: the format, the line number, why, and the line itself (shortened). */
export function refusedLine(format: string, no: number, text: string, err: Error): ParseError {
  return new ParseError(format, `line ${no}: ${err.message}: "${excerpt(text)}"`);
}

/**
 * Feeds every line of `text` to `reader`, for callers that have one output
 * of a known format (live backends, tests). Refused lines throw a ParseError;
 * unread rows are returned for the caller to note.
 */
export function readAllLines<R>(format: string, reader: LineReader<R>, text: string): { result: R; unread: UnreadLine[] } {
  const unread: UnreadLine[] = [];
  splitLines(text).forEach((line, i) => {
    try {
      reader.line(line, i + 1);
    } catch (err) {
      if (err instanceof RowError && err.kind === 'unread') unread.push({ line: i + 1, reason: `${err.message}: "${excerpt(line)}"` });
      else if (err instanceof RowError || err instanceof ParseError) throw refusedLine(format, i + 1, line, err);
      else throw err;
    }
  });
  const result = reader.end();
  unread.push(...(reader.lateUnread?.() ?? []));
  return { result, unread: unread.sort((a, b) => a.line - b.line) };
}

/** Notes for rows that could not be read, one per row (live output keeps them in the table's notes). */
export function unreadNotes(source: string, unread: readonly UnreadLine[]): string[] {
  return unread.map((u) => `${source} line ${u.line}: not read: ${u.reason}`);
}
