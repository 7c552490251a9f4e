// Writes schemas/<command>.schema.json, the JSON Schema (draft 2020-12) of
// every command's --json report, from the zod schemas in src/report/schemas/.
// The files are committed and shipped in the package; test/unit/json-schemas
// fails when they differ from what this script would write.
//
//   node scripts/gen-schemas.mjs          (npm run schemas) write them
//   node scripts/gen-schemas.mjs --check  exit 1 when a file is stale, missing or extra
//
// The TypeScript sources are bundled with esbuild to a temporary file first,
// as scripts/build.mjs bundles the CLI (zod included, so the schemas and
// z.toJSONSchema use one zod instance).
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'schemas');
const check = process.argv.includes('--check');

const tmp = mkdtempSync(join(tmpdir(), 'tcpdiag-schemas-'));
let files;
try {
  const bundle = join(tmp, 'schemas.mjs');
  await build({
    entryPoints: [join(root, 'src/report/schemas/index.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  ({ schemaFiles: files } = await import(pathToFileURL(bundle).href));
  files = files();
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const expected = new Map(files.map((f) => [f.file, f.text]));
let existing = [];
try {
  existing = readdirSync(outDir).filter((f) => f.endsWith('.schema.json'));
} catch {
  // no schemas/ yet
}

if (check) {
  const stale = [...expected].filter(([file, text]) => !existing.includes(file) || readFileSync(join(outDir, file), 'utf8') !== text).map(([file]) => file);
  const extra = existing.filter((f) => !expected.has(f));
  if (stale.length || extra.length) {
    console.error(`schemas/ is out of date (${[...stale.map((f) => `${f} differs or is missing`), ...extra.map((f) => `${f} is not generated`)].join('; ')}): run npm run schemas`);
    process.exit(1);
  }
} else {
  mkdirSync(outDir, { recursive: true });
  for (const f of existing) if (!expected.has(f)) rmSync(join(outDir, f));
  for (const [file, text] of expected) writeFileSync(join(outDir, file), text);
  console.error(`wrote ${expected.size} schema files to schemas/`);
}
