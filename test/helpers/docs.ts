// The documentation as its tests read it (issue #17): the README and every
// page under docs/, split into prose and fenced code blocks, with the links
// of the prose and the anchors GitHub makes of each page's headings.
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

export interface Page {
  /** Repository-relative, with forward slashes: "README.md", "docs/commands/bind.md". */
  path: string;
  text: string;
}

export interface Fence {
  lang: string;
  lines: string[];
}

/** README.md and docs/**\/*.md, in a stable order. */
export function readPages(): Page[] {
  const paths = ['README.md'];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) paths.push(path);
    }
  };
  walk('docs');
  return paths.map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));
}

/** A page's prose (fenced blocks blanked, line numbers kept) and its fenced blocks. */
export function splitFences(text: string): { prose: string; fences: Fence[] } {
  const prose: string[] = [];
  const fences: Fence[] = [];
  let open: Fence | null = null;
  for (const line of text.split('\n')) {
    const fence = /^ *```(\S*)/.exec(line);
    if (fence) {
      if (open) {
        fences.push(open);
        open = null;
      } else open = { lang: fence[1]!, lines: [] };
      prose.push('');
    } else if (open) {
      open.lines.push(line);
      prose.push('');
    } else prose.push(line);
  }
  return { prose: prose.join('\n'), fences };
}

/** Inline code spans of prose (a span may run over a line end, as in Markdown). */
export function codeSpans(prose: string): string[] {
  return [...prose.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\n/g, ' '));
}

/** Targets of the prose's inline links, `[text](target)`, code spans taken out first. */
export function linkTargets(prose: string): string[] {
  const bare = prose.replace(/`[^`]*`/g, 'code');
  return [...bare.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

/** The anchors GitHub gives a page's headings: "## `--from FILE`: captured output" -> "--from-file-captured-output". */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of splitFences(text).prose.split('\n')) {
    const h = /^#{1,6} (.+)$/.exec(line);
    if (!h) continue;
    const words = h[1]!
      .replace(/\[([^[\]]*)\]\([^()]*\)/g, '$1')
      .replace(/`/g, '')
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(words) ?? 0;
    seen.set(words, n + 1);
    anchors.add(n === 0 ? words : `${words}-${n}`);
  }
  return anchors;
}

/**
 * The part of a page about the source repository (not shipped code, tests,
 * scripts), which may name repository files: all of docs/development.md, and
 * elsewhere everything from a "## Development" or "## In the source
 * repository" heading on. The rest is what every user reads.
 */
export function splitRepositoryPart(page: Page): { user: string; repository: string } {
  if (page.path === 'docs/development.md') return { user: '', repository: page.text };
  const at = /^## (?:Development|In the source repository)$/m.exec(page.text);
  return at ? { user: page.text.slice(0, at.index), repository: page.text.slice(at.index) } : { user: page.text, repository: '' };
}

/** A link target resolved against its page: repository-relative path and anchor ('' for none). */
export function resolveLink(page: Page, target: string): { path: string; anchor: string } {
  const hash = target.indexOf('#');
  const file = hash < 0 ? target : target.slice(0, hash);
  const anchor = hash < 0 ? '' : decodeURIComponent(target.slice(hash + 1));
  const path = file === '' ? page.path : posix.normalize(posix.join(posix.dirname(page.path), decodeURIComponent(file)));
  return { path, anchor };
}

/** Links to other sites or by scheme (https:, mailto:) are not files of the repository. */
export const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);
