// Every flag of every command is on its page of docs/commands/ (issue #17),
// or on the pages every command shares: docs/commands/README.md (--json,
// --quiet, ...) and docs/captured-input.md (--from and its limits). The
// flags are the real program's (src/cli/program.ts), so a flag added to a
// command without a word in its docs fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { ROOT } from '../helpers/docs.js';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const shared = read('docs/commands/README.md') + read('docs/captured-input.md');

const visible = (c: Command) => !(c as Command & { _hidden?: boolean })._hidden && c.name() !== 'help';
/** Each command with options, and the top-level command whose page it belongs on. */
function commands(): { path: string; page: string; cmd: Command }[] {
  const out: { path: string; page: string; cmd: Command }[] = [];
  for (const top of buildProgram().commands.filter(visible)) {
    out.push({ path: top.name(), page: top.name(), cmd: top });
    for (const sub of top.commands.filter(visible)) out.push({ path: `${top.name()} ${sub.name()}`, page: top.name(), cmd: sub });
  }
  return out;
}

const mentions = (text: string, flag: string) => new RegExp(`(?<![\\w-])${flag}(?![\\w-])`).test(text);

describe('flags in docs/commands/', () => {
  const all = commands();

  it('every command has a page', () => {
    expect(all.length).toBeGreaterThanOrEqual(12);
    for (const c of all) expect(() => read(`docs/commands/${c.page}.md`), c.path).not.toThrow();
  });

  it.each(all.map((c) => [c.path, c] as const))('%s: every flag is documented', (_, c) => {
    const page = read(`docs/commands/${c.page}.md`);
    const flags = c.cmd.options.map((o) => o.long).filter((l): l is string => l !== undefined);
    expect(flags.filter((f) => !mentions(page, f) && !mentions(shared, f))).toEqual([]);
  });
});
