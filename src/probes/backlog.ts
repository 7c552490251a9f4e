// `tcpdiag backlog`: reproduces a full accept queue on loopback. A listener
// with --backlog that does not accept for --hold, --clients connects at it,
// every client's state followed in the socket table, the kernel's counters
// before and after; then accepting resumes and who gets in when is recorded.

import { expectBacklog, explainBacklog, type BacklogExpectation } from '../explain/backlog.js';
import { onInterrupt } from '../lifecycle/interrupt.js';
import { startAttempt, type Attempt } from '../net/attempt.js';
import { startHeldListener } from '../net/held-listener.js';
import type { OsBackend } from '../os/backend.js';
import type { TcpState } from '../os/tcp-states.js';
import type { ProbeResult } from '../report/types.js';
import { nextResendAfter, synResendSchedule } from '../os/syn-schedule.js';
import { plural } from '../text/words.js';

export interface BacklogInput {
  backlog: number;
  clients: number;
  holdMs: number;
  backend: () => OsBackend;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** A message for a person, and the live line's short status (progress.ts). */
  progress: (message: string, status?: string) => void;
}

export type ClientOutcome = 'queued' | 'syn-sent' | 'refused' | 'timeout';

export interface ClientReport {
  id: number;
  localPort: number | null;
  /** Where the client was when the hold ended. */
  outcome: ClientOutcome;
  /** When its connect completed (ms from the start); null if it never did. */
  connectMs: number | null;
  /** When the server accepted it; null if it never did (see the SYN-cookie finding). */
  acceptedMs: number | null;
  errorCode: string | null;
  /** State changes seen in the socket table. */
  states: Array<{ atMs: number; state: TcpState }>;
}

export interface BacklogData {
  backlog: number;
  /** The backlog after the OS cap; null where the cap is unknown. */
  effectiveBacklog: number | null;
  holdMs: number;
  /** How long the run was announced to take at most (hold, then the wait for the clients' next SYN). */
  announcedMs: number;
  port: number;
  observedQueueCapacity: number;
  queueSamples: Array<{ atMs: number; length: number }>;
  clients: ClientReport[];
  /** Clients whose connect completed but whom the server never accepted. */
  connectedNotAccepted: number;
  counters: { listenOverflows: number; listenDrops: number } | null;
  os: Record<string, number>;
  expectation: BacklogExpectation;
}

const SAMPLE_MS = 200;
/** Where the OS's SYN schedule is unknown: how long waiting clients get after the hold. */
const AFTER_HOLD_UNKNOWN_MS = 10_000;
/**
 * After a waiting client's next SYN: a client whose final ACK met a full queue
 * again is accepted only when the server re-sends its SYN-ACK, after its own
 * initial RTO (1 s on Linux), plus time to see it.
 */
const SYNACK_RESEND_MS = 1500;
/** Closing the clients and the listener's worker at the end. */
const CLOSE_MS = 300;
/** How long the server takes, after its hold, to empty its queue before the waiting clients' SYNs may come (generous: a loaded host). */
const EMPTY_QUEUE_MS = 150;

/**
 * When to end the hold: at `holdMs`, or later when one of the waiting
 * clients' SYN resends falls around it. Released just before a resend, the
 * SYNs meet a queue the server has not emptied yet; just after it, they meet
 * the timer wheel's rounding (a wait of RTO fires up to RTO/8 late:
 * kernel/time/timer.c's level granularity). Either way who got in turned on a
 * few ms, and runs differed (a test on a loaded host saw both). Moved past
 * the resend, the waiting clients come together at the next one, to an
 * empty queue. Times are from the probe's start; `firedAt`: the clients' first SYN.
 */
export function releaseOffResends(schedule: ReturnType<typeof synResendSchedule>, firedAt: number, holdMs: number): { releaseMs: number; pastResendMs: number | null } {
  if ('unknown' in schedule) return { releaseMs: holdMs, pastResendMs: null };
  let previous = 0;
  for (const at of schedule.resendsAtMs) {
    const resend = firedAt + at;
    const late = (at - previous) / 8 + 50;
    previous = at;
    if (holdMs > resend - EMPTY_QUEUE_MS && holdMs < resend + late) return { releaseMs: Math.ceil(resend + late), pastResendMs: resend };
  }
  return { releaseMs: holdMs, pastResendMs: null };
}

