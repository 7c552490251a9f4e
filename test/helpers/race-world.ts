// A simulated host for the connect-race algorithm (src/race/run-race.ts):
// a virtual clock, connect attempts that send SYNs on the OS's retransmit
// schedule, a limiter that drops a new attempt's SYN while `limit` attempts
// are counted (host-wide or per process), what it counts (live sockets, or
// conntrack entries that outlive the socket and lapse between retransmits),
// and a control path that loses SYNs after the limiter counted them. It
// fakes the world, not the thing under test: the same algorithm runs live in
// namespaces (test/live/connect-race-linux.test.ts) against the real kernel.
import type { SynSchedule } from '../../src/os/syn-schedule.js';
import { synSentAtMs } from '../../src/os/syn-schedule.js';
import { HELPER_GONE, type Channel, type ControlAttempt, type ControlEnd, type HostPending, type PendingAttempt, type RaceEnv, type Via } from '../../src/race/types.js';

export interface World {
  /** Attempts the limiter lets be pending at once; null: no limiter. */
  limit: number | null;
  scope: 'host' | 'process';
  /** 'socket': counts open attempts (a security filter); a number: conntrack's SYN_SENT timeout in ms (Infinity: never forgets within the run). */
  memory: 'socket' | number;
  /** Share of control SYNs lost after the limiter counted them. */
  loss: number;
  /** Which controls lose SYNs: those to the given control only (a lossy link), or all (a busy firewall on the host). */
  lossOn: 'given' | 'all';
  /** Extra ms per control connect on the given channel. */
  givenRttMs: number;
  target: 'dead' | 'connects' | 'refuses';
  /** The given control refuses (a closed port). */
  givenRefuses?: boolean;
  /** The own listener does not answer (a firewall in front of it). */
  ownSilent?: boolean;
  /** Attempts of another program pending from the start (host-wide they count). */
  othersPending: number;
  /** When those attempts end (closed by their program), if they do. */
  othersEndAtMs?: number;
  /** The limiter rejects an attempt over the limit (ECONNREFUSED at once) instead of dropping it. */
  rejects?: boolean;
  /** When the helper process dies: its controls end with HELPER_GONE from then on. */
  helperDiesAtMs?: number;
  /** Whether conntrack's record can be read (false: no root, no procfs); default true for a conntrack memory. */
  conntrackReadable?: boolean;
  /** Attempts closed just before the run that a remembering filter still counts. */
  leftovers: number;
  helper: boolean;
  channels: Channel[];
  /** Where a limiter looks: every connect, or only connects to the given control and the target (not the own listener). */
  limits: 'all' | 'not-own';
  seed: number;
}

/** Linux 6.18's defaults (tcp_syn_retries 6, tcp_syn_linear_timeouts 4): measured to 19 s, then as ip-sysctl.rst gives them (35, 67 s; the end at 131 s is not simulated). */
export const LINUX_618: SynSchedule = { initialRtoMs: 1000, resendsAtMs: [1000, 2000, 3000, 4000, 5000, 7000, 11_000, 19_000, 35_000, 67_000], basis: 'simulated Linux 6.18' };

export const world = (w: Partial<World>): World => ({
  limit: null, scope: 'host', memory: Infinity, loss: 0, lossOn: 'all', givenRttMs: 1, target: 'dead', othersPending: 0, leftovers: 0, helper: true, channels: ['own'], limits: 'all', seed: 1, ...w,
});

interface Timer { at: number; seq: number; fire: () => void }

