// No two modules under src/ import each other, directly or around a longer
// loop, type-only imports included (DESIGN.md: imports flow one way; types two
// layers share live where both can import them). Read from the import and
// re-export lines, so a cycle is caught before anything runs.
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, sourceFiles, SRC } from '../helpers/src-imports.js';

/** Every cycle's modules (strongly connected components of more than one module, or a module importing itself). */
function findCycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)!.includes(v)) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

describe('imports under src/', () => {
  const files = sourceFiles(SRC);
  const known = new Set(files);
  const graph = new Map(files.map((f) => [f, importsOf(f, known)]));

  it('are read (the reader finds the imports it should)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(graph.get(join(SRC, 'probes', 'connect.ts'))).toContain(join(SRC, 'net', 'timed-connect.ts'));
  });

  it('form no cycle, type-only imports included', () => {
    expect(findCycles(graph).map((c) => c.map((f) => relative(SRC, f)))).toEqual([]);
  });

  it('the cycle finder finds a loop of three and a module importing itself', () => {
    const g = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['d']], ['e', ['a']]]);
    expect(findCycles(g)).toEqual(expect.arrayContaining([['a', 'b', 'c'], ['d']]));
    expect(findCycles(g)).toHaveLength(2);
  });
});
