// Writes a finished report: one JSON document on stdout with --json, Prometheus
// metrics with --format prometheus (doctor, sockets), the human rendering
// otherwise. Progress and errors never go to stdout.

import { makeStyle, chooseColorLevel, type Style } from '../render/style.js';
import { writeSocketRowsJson } from '../report/socket-rows-json.js';
import type { Report } from '../report/types.js';
import type { CompactSocketTable, SocketRow } from '../os/sockets.js';

export interface OutputFlags {
  json?: boolean;
  color?: boolean;
  /** Set by commands that offer --format; --json is the same as --format json. */
  format?: 'text' | 'json' | 'prometheus';
}

export interface Renderers<D> {
  human: (s: Style, r: Report<D>) => string | Promise<string>;
  metrics?: (r: Report<D>) => string | Promise<string>;
}

export function styleFor(flags: OutputFlags): Style {
  const level = chooseColorLevel(flags.color === false, process.env, Boolean(process.stdout.isTTY));
  return makeStyle(level, process.stdout.columns);
}

export async function writeReport<D>(flags: OutputFlags, report: Report<D>, render: Renderers<D>): Promise<void> {
  // Nothing left pending means stdout took the chunk (sync for files and pipes on Linux): its memory can be reused.
  if (flags.json) writeJson(report, (chunk) => (process.stdout.write(chunk), process.stdout.writableLength === 0));
  else if (flags.format === 'prometheus' && render.metrics) process.stdout.write(await render.metrics(report));
  else process.stdout.write(await render.human(styleFor(flags), report));
}

const ROWS_MARK = '\u0000rows\u0000';
/** Rows sit at depth 3 of the pretty-printed document: report, data, rows. */
const ROW_INDENT = '      ';

/**
 * The report as one JSON document, pretty-printed, except that a `data.rows`
 * array of socket rows (100,000 on a busy host) has one compact row per line,
 * written as bytes (report/socket-rows-json.ts) rather than built as one giant
 * string: that is faster and keeps peak memory down.
 */
export function writeJson(report: Report<unknown>, write: (chunk: string | Uint8Array) => boolean): void {
  const data = report.data as { rows?: SocketRow[] | CompactSocketTable } | null;
  if (!data?.rows) {
    write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const rows = data.rows;
  const [head, tail] = JSON.stringify({ ...report, data: { ...data, rows: ROWS_MARK } }, null, 2).split(JSON.stringify(ROWS_MARK));
  write(`${head}[`);
  if (Array.isArray(rows)) writeSocketRowsJson(rows, ROW_INDENT, write);
  else rows.writeJsonRows(ROW_INDENT, write);
  write(`${rows.length ? '\n    ' : ''}]${tail}\n`);
}
