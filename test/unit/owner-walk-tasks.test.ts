// The owner walk's task loop (os/linux/owner-walk-worker.ts): threads claim
// ranges of one list, the main thread from the front and workers from the
// back. Two claimants are interleaved one range at a time here (a fake
// walker, a clock that passes each call's deadline after one range): every
// range is walked exactly once, and the ranges of a process that already
// holds every wanted socket are passed over. The real threads are in
// test/live/owner-walk.test.ts.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WALK_ALL_FOUND, WALK_DONE, type FdWalker, type PairSink } from '../../src/os/linux/fd-walk.js';
import { takeWalkTasks, type WalkJob } from '../../src/os/linux/owner-walk-worker.js';

/** pids 100..104; process 102 has three ranges, 104 two, the others one. */
function job(): WalkJob {
  const tasks = [0, 0, 0x7fffffff, 1, 0, 0x7fffffff, 2, 0, 2048, 2, 2048, 4096, 2, 4096, 0x7fffffff, 3, 0, 0x7fffffff, 4, 0, 2048, 4, 2048, 0x7fffffff];
  return {
    pids: Int32Array.of(100, 101, 102, 103, 104),
    tasks: Int32Array.from(tasks),
    taken: new Int32Array(new SharedArrayBuffer(4 * (tasks.length / 3))),
    state: new Int32Array(new SharedArrayBuffer(4 * 5)),
    wanted: null,
  };
}

const sink = (): PairSink => ({ pairs: new Uint32Array(16), n: 0 });

afterEach(() => vi.restoreAllMocks());

describe('takeWalkTasks: ranges claimed from both ends', () => {
  it('two claimants taking turns, one range each, walk every range exactly once', () => {
    // The clock moves only as a range is walked: a call's deadline passes after the range it takes.
    let clock = 0;
    vi.spyOn(Date, 'now').mockImplementation(() => clock);
    const walked: Array<{ who: string; range: string }> = [];
    const walker = (who: string): FdWalker => (pid, from, to) => (clock++, walked.push({ who, range: `${pid}:${from}-${to}` }), WALK_DONE);
    const j = job();
    let front = true;
    let back = true;
    while (front || back) {
      if (front) front = takeWalkTasks(walker('front'), j, sink(), clock);
      if (back) back = takeWalkTasks(walker('back'), j, sink(), clock, true);
    }
    const ranges = walked.map((w) => w.range);
    expect(new Set(ranges).size).toBe(ranges.length);
    expect(ranges).toHaveLength(j.tasks.length / 3);
    // They took turns: half each.
    expect(walked.filter((w) => w.who === 'front')).toHaveLength(4);
    // The front took the first process first, the back the last range first.
    expect(walked.find((w) => w.who === 'front')!.range).toBe('100:0-2147483647');
    expect(walked.find((w) => w.who === 'back')!.range).toBe('104:2048-2147483647');
  });

  it('a process whose range found every wanted socket has its other ranges passed over', () => {
    const calls: string[] = [];
    const walker: FdWalker = (pid, from) => (calls.push(`${pid}:${from}`), pid === 102 ? WALK_ALL_FOUND : WALK_DONE);
    const j = job();
    expect(takeWalkTasks(walker, j, sink(), Infinity)).toBe(false);
    expect(calls).toEqual(['100:0', '101:0', '102:0', '103:0', '104:0', '104:2048']);
    expect(j.state[2]).toBe(WALK_ALL_FOUND);
  });
});
