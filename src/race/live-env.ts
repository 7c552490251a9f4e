// The connect-race environment on this host: real connects (family pinned)
// to tcpdiag's own listener and to the control the user gave, made by this
// process or by the helper process; pending attempts to the target; the
// socket table and connection tracking for who else is pending; and a
// timeline of every attempt. Everything it opens is closed by dispose(),
// also on Ctrl-C.

import { createServer, connect, type Server, type Socket } from 'node:net';
import { createSocket } from 'node:dgram';
import { onInterrupt } from '../lifecycle/interrupt.js';
import { classifyConnectError } from '../net/connect-outcome.js';
import { startAttempt, type Attempt } from '../net/attempt.js';
import { timedConnect } from '../net/timed-connect.js';
import type { OsBackend } from '../os/backend.js';
import type { SynSchedule } from '../os/syn-schedule.js';
import { formatEndpoint } from '../sockets/address.js';
import { startRaceHelper } from './helper-client.js';
import type { Channel, ControlAttempt, ControlEnd, Endpoint, HostPending, PendingAttempt, RaceEnv, TimelineEntry, Via } from './types.js';

export interface LiveRaceEnv extends RaceEnv {
  timeline: TimelineEntry[];
  /** tcpdiag's own listener: the control that always answers. */
  own: Endpoint;
  /** Why the helper process could not run (the scope is then not judged), or null. */
  helperProblem(): string | null;
  dispose(): void;
}

/** No pending attempt outlives this, whatever happens to the run: run-race.ts ends a run after 50 s, and its longest round takes about 20 s. */
const PENDING_MAX_MS = 120_000;

