// The README ships in the npm package: outside its Development section (which
// says it is about the repository) it points only at files the package has
// (package.json "files"), and every path it names anywhere exists in the
// repository (issue #20).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const files: string[] = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).files;
const [userPart, devPart] = readme.split('\n## Development\n');

/** Top-level folders and files of the repository a README path can start with. */
const REPO_ROOTS = /^(?:\.\/)?(src|test|scripts|bench|bin|dist|schemas|\.ci|node_modules\/tcpdiag)\//;

/** Relative link targets and backticked paths under the repository's folders. */
function pathsIn(text: string): string[] {
  const links = [...text.matchAll(/\]\(([^)#\s]+)\)/g)].map((m) => m[1]!).filter((p) => !/^[a-z]+:/.test(p));
  const ticked = [...text.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!).filter((p) => REPO_ROOTS.test(p));
  return [...new Set([...links, ...ticked])];
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

describe('README paths', () => {
  it('the part every user reads points only at files the package ships', () => {
    expect(devPart).toBeDefined();
    expect(pathsIn(userPart!).filter((p) => !shipped(p))).toEqual([]);
  });

  it('every path it names exists in the repository', () => {
    const missing = pathsIn(readme).filter((p) => !existsSync(join(ROOT, fixedPart(p))));
    expect(missing).toEqual([]);
  });
});
