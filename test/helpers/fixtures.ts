import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(__dirname, '..', 'fixtures');

export function fixture(folder: string, name: string): string {
  return readFileSync(join(FIXTURES, folder, name), 'utf8');
}

/** Every sample in a fixture folder (SOURCES is documentation, not a sample). */
export function fixtureNames(folder: string): string[] {
  return readdirSync(join(FIXTURES, folder)).filter((f) => f !== 'SOURCES').sort();
}
