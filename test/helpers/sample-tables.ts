// The check every socket-table parser test makes on its real captures: one
// expectation per sample file, and for each sample the source it names, the
// row count, the states, and chosen rows in full. A test adds its format's own
// checks (owners, notes) through `more`.
import { expect, it } from 'vitest';
import type { SocketRow, SocketTable } from '../../src/os/sockets.js';
import { countStates } from '../../src/sockets/group.js';
import { fixture, fixtureNames } from './fixtures.js';

export interface SampleWant {
  count: number;
  states: Partial<Record<string, number>>;
  /** Full rows by index: pairs (a negative index counts from the end) or a record. */
  rows: Array<[number, SocketRow]> | Record<number, SocketRow>;
}

export interface SampleParser {
  looksLike(text: string): boolean;
  parse(text: string, source: string): SocketTable;
}

export function itReadsEverySample<W extends SampleWant>(folder: string, want: Record<string, W>, parser: SampleParser, more?: (table: SocketTable, want: W) => void): void {
  it('has an expectation for every sample', () => {
    expect(fixtureNames(folder)).toEqual(Object.keys(want).sort());
  });
  for (const [name, w] of Object.entries(want)) {
    it(`reads ${name}`, () => {
      const text = fixture(folder, name);
      expect(parser.looksLike(text)).toBe(true);
      const table = parser.parse(text, name);
      expect(table.readFrom).toEqual([name]);
      expect(table.rows).toHaveLength(w.count);
      expect(countStates(table.rows)).toEqual(w.states);
      const rows = Array.isArray(w.rows) ? w.rows : Object.entries(w.rows).map(([i, r]): [number, SocketRow] => [Number(i), r]);
      for (const [i, r] of rows) expect(table.rows.at(i), `row ${i}`).toEqual(r);
      more?.(table, w);
    });
  }
}