export async function startLiveRace(target: Endpoint, given: Endpoint | null, backend: OsBackend, syn: SynSchedule, now: () => number): Promise<LiveRaceEnv> {
  const timeline: TimelineEntry[] = [];
  const server = await listenOwn(await sourceAddressToward(target));
  const addr = server.address();
  const own: Endpoint = typeof addr === 'object' && addr ? { address: addr.address, port: addr.port } : { address: '127.0.0.1', port: 0 };
  // Two helper processes: their controls are independent chances where a limit
  // is per process (a lost control takes its own process's place, not the other's).
  const helpers = [startRaceHelper(), startRaceHelper()];
  let nextHelper = 0;
  const pendingSockets: Attempt[] = [];
  const pendingPorts = new Set<number>();
  const openControls = new Set<() => void>();
  let ids = 0;

  const endpointOf = (channel: Channel) => (channel === 'own' ? own : given!);
  const sleep = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => clearTimeout(t), { once: true });
    });
  const closePending = () => {
    for (const a of pendingSockets) a.close();
    for (const e of timeline) if (e.kind === 'pending' && e.endMs === null) [e.endMs, e.outcome] = [now(), 'closed'];
  };
  const dispose = () => {
    closePending();
    for (const close of [...openControls]) close();
    for (const h of helpers) h.stop();
    server.close();
    releaseInterrupt();
  };
  const releaseInterrupt = onInterrupt(dispose);

  function startControl(channel: Channel, via: Via, label: string): ControlAttempt {
    const to = endpointOf(channel);
    const entry: TimelineEntry = { label, kind: 'control', startMs: now(), endMs: null, outcome: 'pending' };
    timeline.push(entry);
    let settle!: (e: ControlEnd) => void;
    const ended = new Promise<ControlEnd>((r) => (settle = r));
    const finish = (ok: boolean, errorCode: string | null) => {
      if (entry.endMs !== null) return;
      entry.endMs = now();
      entry.outcome = ok ? 'connected' : (errorCode ?? 'error');
      openControls.delete(abandon);
      settle({ ok, atMs: entry.endMs, errorCode });
    };
    let abandon: () => void;
    if (via === 'child') {
      const id = ++ids;
      const helper = helpers[nextHelper++ % helpers.length]!;
      helper.connect(id, to.address, to.port, (e) => finish(e.ok, e.errorCode));
      abandon = () => {
        if (entry.endMs !== null) return;
        helper.abandon(id);
        [entry.endMs, entry.outcome] = [now(), 'abandoned'];
        openControls.delete(abandon);
      };
    } else {
      const socket: Socket = connect({ host: to.address, port: to.port, family: to.address.includes(':') ? 6 : 4, autoSelectFamily: false });
      // Reset once connected: no TIME_WAIT left behind, and a filter sees it closed at once.
      socket.once('connect', () => (socket.resetAndDestroy(), finish(true, null)));
      socket.once('error', (e: NodeJS.ErrnoException) => finish(false, e.code ?? 'error'));
      abandon = () => {
        if (entry.endMs !== null) return;
        socket.destroy();
        [entry.endMs, entry.outcome] = [now(), 'abandoned'];
        openControls.delete(abandon);
      };
    }
    openControls.add(abandon);
    return { channel, via, startMs: entry.startMs, ended, abandon };
  }

  async function openPending(label: string): Promise<PendingAttempt> {
    const entry: TimelineEntry = { label, kind: 'pending', startMs: now(), endMs: null, outcome: 'pending' };
    timeline.push(entry);
    let ended: { outcome: string; errorCode: string | null } | null = null;
    const end = (outcome: string, errorCode: string | null) => {
      if (entry.endMs !== null) return;
      [entry.endMs, entry.outcome] = [now(), errorCode ?? outcome];
      ended = { outcome, errorCode };
    };
    const attempt = startAttempt(target.address, target.port, { onConnect: () => end('connected', null), onError: (code) => end(classifyConnectError(code).outcome, code) }, PENDING_MAX_MS);
    pendingSockets.push(attempt);
    // The SYN is out once connect() has been issued (one tick): only then may the control go.
    for (let i = 0; i < 50 && attempt.localPort() === null && entry.endMs === null; i++) await new Promise((r) => setImmediate(r));
    const port = attempt.localPort();
    if (port !== null) pendingPorts.add(port);
    return { ended: () => ended };
  }

  async function census(): Promise<HostPending | null> {
    const table = await backend.readSocketTable().catch(() => null);
    if (!table) return null;
    const synSent = table.rows.filter((r) => r.state === 'SYN_SENT');
    const toControl = (r: (typeof synSent)[number]) => [own, given].some((e) => e && r.remote.port === e.port && r.remote.address === e.address);
    const isOurs = (r: (typeof synSent)[number]) => pendingPorts.has(r.local.port) && r.remote.port === target.port && r.remote.address === target.address;
    // Controls (ours and the helper's) are not pending attempts of anyone.
    const others = synSent.filter((r) => !isOurs(r) && !toControl(r));
    if (others.length > 0 && backend.resolveOwners) await backend.resolveOwners(others).catch(() => []);
    const tracked = backend.readTrackedAttempts ? await backend.readTrackedAttempts().catch(() => null) : null;
    // Tracked attempts with no SYN_SENT socket behind them: closed, still counted by a filter on tracking.
    const live = new Set(synSent.map((r) => `${r.local.port}>${r.remote.port}`));
    const remembered = tracked ? tracked.filter((t) => !live.has(`${t.sport}>${t.dport}`)).length : null;
    return {
      ours: synSent.filter(isOurs).length,
      others: others.map((r) => ({ pid: r.pid, process: r.process, remote: formatEndpoint(r.remote) })),
      remembered,
    };
  }

  /** A second listener of tcpdiag's, on loopback, started only when asked (the own listener did not answer). */
  async function loopbackAnswers(deadlineMs: number): Promise<boolean | null> {
    if (isLoopback(own.address)) return null;
    const lo = await listenOwn(own.address.includes(':') ? '::1' : '127.0.0.1');
    try {
      const addr = lo.address();
      if (typeof addr !== 'object' || !addr) return null;
      const a = await timedConnect(addr.address, addr.port, { timeoutMs: deadlineMs, now });
      timeline.push({ label: 'own listener on loopback', kind: 'control', startMs: a.startMs, endMs: a.startMs + a.durationMs, outcome: a.errorCode ?? a.outcome });
      return a.outcome === 'connected';
    } finally {
      lo.close();
    }
  }

  return {
    timeline,
    own,
    loopbackAnswers,
    now,
    sleep,
    syn,
    channels: given ? ['own', 'given'] : ['own'],
    startControl,
    // Ready when both are (they start together, in parallel with the baseline); a scope is judged with them.
    helperReady: async () => (await Promise.all(helpers.map((h) => h.ready))).every(Boolean),
    helperProblem: () => helpers.map((h) => h.reason()).find((r) => r !== null) ?? null,
    openPending,
    closePending,
    census,
    dispose,
  };
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.');
}

/**
 * The address this host sends from toward the target (a UDP connect picks
 * the route and sends nothing): tcpdiag's listener there is reached the way
 * the host's own address is, not only through 127.0.0.1. Loopback when no
 * route is found.
 */
async function sourceAddressToward(target: Endpoint): Promise<string> {
  const v6 = target.address.includes(':');
  const fallback = v6 ? '::1' : '127.0.0.1';
  const sock = createSocket(v6 ? 'udp6' : 'udp4');
  try {
    return await new Promise<string>((resolve) => {
      sock.once('error', () => resolve(fallback));
      sock.connect(target.port, target.address, () => resolve(sock.address().address || fallback));
    });
  } finally {
    sock.close();
  }
}

function listenOwn(address: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    // Accepted connections are closed at once: the client side already has its answer.
    const server = createServer((c) => (c.on('error', () => {}), c.destroy()));
    server.once('error', reject);
    server.listen(0, address, () => resolve(server));
  });
}
