// Counts of one read as one (issue #20 "plurals are right"): each explainer
// and renderer that says a count, fed a count of 1, and of 2 for contrast.
import { describe, expect, it } from 'vitest';
import { agree, formatLines, plural } from '../../src/text/words.js';
import { describeSource } from '../../src/render/sources.js';
import { expectBacklog } from '../../src/explain/backlog.js';
import { explainKeepaliveDefaults } from '../../src/explain/host-settings.js';
import { explainPortRanges } from '../../src/explain/port-ranges.js';
import { explainEphemeralUsage } from '../../src/explain/sockets.js';
import { emptyPortRanges, ephemeral } from '../../src/os/port-ranges.js';

/** "1 ports", "1 connections": a count of one with a plural noun. */
const ONE_WITH_PLURAL = /\b1 (ports|connections|probes|clients|sockets|client sockets|attempts|overflows|drops|checks|listeners)\b/;

describe('words', () => {
  it('plural and agree', () => {
    expect([plural(1, 'port'), plural(2, 'port'), plural(0, 'match'), plural(1, 'match')]).toEqual(['1 port', '2 ports', '0 matches', '1 match']);
    expect([agree(1, 'is', 'are'), agree(0, 'is', 'are'), agree(5, 'uses', 'use')]).toEqual(['is', 'are', 'use']);
  });
  it('a part of one line is "line N", of more "lines N-M"', () => {
    expect([formatLines({ first: 5, last: 5 }), formatLines({ first: 5, last: 9 })]).toEqual(['line 5', 'lines 5-9']);
    expect(describeSource({ file: 'paste.txt', format: 'unknown', lines: { first: 3, last: 3 }, tried: [] })).toBe('rows in no format tcpdiag reads, line 3: not read');
    expect(describeSource({ file: 'paste.txt', format: 'ss -tan', lines: { first: 1, last: 40 } })).toBe('ss -tan, lines 1-40');
  });
});

describe('a count of one', () => {
  it('a one-port ephemeral range', () => {
    const r = emptyPortRanges('linux');
    r.ephemeral.push(ephemeral(43611, 43611, 'test'));
    const f = explainPortRanges(r).find((x) => x.code === 'ephemeral-range-small')!;
    expect(f.message).toMatch(/has only 1 port: at most 1 connection to one destination/);
    expect(f.message).not.toMatch(ONE_WITH_PLURAL);
  });

  it('keepalive defaults with one probe', () => {
    const [f] = explainKeepaliveDefaults('linux', { idleS: 7200, intervalS: 75, count: 1 });
    expect(f!.message).toMatch(/then 1 probe 75 s apart/);
  });

  it('one client socket and one port left toward a destination', () => {
    const one = explainEphemeralUsage({ range: { start: 40000, end: 40001, count: 2 }, clientSockets: 1, destinations: [{ remote: { address: '10.0.0.9', port: 443 }, count: 1, usedPercent: 50, headroom: 1 }] }, 'linux');
    expect(one[0]!.message).toMatch(/^1 client socket toward 10\.0\.0\.9:443 uses 50% of the ephemeral range 40000-40001; 1 port is left/);
    const two = explainEphemeralUsage({ range: { start: 40000, end: 40003, count: 4 }, clientSockets: 2, destinations: [{ remote: { address: '10.0.0.9', port: 443 }, count: 2, usedPercent: 50, headroom: 2 }] }, 'linux');
    expect(two[0]!.message).toMatch(/^2 client sockets toward 10\.0\.0\.9:443 use 50% .*; 2 ports are left/);
  });

  it('a macOS or FreeBSD queue of one', () => {
    expect(expectBacklog('darwin', 1).text).toMatch(/1\.5 x backlog = 1 connection and/);
    expect(expectBacklog('freebsd', 1).text).toMatch(/1\.5 x backlog = 1 connection;/);
  });
});
