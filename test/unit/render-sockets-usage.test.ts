// The human table of ephemeral ports per destination shows the five busiest;
// what it leaves out is counted under it (a user trial counted 10 client
// sockets above a table that summed to fewer, with no word of the rest).
import { describe, expect, it } from 'vitest';
import { makeReport } from '../../src/report/envelope.js';
import { renderSockets } from '../../src/render/sockets.js';
import { makeStyle } from '../../src/render/style.js';
import type { SocketsData } from '../../src/probes/sockets.js';

const destination = (port: number, count: number) => ({ remote: { address: '10.0.0.9', port }, count, headroom: 28232 - count, usedPercent: 0 });

function render(destinations: ReturnType<typeof destination>[], clientSockets: number): string {
  const data: SocketsData = {
    rows: [],
    matched: 0,
    total: 0,
    filters: {},
    states: {},
    owners: { collected: false, found: 0, hidden: 0, none: 0, notCollected: 0 },
    listenCounters: { sinceBoot: null, sample: null },
    ephemeralUsage: { range: { start: 32768, end: 60999, count: 28232 }, clientSockets, destinations },
    readFrom: ['test'],
    notes: [],
  };
  return renderSockets(makeStyle(0, 80), makeReport('sockets', new Date(), { verdict: 'ok', summary: '', findings: [], data }));
}

describe('sockets: ephemeral ports per destination', () => {
  it('counts the client sockets toward destinations the table leaves out', () => {
    const six = [6, 5, 4, 3, 2, 1].map((n, i) => destination(443 + i, n));
    const text = render(six, 21);
    expect(text.replace(/\s+/g, ' ')).toContain('┘ 1 more client socket toward less busy destinations (--json lists the 6 busiest)');
    expect(text.split('\n').every((l) => l.length <= 80)).toBe(true);
  });

  it('says nothing more when the table holds them all', () => {
    const text = render([destination(443, 3), destination(444, 2)], 5);
    expect(text).toContain('5 client sockets against the range 32768-60999');
    expect(text).not.toMatch(/more client socket/);
  });
});
