// The import graph of src/, read from import and re-export lines (static and
// import() alike): for the tests that keep its shape (import-cycles, layers).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const SRC = join(__dirname, '..', '..', 'src');

export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|cts)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Relative modules a file imports or re-exports (static and `import()` alike), as paths of files under src/. */
export function importsOf(file: string, known: ReadonlySet<string>): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/^[ \t]*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/gm), ...text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g), ...text.matchAll(/^[ \t]*import\s*['"]([^'"]+)['"]/gm)]
    .map((m) => m[1]!)
    .filter((s) => s.startsWith('.'));
  return specs.map((s) => {
    const base = resolve(dirname(file), s).replace(/\.(js|mjs|cjs)$/, '');
    const found = ['.ts', '.mts', '.cts', '/index.ts'].map((ext) => base + ext).find((p) => known.has(p));
    if (!found) throw new Error(`${relative(SRC, file)} imports ${s}, which is not a file under src/`);
    return found;
  });
}
