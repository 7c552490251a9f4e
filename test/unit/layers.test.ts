// The layers of ARCHITECTURE.md, kept: the bottom (os/, net/, report/ but its
// schemas, text/, lifecycle/) imports nothing above it; only os/index.ts picks
// a backend, and backends are reached only through it (and the captured
// backend by doctor --from); probes and explainers never print.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, sourceFiles, SRC } from '../helpers/src-imports.js';

const files = sourceFiles(SRC);
const known = new Set(files);
const rel = (f: string) => relative(SRC, f);
const folder = (f: string) => rel(f).split('/')[0]!;
const edges = files.flatMap((f) => importsOf(f, known).map((to) => [rel(f), rel(to)] as const));

const BOTTOM = new Set(['os', 'net', 'report', 'text', 'lifecycle']);
const ABOVE = new Set(['cli', 'probes', 'explain', 'render', 'input', 'doctor', 'race', 'keepalive', 'sockets', 'sea']);

describe('layers (ARCHITECTURE.md)', () => {
  it('the bottom layers import nothing above them (report/schemas, read only by the schema generator and tests, excepted)', () => {
    const up = edges.filter(([from, to]) => BOTTOM.has(folder(from)) && !from.startsWith('report/schemas/') && ABOVE.has(to.split('/')[0]!));
    expect(up).toEqual([]);
  });

  it("an OS backend's folder is reached only through os/index.ts (the one switch), the captured backend also by doctor", () => {
    const backends = /^os\/(linux|windows|bsd|captured)\//;
    const reached = edges.filter(([from, to]) => backends.test(to) && !from.startsWith(to.split('/').slice(0, 2).join('/')) && from !== 'os/index.ts');
    // The captured backend is doctor --from's; what Windows' registry values mean is read by
    // Windows' doctor checks, connect-race's explanation and the captured backend (a reg export).
    const allowed = (from: string, to: string) =>
      (to.startsWith('os/captured/') && /^(probes\/doctor|input\/)/.test(from)) ||
      (to === 'os/windows/tcpip-values.ts' && /^(explain\/|doctor\/|probes\/connect-race|os\/captured\/)/.test(from));
    expect(reached.filter(([from, to]) => !allowed(from, to))).toEqual([]);
  });

  it('probes, explainers and the race never write to stdout or stderr themselves (the helper process excepted: it is a program of its own)', () => {
    const printing = files.filter((f) => /^(probes|explain|race)\//.test(rel(f)) && rel(f) !== 'race/helper-process.ts' && /process\.(stdout|stderr)\.write|console\.(log|error|warn)/.test(readFileSync(f, 'utf8')));
    expect(printing.map(rel)).toEqual([]);
  });
});
