// Writes a finished report: one JSON document on stdout with --json, the human
// rendering otherwise. Progress and errors never go to stdout.

import { makeStyle, chooseColorLevel, type Style } from '../render/style.js';
import type { Report } from '../report/types.js';

export interface OutputFlags {
  json?: boolean;
  color?: boolean;
}

export function styleFor(flags: OutputFlags): Style {
  const level = chooseColorLevel(flags.color === false, process.env, Boolean(process.stdout.isTTY));
  return makeStyle(level, process.stdout.columns);
}

export async function writeReport<D>(
  flags: OutputFlags,
  report: Report<D>,
  renderHuman: (s: Style, r: Report<D>) => string | Promise<string>,
): Promise<void> {
  process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : await renderHuman(styleFor(flags), report));
}
