// The README and docs/ ship in the npm package (package.json "files"): the
// part every user reads points only at files the package has, and every path
// the pages name anywhere exists in the repository (issues #17, #20). The
// part about the source repository (docs/development.md, and a page's
// "Development" or "In the source repository" section) may name any file of
// the repository.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isExternal, linkTargets, readPages, resolveLink, ROOT, splitFences, splitRepositoryPart, type Page } from '../helpers/docs.js';

const files: string[] = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).files;
const pages = readPages();

/** Top-level folders a path in the text can start with. */
const REPO_ROOTS = /^(?:\.\/)?(?:src|test|scripts|bench|bin|dist|docs|schemas|\.ci|node_modules\/tcpdiag)\//;

/** "see test/live/x.test.ts." -> "test/live/x.test.ts" */
function withoutTrailingPunctuation(p: string): string {
  let end = p.length;
  while (end > 0 && (p[end - 1] === '.' || p[end - 1] === ',')) end--;
  return p.slice(0, end);
}

/** Paths a part of a page names: its relative links (resolved), backticked paths, and bare ones in prose. */
function pathsIn(page: Page, text: string): string[] {
  const { prose } = splitFences(text);
  const links = linkTargets(prose)
    .filter((t) => !isExternal(t))
    .map((t) => resolveLink(page, t).path);
  const ticked = [...prose.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!).filter((p) => REPO_ROOTS.test(p));
  const bare = [...prose.replace(/`[^`]*`/g, '').matchAll(/(?:^|[\s(])((?:src|test|scripts|bench|\.ci)\/[\w./*<>-]+)/gm)].map((m) => withoutTrailingPunctuation(m[1]!));
  return [...new Set([...links, ...ticked, ...bare])];
}

const shipped = (p: string) => {
  const inPackage = p.replace(/^node_modules\/tcpdiag\//, '');
  return inPackage === 'README.md' || inPackage === 'package.json' || files.some((f) => inPackage.startsWith(f.endsWith('/') ? f : `${f}/`) || inPackage === f);
};

/** The fixed part of a path pattern ("schemas/*.schema.json" -> "schemas/"). */
const fixedPart = (p: string) => {
  const wild = p.search(/[*<]/);
  const slash = wild < 0 ? -1 : p.lastIndexOf('/', wild);
  const head = slash < 0 ? p : p.slice(0, slash + 1);
  return head.replace(/^node_modules\/tcpdiag\//, '');
};

describe('paths in the README and docs/', () => {
  it('docs/ ships with the README', () => {
    expect(files).toContain('docs/');
    expect(pages.map((p) => p.path)).toEqual(expect.arrayContaining(['README.md', 'docs/json.md', 'docs/platforms.md', 'docs/development.md']));
  });

  it('the README keeps its part about the repository apart', () => {
    expect(splitRepositoryPart(pages[0]!).repository).not.toBe('');
  });

  it.each(pages.map((p) => [p.path, p] as const))('%s: the part every user reads points only at files the package ships', (_, page) => {
    const { user } = splitRepositoryPart(page);
    expect(pathsIn(page, user).filter((p) => !shipped(p))).toEqual([]);
  });

  it.each(pages.map((p) => [p.path, p] as const))('%s: every path it names exists in the repository', (_, page) => {
    const missing = pathsIn(page, page.text).filter((p) => !existsSync(join(ROOT, fixedPart(p))));
    expect(missing).toEqual([]);
  });
});