export async function probeBacklog(input: BacklogInput): Promise<ProbeResult<BacklogData>> {
  const backend = input.backend();
  // Context for the report only: a sysctl that fails does not stop the probe.
  const settings: Record<string, number> = (await backend.readBacklogSettings?.().catch(() => ({}))) ?? {};
  const somaxconn = settings.somaxconn ?? null;
  const effective = somaxconn === null ? input.backlog : Math.min(input.backlog, somaxconn);
  const before = (await backend.readListenCounters?.().catch(() => null)) ?? null;
  const schedule = synResendSchedule(backend.os, settings);
  const listener = await startHeldListener('127.0.0.1', input.backlog, input.now);
  const attempts: Attempt[] = [];
  const release = onInterrupt(async () => {
    for (const a of attempts) a.close();
    await listener.close();
  });
  try {
    const firedAt = input.now();
    // The run's end is known before it starts: the hold, then the waiting
    // clients' next SYN after it (when this OS's schedule is known). The hold
    // ends at the next table sample, so up to one sample late.
    const endAfterRelease = (releasedAt: number) => {
      const next = 'unknown' in schedule ? null : nextResendAfter(schedule, firedAt, releasedAt);
      return next === null ? releasedAt + AFTER_HOLD_UNKNOWN_MS : next + SYNACK_RESEND_MS;
    };
    const roundUp = (ms: number) => Math.ceil(ms / 100) * 100;
    const { releaseMs: holdMs, pastResendMs } = releaseOffResends(schedule, firedAt, input.holdMs);
    let announcedMs = roundUp(endAfterRelease(Math.max(holdMs, firedAt) + SAMPLE_MS + 50) + CLOSE_MS);
    const moved = pastResendMs !== null ? ` (${formatTenths(input.holdMs)} s asked, moved past the waiting clients' SYN resend at ${(pastResendMs / 1000).toFixed(2)} s)` : '';
    input.progress(
      `listener on 127.0.0.1:${listener.port} (backlog ${input.backlog}) holds its accepts for ${formatTenths(holdMs)} s${moved} while ${plural(input.clients, 'client')} connect; done within ${formatTenths(announcedMs)} s`,
      `holding accepts for ${formatTenths(holdMs)} s; done within ${formatTenths(announcedMs)} s`,
    );
    const clients = fireClients(input, listener.port, attempts);
    const samples: BacklogData['queueSamples'] = [];
    const sample = async () => {
      const t = input.now();
      const table = await backend.readSocketTable();
      const lst = table.rows.find((r) => r.state === 'LISTEN' && r.local.port === listener.port);
      if (lst?.acceptQueue) samples.push({ atMs: Math.round(t), length: lst.acceptQueue.length });
      for (const c of clients) {
        const row = table.rows.find((r) => r.local.port === c.localPort && r.remote.port === listener.port);
        if (row && c.states.at(-1)?.state !== row.state) c.states.push({ atMs: Math.round(t), state: row.state });
      }
    };
    while (input.now() < holdMs) {
      await sample();
      await input.sleep(Math.min(SAMPLE_MS, Math.max(0, holdMs - input.now())));
    }
    await sample();
    for (const c of clients) c.outcome = c.connectMs !== null ? 'queued' : c.errorCode === 'ECONNREFUSED' ? 'refused' : c.errorCode ? 'timeout' : 'syn-sent';
    const after = (await backend.readListenCounters?.().catch(() => null)) ?? null;
    listener.release();
    const releasedAt = input.now();
    const until = endAfterRelease(releasedAt);
    // A hold that ended later than planned (a slow table read on a busy host)
    // moves the end: said again rather than cut short.
    const late = until + CLOSE_MS > announcedMs ? `the hold ended late, at ${formatTenths(releasedAt)} s; ` : '';
    if (late) announcedMs = roundUp(until + CLOSE_MS);
    const waiting = clients.filter((c) => c.connectMs === null && c.errorCode === null).length;
    if (waiting || late) {
      input.progress(
        `${late}accepting again${waiting ? `; ${plural(waiting, 'client')} in SYN_SENT ${waiting === 1 ? 'gets' : 'get'} in at ${waiting === 1 ? 'its' : 'their'} next SYN` : ''}${late ? `; done within ${formatTenths(announcedMs)} s` : ''}`,
        `accepting again; done within ${formatTenths(announcedMs)} s`,
      );
    }
    while (input.now() < until && clients.some((c) => c.connectMs === null && c.errorCode === null)) {
      await input.sleep(SAMPLE_MS);
      await sample();
    }
    await sample();
    // A client can see its connect complete while the server does not have it
    // yet: when the queue was full again at its final ACK, Linux drops that ACK
    // and the server gets the connection only after re-sending its SYN-ACK
    // (about a second later). Wait for the accepts, within the same bound.
    const connected = clients.filter((c) => c.connectMs !== null).length;
    while (listener.accepted.length < connected && input.now() < until) await input.sleep(20);
    for (const c of clients) c.acceptedMs = Math.round(listener.accepted.find((a) => a.remotePort === c.localPort)?.atMs ?? NaN) || null;
    const connectedNotAccepted = clients.filter((c) => c.connectMs !== null && c.acceptedMs === null).length;
    const observedQueueCapacity = Math.max(clients.filter((c) => c.outcome === 'queued').length, ...samples.map((s) => s.length));
    const expectation = expectBacklog(backend.os, effective);
    const counters = before && after ? { listenOverflows: after.listenOverflows - before.listenOverflows, listenDrops: after.listenDrops - before.listenDrops } : null;
    const count = (o: ClientOutcome) => clients.filter((c) => c.outcome === o).length;
    const findings = explainBacklog(backend.os, {
      requested: input.backlog,
      effective,
      somaxconn,
      queued: count('queued'),
      synSent: count('syn-sent'),
      refused: count('refused'),
      observedQueueCapacity,
      overflowDelta: counters?.listenOverflows ?? null,
      connectedNotAccepted,
      syncookies: settings.tcpSyncookies ?? null,
    }, expectation);
    const data: BacklogData = {
      backlog: input.backlog,
      effectiveBacklog: somaxconn === null ? null : effective,
      holdMs,
      announcedMs,
      port: listener.port,
      observedQueueCapacity,
      queueSamples: samples,
      clients: clients.map(({ id, localPort, outcome, connectMs, acceptedMs, errorCode, states }) => ({ id, localPort, outcome, connectMs, acceptedMs, errorCode, states })),
      connectedNotAccepted,
      counters,
      os: settings,
      expectation,
    };
    const summary = `backlog ${input.backlog}${effective !== input.backlog ? ` (capped to ${effective})` : ''}: ${count('queued')} of ${plural(input.clients, 'client')} queued, ${count('syn-sent')} in SYN_SENT, ${count('refused')} refused while nothing accepted`;
    return { summary, findings, data };
  } finally {
    for (const a of attempts) a.close();
    await listener.close();
    release();
  }
}

type LiveClient = Omit<ClientReport, 'outcome'> & { outcome: ClientOutcome };

function fireClients(input: BacklogInput, port: number, attempts: Attempt[]): LiveClient[] {
  return Array.from({ length: input.clients }, (_, i) => {
    const c: LiveClient = { id: i + 1, localPort: null, outcome: 'syn-sent', connectMs: null, acceptedMs: null, errorCode: null, states: [] };
    const a = startAttempt('127.0.0.1', port, {
      onConnect: () => {
        c.connectMs = Math.round(input.now());
        c.localPort = a.localPort() ?? c.localPort;
      },
      onError: (code) => (c.errorCode = code),
    });
    attempts.push(a);
    // The local port exists once connect() has been issued, one tick later.
    setImmediate(() => (c.localPort = a.localPort()));
    return c;
  });
}

/** "2", "2.5": seconds as the announcement says them. */
function formatTenths(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}
