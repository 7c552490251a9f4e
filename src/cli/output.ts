// Writes a finished report: one JSON document on stdout with --json, Prometheus
// metrics with --format prometheus (doctor, sockets), the human rendering
// otherwise. Progress and errors never go to stdout.

import { makeStyle, chooseColorLevel, type Style } from '../render/style.js';
import type { Report } from '../report/types.js';

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
  if (flags.json) writeJson(report, (chunk) => process.stdout.write(chunk));
  else if (flags.format === 'prometheus' && render.metrics) process.stdout.write(await render.metrics(report));
  else process.stdout.write(await render.human(styleFor(flags), report));
}

const ROWS_MARK = '\u0000rows\u0000';
const ROWS_PER_CHUNK = 2000;

/**
 * The report as one JSON document. A `data.rows` array (100,000 sockets on a
 * busy host) is written in chunks of compact rows, a chunk per line, instead
 * of as one giant pretty string: that halves peak memory, and one
 * JSON.stringify per chunk costs half of one per row (measured, bench/sockets).
 */
export function writeJson(report: Report<unknown>, write: (chunk: string) => void): void {
  const data = report.data as { rows?: unknown[] } | null;
  if (!data || !Array.isArray(data.rows)) {
    write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const rows = data.rows;
  const [head, tail] = JSON.stringify({ ...report, data: { ...data, rows: ROWS_MARK } }, null, 2).split(JSON.stringify(ROWS_MARK));
  write(`${head}[`);
  for (let i = 0; i < rows.length; i += ROWS_PER_CHUNK) {
    write(`${i > 0 ? ',' : ''}\n      ${JSON.stringify(rows.slice(i, i + ROWS_PER_CHUNK)).slice(1, -1)}`);
  }
  write(`${rows.length ? '\n    ' : ''}]${tail}\n`);
}