export class FakeClock {
  t = 0;
  private seq = 0;
  private timers: Timer[] = [];
  at(ms: number, fire: () => void): Timer {
    const timer = { at: ms, seq: this.seq++, fire };
    this.timers.push(timer);
    return timer;
  }
  cancel(timer: Timer): void {
    this.timers = this.timers.filter((x) => x !== timer);
  }
  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((r) => {
      const timer = this.at(this.t + ms, r as () => void);
      signal?.addEventListener('abort', () => this.cancel(timer), { once: true });
    });
  /** Runs `main` to completion, jumping the clock to the next timer whenever nothing else can happen. */
  async run<T>(main: Promise<T>): Promise<T> {
    let done = false;
    void main.finally(() => (done = true));
    while (!done) {
      for (let i = 0; i < 8; i++) await new Promise((r) => setImmediate(r));
      if (done) break;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (!next) throw new Error('fake clock: waiting with no timer pending');
      this.t = Math.max(this.t, next.at);
      next.fire();
    }
    return main;
  }
}

/** mulberry32: a seeded stream, so a failing case can be run again. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Proc = 'self' | 'child-1' | 'child-2' | 'other';
interface Sim {
  id: number;
  proc: Proc;
  to: 'target' | Channel;
  open: boolean;
  connected: boolean;
  /** The limiter's entry: counted while it lives. */
  entry: { lastSynMs: number } | null;
  timers: Timer[];
  onEnd?: (end: ControlEnd) => void;
}

