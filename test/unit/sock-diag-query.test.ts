// The parts of a sock_diag query that are plain arithmetic: the state mask,
// whether a query narrows the table, and a process's ports folded into a few
// ranges. What the kernel makes of the bytecode is tested on the real kernel
// (test/live/sock-diag-query.test.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_PORT_RANGES, narrowsTable, portRangesOf, stateMaskOf } from '../../src/os/linux/sock-diag-query.js';
import { TCP_STATES } from '../../src/os/tcp-states.js';

describe('state mask', () => {
  it('is every bit without states, and Linux state numbers otherwise (SYN_RECEIVED also as a request socket)', () => {
    expect(stateMaskOf(undefined)).toBe(0xffffffff);
    expect(stateMaskOf({ states: ['LISTEN'] })).toBe(1 << 10);
    expect(stateMaskOf({ states: ['ESTABLISHED', 'TIME_WAIT'] })).toBe((1 << 1) | (1 << 6));
    expect(stateMaskOf({ states: ['SYN_RECEIVED'] })).toBe((1 << 3) | (1 << 12));
    // CLOSED also asks for bound-only sockets (TCPF_BOUND_INACTIVE, Linux 6.8+), which the kernel reports as CLOSE.
    expect(stateMaskOf({ states: ['CLOSED'] })).toBe((1 << 7) | (1 << 13));
    // BOUND is never reported on Linux: asking for it alone asks for nothing.
    expect(stateMaskOf({ states: ['BOUND'] })).toBe(0);
  });
});

describe('narrowing', () => {
  it('a port, or states that leave one out, narrow the table; every state does not', () => {
    expect(narrowsTable(undefined)).toBe(false);
    expect(narrowsTable({})).toBe(false);
    expect(narrowsTable({ states: [...TCP_STATES] })).toBe(false);
    expect(narrowsTable({ states: TCP_STATES.filter((s) => s !== 'CLOSING') })).toBe(true);
    expect(narrowsTable({ localPort: 80 })).toBe(true);
    expect(narrowsTable({ localPortRanges: [] })).toBe(true);
  });
});

describe('a process\'s ports as ranges', () => {
  it(`covers every port with at most ${MAX_PORT_RANGES} sorted, disjoint ranges that start and end on its ports`, () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 300 }), (ports) => {
        const ranges = portRangesOf(ports);
        const set = new Set(ports);
        expect(ranges.length).toBe(Math.min(set.size, MAX_PORT_RANGES));
        for (const p of set) expect(ranges.some(([lo, hi]) => p >= lo && p <= hi)).toBe(true);
        ranges.forEach(([lo, hi], i) => {
          expect(set.has(lo) && set.has(hi) && lo <= hi).toBe(true);
          if (i > 0) expect(lo).toBeGreaterThan(ranges[i - 1]![1]);
        });
      }),
    );
  });

  it('folds a busy process\'s 20,000 ports too, splitting at the widest gaps', () => {
    const ports = Array.from({ length: 20_000 }, (_, i) => 30_000 + i + (i >= 10_000 ? 5_000 : 0));
    const ranges = portRangesOf(ports);
    expect(ranges).toHaveLength(MAX_PORT_RANGES);
    // The one wide gap is never covered; every port is.
    expect(ranges.some(([lo, hi]) => lo <= 42_000 && hi >= 42_000)).toBe(false);
    expect(ranges.at(-1)).toEqual([45_000, 54_999]);
    for (const p of [30_000, 35_555, 39_999, 45_000, 54_999]) expect(ranges.some(([lo, hi]) => p >= lo && p <= hi)).toBe(true);
  });

  it('closes the smallest gaps first', () => {
    const ports = Array.from({ length: MAX_PORT_RANGES }, (_, i) => 1000 * (i + 1));
    expect(portRangesOf([...ports, 1001])).toEqual([[1000, 1001], ...ports.slice(1).map((p) => [p, p])]);
  });
});
