// BSD/macOS `sysctl` output: "name: value" lines (FreeBSD also "name=value"
// in sysctl.conf style), shell prompts and other text ignored. `sysctl -w
// name=value` prints "name: old -> new"; the new value is the one in force.
// When a paste holds several runs, the last value of a name wins.

import { splitLines } from './text.js';

const LINE = /^([a-z][\w.]*)\s*[:=]\s*(?:-?\d+\s*->\s*)?(-?\d+)\s*$/;

/** Every numeric sysctl value in the text, by name. */
export function parseSysctlValues(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of splitLines(text)) {
    const m = LINE.exec(line.trim());
    if (m) values.set(m[1]!, Number(m[2]));
  }
  return values;
}
