// "What people paste" (issue #15; docs/captured-input.md, once the README's)
// stays in step with the code: every pasted example in it is a real capture (its lines are in a fixture), reads
// with nothing left over, and gives what the sentence after it says ("reads as
// a `LISTEN` socket on [::]:49678 owned by pid 4092") or the JSON row shown.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCapturedInputs } from '../../src/input/parse-captured.js';
import type { SocketRow } from '../../src/os/sockets.js';
import { formatEndpoint } from '../../src/sockets/address.js';
import { FIXTURES } from '../helpers/fixtures.js';

const page = readFileSync(join(__dirname, '..', '..', 'docs', 'captured-input.md'), 'utf8');
const start = page.indexOf('\n## What people paste\n');
const section = page.slice(start, page.indexOf('\n## Limits\n', start));

interface Block {
  lang: string;
  body: string;
  /** The prose up to the next block. */
  after: string;
  /** The block right after this one, when only blanks stand between them. */
  next?: Block;
}

function blocks(text: string): Block[] {
  const out: Block[] = [];
  const fence = /^ *```(\w*)\n([\s\S]*?)^ *```\n/gm;
  const found = [...text.matchAll(fence)];
  found.forEach((m, i) => {
    const end = m.index + m[0].length;
    const next = found[i + 1]?.index ?? text.length;
    out.push({ lang: m[1]!, body: m[2]!.replace(/^ {2}/gm, ''), after: text.slice(end, next) });
  });
  out.forEach((b, i) => {
    if (b.after.trim() === '' && out[i + 1]) b.next = out[i + 1];
  });
  return out;
}

const squeeze = (line: string) => line.trim().split(/\s+/).join(' ');

/** Every fixture line, blanks squeezed: an example is a real capture when its lines are all here. */
function fixtureLines(): Set<string> {
  const lines = new Set<string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.txt')) for (const l of readFileSync(path, 'latin1').split(/\r?\n/)) lines.add(squeeze(Buffer.from(l, 'latin1').toString('utf8')));
    }
  };
  walk(FIXTURES);
  return lines;
}

const pasted = blocks(section).filter((b) => b.lang === 'text' && !b.body.split('\n', 1)[0]!.includes('tcpdiag '));

async function rowsOf(body: string): Promise<SocketRow[]> {
  const c = await parseCapturedInputs({ texts: [{ file: 'readme', text: body }], duplicates: [] });
  expect(c.sources.flatMap((s) => s.unread)).toEqual([]);
  return c.parts.flatMap((p) => (p.kind === 'table' ? p.table.rows : []));
}

describe('docs/captured-input.md "What people paste"', () => {
  it('has its examples', () => {
    expect(start).toBeGreaterThan(0);
    expect(pasted.length).toBeGreaterThanOrEqual(4);
  });

  it.each(pasted.map((b) => [b.body.split('\n', 1)[0]!, b] as const))('%s: a real capture', (_, b) => {
    const known = fixtureLines();
    for (const line of b.body.split('\n').filter((l) => l.trim() !== '')) expect(known, line).toContain(squeeze(line));
  });

  it.each(pasted.map((b) => [b.body.split('\n', 1)[0]!, b] as const))('%s: reads as it says', async (_, b) => {
    const rows = await rowsOf(b.body);
    expect(rows.length).toBeGreaterThan(0);
    const json = b.next?.lang === 'json' ? b.next : undefined;
    const said = /reads as (?:one|a) `(\w+)` socket (?:on )?(\S+?)(?: → (\S+?))?(?: owned by (?:pid (\d+)|(\S+) \(pid (\d+)\)))?\.(?:\s|$)/.exec(b.after);
    expect(json ?? said, 'a JSON row or a "reads as" sentence after the example').toBeTruthy();
    if (json) expect(rows.map((r) => JSON.parse(JSON.stringify(r)))).toContainEqual(JSON.parse(json.body));
    if (said) {
      const [, state, local, remote, pid, process, processPid] = said;
      const match = rows.filter((r) => r.state === state && formatEndpoint(r.local) === local && (remote === undefined || formatEndpoint(r.remote) === remote));
      expect(match, said[0]).toHaveLength(1);
      if (pid) expect(match[0]!.pid).toBe(Number(pid));
      if (processPid) expect([match[0]!.pid, match[0]!.process]).toEqual([Number(processPid), process]);
    }
  });
});