export function simulatedEnv(w: World, clock: FakeClock, syn: SynSchedule = LINUX_618): RaceEnv & { log: string[]; sims: () => number } {
  const rnd = random(w.seed);
  const log: string[] = [];
  const all: Sim[] = [];
  let ids = 0;

  const limited = (a: Sim) => w.limit !== null && !(w.limits === 'not-own' && a.to === 'own');
  const counted = (e: Sim) => {
    if (!e.entry || e.connected) return false;
    if (w.memory === 'socket') return e.open;
    return clock.t < e.entry.lastSynMs + w.memory;
  };
  // Linux's `ct count` (nf_conncount) adds a new attempt to its list before
  // judging it, so a dropped one keeps counting until a later scan of the
  // whole list removes it; a retransmit of an attempt already listed ends its
  // scan early, removes nothing, and is dropped while the list is over the
  // limit (measured live: test/live/connect-race-linux.test.ts, lossy cases).
  const phantoms = new Map<string, number>();
  const scopeKey = (a: Sim) => (w.scope === 'host' ? 'host' : a.proc);
  const send = (a: Sim) => {
    if (!a.open || a.connected) return;
    if (limited(a)) {
      const inScope = all.filter((e) => e !== a && limited(e) && counted(e) && (w.scope === 'host' || e.proc === a.proc)).length;
      const tracking = w.memory !== 'socket';
      if (!counted(a)) {
        if (tracking) phantoms.set(scopeKey(a), 0);
        if (inScope + 1 > w.limit!) {
          if (w.rejects) return void a.timers.push(clock.at(clock.t + 0.1, () => end(a, { ok: false, atMs: clock.t, errorCode: 'ECONNREFUSED' })));
          if (tracking) phantoms.set(scopeKey(a), (phantoms.get(scopeKey(a)) ?? 0) + 1);
          return; // dropped: no entry
        }
        a.entry = { lastSynMs: clock.t };
      } else {
        a.entry!.lastSynMs = clock.t; // conntrack refreshes the entry before the filter judges
        if (inScope + 1 + (phantoms.get(scopeKey(a)) ?? 0) > w.limit!) return;
      }
    }
    if (a.to === 'target') {
      if (w.target === 'connects') a.timers.push(clock.at(clock.t + 1, () => end(a, { ok: true, atMs: clock.t, errorCode: null })));
      if (w.target === 'refuses') a.timers.push(clock.at(clock.t + 1, () => end(a, { ok: false, atMs: clock.t, errorCode: 'ECONNREFUSED' })));
      return;
    }
    if (a.to === 'own' && w.ownSilent) return;
    if ((w.lossOn === 'all' || a.to === 'given') && rnd() < w.loss) return; // lost after the limiter counted it
    const rtt = a.to === 'given' ? w.givenRttMs : 0.2;
    if (a.to === 'given' && w.givenRefuses) a.timers.push(clock.at(clock.t + rtt, () => end(a, { ok: false, atMs: clock.t, errorCode: 'ECONNREFUSED' })));
    else a.timers.push(clock.at(clock.t + rtt, () => end(a, { ok: true, atMs: clock.t, errorCode: null })));
  };
  const end = (a: Sim, e: ControlEnd) => {
    if (!a.open || a.connected) return;
    if (e.ok) a.connected = true; // a connected control is reset at once: its entry is closed
    else a.open = false;
    close(a);
    a.onEnd?.(e);
  };
  const close = (a: Sim) => {
    a.open = false;
    for (const t of a.timers) clock.cancel(t);
  };
  const start = (proc: Proc, to: Sim['to']): Sim => {
    const a: Sim = { id: ids++, proc, to, open: true, connected: false, entry: null, timers: [] };
    all.push(a);
    // The first SYN, then each resend of the schedule once.
    for (let k = 0; k <= syn.resendsAtMs.length; k++) a.timers.push(clock.at(clock.t + synSentAtMs(syn, k), () => send(a)));
    return a;
  };
  const others = Array.from({ length: w.othersPending }, () => start('other', 'target'));
  if (w.othersEndAtMs !== undefined) clock.at(w.othersEndAtMs, () => others.forEach(close));
  for (let i = 0; i < w.leftovers; i++) {
    const a = start('self', 'target');
    a.entry = { lastSynMs: clock.t };
    close(a);
  }
  const pending: Sim[] = [];
  let children = 0;
  return {
    log,
    sims: () => all.length,
    now: () => clock.t,
    sleep: clock.sleep,
    channels: w.channels,
    syn,
    startControl(channel: Channel, via: Via, label: string): ControlAttempt {
      log.push(`${clock.t} ${label}`);
      // Two helper processes, taken in turn (live-env.ts): each its own process for a per-process limit.
      const a = start(via === 'self' ? 'self' : children++ % 2 === 0 ? 'child-1' : 'child-2', channel);
      const ended = new Promise<ControlEnd>((r) => (a.onEnd = r));
      if (via === 'child' && w.helperDiesAtMs !== undefined) {
        const die = () => (close(a), a.onEnd?.({ ok: false, atMs: clock.t, errorCode: HELPER_GONE }));
        if (clock.t >= w.helperDiesAtMs) die();
        else clock.at(w.helperDiesAtMs, () => a.open && !a.connected && die());
      }
      return { channel, via, startMs: clock.t, ended, abandon: () => close(a) };
    },
    helperReady: async () => w.helper,
    // The simulated own listener is on loopback already (a firewall in front of it is ownSilent, on every address).
    loopbackAnswers: async () => null,
    async openPending(label: string): Promise<PendingAttempt> {
      log.push(`${clock.t} ${label}`);
      const a = start('self', 'target');
      let outcome: { outcome: string; errorCode: string | null } | null = null;
      a.onEnd = (e) => (outcome = e.ok ? { outcome: 'connected', errorCode: null } : { outcome: 'refused', errorCode: e.errorCode });
      pending.push(a);
      await clock.sleep(1);
      return { ended: () => outcome };
    },
    closePending() {
      for (const a of pending) close(a);
    },
    async census(): Promise<HostPending> {
      const synSent = (a: Sim) => a.open && !a.connected && a.to === 'target';
      // Conntrack's record: entries still counted whose attempt is closed (none for a socket-counting filter).
      const remembered = w.memory === 'socket' || w.conntrackReadable === false ? null : all.filter((a) => !a.open && !a.connected && counted(a)).length;
      return { ours: pending.filter(synSent).length, others: all.filter((a) => a.proc === 'other' && synSent(a)).map(() => ({ pid: 4242, process: 'app', remote: '10.0.0.99:389' })), remembered };
    },
  };
}
