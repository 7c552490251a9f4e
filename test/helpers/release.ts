// What `npm run dist` left in release/ (scripts/dist.mjs), for the tests of
// the shipped executables (test/sea, `npm run test:dist`). These tests are
// about those files: without them they fail, saying how to make them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const RELEASE = join(__dirname, '..', '..', 'release');

export interface Manifest {
  node: string;
  commit: string;
  executables: Array<{ target: string; file: string; archive: string; koffi: string | null; codeCache: boolean; madeFrom: Array<{ package: string; version: string; integrity: string }> }>;
  skipped: Array<{ target: string; reason: string }>;
  files: Array<{ name: string; bytes: number; sha256: string }>;
}

export function readManifest(): Manifest {
  const file = join(RELEASE, 'manifest.json');
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run dist\` before \`npm run test:dist\``);
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
}

/** The executable of a target, failing when the build did not make it. */
export function executableOf(target: string): string {
  const e = readManifest().executables.find((x) => x.target === target);
  if (!e) throw new Error(`release/ has no executable for ${target}: run \`npm run dist\``);
  return join(RELEASE, e.file);
}

/** This machine's target (the one test/sea runs natively). */
export function hostTarget(): string {
  return `${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
}
