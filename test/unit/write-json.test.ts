// The chunked JSON writer must produce exactly the document JSON.stringify would describe.
import { describe, expect, it } from 'vitest';
import { writeJson } from '../../src/cli/output.js';
import type { Report } from '../../src/report/types.js';

function report(rows: unknown[] | null): Report<unknown> {
  return {
    tool: 'tcpdiag', version: '0', command: 'sockets', platform: { os: 'linux', release: 'r', node: 'v' },
    startedAt: 't', durationMs: 1, verdict: 'ok', summary: 's "quoted"', findings: [],
    data: rows === null ? { other: 1 } : { rows, after: { n: rows.length } },
  };
}

function written(r: Report<unknown>): string {
  const chunks: string[] = [];
  writeJson(r, (c) => chunks.push(c));
  return chunks.join('');
}

describe('writeJson', () => {
  it.each([0, 1, 1999, 2000, 2001, 4500])('round-trips a report with %i rows', (n) => {
    const rows = Array.from({ length: n }, (_, i) => ({ i, s: `row "${i}"\n`, nested: { a: [i] } }));
    const r = report(rows);
    const text = written(r);
    expect(JSON.parse(text)).toEqual(r);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('pretty-prints reports without rows', () => {
    const r = report(null);
    expect(written(r)).toBe(`${JSON.stringify(r, null, 2)}\n`);
  });
});
