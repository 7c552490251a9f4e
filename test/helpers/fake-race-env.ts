// A fake world for the connect-race decision logic: a virtual clock and a
// host whose control connects are held while `limit` attempts are pending
// (counted per process or host-wide), released `releaseDelayMs` after the
// pending attempts end. Only the decision logic is under test here; the live
// environment is tested in namespaces.
import type { ControlResult, Opener, PendingGroup, RaceEnv } from '../../src/race/types.js';

export interface FakeWorld {
  /** Pending attempts that hold other connects; null: no limit. */
  limit: number | null;
  /** Control connects that are slow once, by their order (a lost SYN costs a second). */
  slowControls?: number[];
  /** From this control connect on (counted from 1), the control refuses. */
  controlDownFrom?: number;
  scope: 'process' | 'host';
  target: 'pending' | 'connects' | 'refuses';
  controlMs: number;
  releaseDelayMs: number;
}

interface Timer {
  at: number;
  fire: () => void;
}

export class FakeClock {
  t = 0;
  private timers: Timer[] = [];
  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((r) => {
      const timer = { at: this.t + ms, fire: r as () => void };
      this.timers.push(timer);
      signal?.addEventListener('abort', () => (this.timers = this.timers.filter((x) => x !== timer)), { once: true });
    });
  /** Runs `main` to completion, jumping the clock from timer to timer whenever nothing else can happen. */
  async run<T>(main: Promise<T>): Promise<T> {
    let done = false;
    void main.finally(() => (done = true));
    while (!done) {
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
      if (done) break;
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers.shift();
      if (!next) throw new Error('fake clock: waiting with no timer pending');
      this.t = Math.max(this.t, next.at);
      next.fire();
    }
    return main;
  }
}

export function fakeEnv(world: FakeWorld, clock: FakeClock): RaceEnv & { log: string[] } {
  const pendingBy: Record<Opener, number> = { self: 0, child: 0 };
  const waiters: Array<() => void> = [];
  const log: string[] = [];
  let controls = 0;
  const holds = (): boolean => {
    if (world.limit === null) return false;
    const relevant = world.scope === 'host' ? pendingBy.self + pendingBy.child : pendingBy.self;
    return relevant >= world.limit;
  };
  return {
    log,
    now: () => clock.t,
    sleep: clock.sleep,
    async control(deadlineMs, label, signal): Promise<ControlResult> {
      const start = clock.t;
      const nth = ++controls;
      log.push(`${label} @${start}`);
      if (world.controlDownFrom !== undefined && nth >= world.controlDownFrom) {
        await clock.sleep(1);
        return { ok: false, ms: 1, errorCode: 'ECONNREFUSED' };
      }
      if (world.slowControls?.includes(nth)) {
        await clock.sleep(1000);
        return { ok: true, ms: 1000 + world.controlMs, errorCode: null };
      }
      const deadline = clock.sleep(deadlineMs).then(() => 'deadline' as const);
      const gaveUp = new Promise<'deadline'>((r) => signal?.addEventListener('abort', () => r('deadline'), { once: true }));
      while (holds()) {
        const released = new Promise<'released'>((r) => waiters.push(() => r('released')));
        if ((await Promise.race([released, deadline, gaveUp])) === 'deadline') return { ok: false, ms: clock.t - start, errorCode: 'ETIMEDOUT' };
        await clock.sleep(world.releaseDelayMs);
      }
      await clock.sleep(world.controlMs);
      return { ok: true, ms: clock.t - start, errorCode: null };
    },
    async openPending(count, by, label): Promise<PendingGroup> {
      log.push(`${label} @${clock.t}`);
      if (world.target !== 'pending') {
        return {
          pending: () => 0,
          firstEnded: () => (world.target === 'connects' ? { outcome: 'connected', errorCode: null } : { outcome: 'refused', errorCode: 'ECONNREFUSED' }),
          synSent: 0,
          abandon: async () => {},
        };
      }
      pendingBy[by] += count;
      let live = count;
      return {
        pending: () => live,
        firstEnded: () => null,
        synSent: count,
        abandon: async () => {
          pendingBy[by] -= live;
          live = 0;
          for (const w of waiters.splice(0)) w();
        },
      };
    },
  };
}
