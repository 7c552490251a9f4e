// Every relative link of the README and docs/ leads somewhere (issue #17): to
// a file of the repository, and where it names an anchor, to a heading of
// that page as GitHub names it. Links to other sites are not followed here.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { headingAnchors, isExternal, linkTargets, readPages, resolveLink, ROOT, splitFences } from '../helpers/docs.js';

const pages = readPages();
const anchorsOf = new Map<string, Set<string>>();
const anchors = (path: string) => {
  let a = anchorsOf.get(path);
  if (!a) anchorsOf.set(path, (a = headingAnchors(readFileSync(join(ROOT, path), 'utf8'))));
  return a;
};

describe('links in the README and docs/', () => {
  it('GitHub anchors as the links expect them', () => {
    const a = headingAnchors('# `tcpdiag bind <port>`\n## `--from FILE`: captured output\n## Exit codes\n## Exit codes\n```sh\n# not a heading\n```\n');
    expect([...a]).toEqual(['tcpdiag-bind-port', '--from-file-captured-output', 'exit-codes', 'exit-codes-1']);
  });

  it('the README links to every page of docs/', () => {
    const linked = new Set<string>();
    const visit = (path: string) => {
      if (linked.has(path) || !path.endsWith('.md') || !existsSync(join(ROOT, path))) return;
      linked.add(path);
      const page = { path, text: readFileSync(join(ROOT, path), 'utf8') };
      for (const t of linkTargets(splitFences(page.text).prose)) if (!isExternal(t)) visit(resolveLink(page, t).path);
    };
    visit('README.md');
    expect(pages.map((p) => p.path).filter((p) => !linked.has(p))).toEqual([]);
  });

  it.each(pages.map((p) => [p.path, p] as const))('%s: relative links resolve to files and headings', (_, page) => {
    const targets = linkTargets(splitFences(page.text).prose).filter((t) => !isExternal(t));
    const dead = targets.filter((t) => {
      const { path, anchor } = resolveLink(page, t);
      if (path.startsWith('..') || !existsSync(join(ROOT, path)) || !statSync(join(ROOT, path)).isFile()) return true;
      return anchor !== '' && !(path.endsWith('.md') && anchors(path).has(anchor));
    });
    expect(dead).toEqual([]);
  });
});
