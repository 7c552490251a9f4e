// The connect-race environment on this host: real connects to the control
// and the target (family pinned), pending attempts in this process or in a
// child process, the OS socket table to see them in SYN_SENT, and a timeline
// of every attempt. Everything it opens is closed by abandon() or on Ctrl-C.

import { spawn } from 'node:child_process';
import { onInterrupt } from '../lifecycle/interrupt.js';
import { createInterface } from 'node:readline';
import { classifyConnectError } from '../net/connect-outcome.js';
import { startAttempt, type Attempt } from '../net/attempt.js';
import { timedConnect } from '../net/timed-connect.js';
import type { OsBackend } from '../os/backend.js';
import type { ControlResult, Opener, PendingGroup, RaceEnv } from './types.js';
import { PENDING_CHILD_SCRIPT } from './pending-child.cjs.js';

export interface Endpoint {
  address: string;
  port: number;
}

export interface TimelineEntry {
  label: string;
  kind: 'control' | 'pending';
  startMs: number;
  endMs: number | null;
  outcome: string;
}

/** No pending attempt outlives this, whatever happens to the run (the child script uses the same bound). */
const PENDING_MAX_MS = 20_000;
const SYN_SENT_WAIT_MS = 300;

export function liveRaceEnv(target: Endpoint, control: Endpoint, backend: OsBackend, now: () => number): RaceEnv & { timeline: TimelineEntry[] } {
  const timeline: TimelineEntry[] = [];
  const family = (a: string) => (a.includes(':') ? 6 : 4);
  const sleep = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => clearTimeout(t), { once: true });
    });

  /** How many sockets toward the target the OS shows in SYN_SENT; null where the table cannot tell. */
  const countSynSent = async (atLeast: number): Promise<number | null> => {
    const until = now() + SYN_SENT_WAIT_MS;
    for (;;) {
      const table = await backend.readSocketTable().catch(() => null);
      if (!table) return null;
      const n = table.rows.filter((r) => r.state === 'SYN_SENT' && r.remote.port === target.port && r.remote.address === target.address).length;
      if (n >= atLeast || now() >= until) return n;
      await sleep(20);
    }
  };

  return {
    timeline,
    now,
    sleep,
    async control(deadlineMs, label, signal): Promise<ControlResult> {
      const a = await timedConnect(control.address, control.port, { timeoutMs: deadlineMs, now, signal });
      timeline.push({ label, kind: 'control', startMs: a.startMs, endMs: a.startMs + a.durationMs, outcome: a.errorCode ?? a.outcome });
      return { ok: a.outcome === 'connected', ms: a.durationMs, errorCode: a.errorCode };
    },
    async openPending(count, by: Opener, label): Promise<PendingGroup> {
      const group = by === 'self' ? openInProcess(count, label) : await openInChild(count, label);
      group.synSent = await countSynSent(count);
      return group;
    },
  };

  function openInProcess(count: number, label: string): PendingGroup {
    const entries: TimelineEntry[] = [];
    const attempts: Attempt[] = [];
    let ended: { outcome: string; errorCode: string | null } | null = null;
    for (let i = 0; i < count; i++) {
      const e: TimelineEntry = { label: `${label} #${i + 1}`, kind: 'pending', startMs: now(), endMs: null, outcome: 'pending' };
      const end = (outcome: string, errorCode: string | null) => {
        if (e.endMs !== null) return;
        e.endMs = now();
        e.outcome = outcome;
        ended ??= { outcome, errorCode };
        attempt.close();
      };
      const attempt = startAttempt(target.address, target.port, { onConnect: () => end('connected', null), onError: (code) => end(classifyConnectError(code).outcome, code) }, PENDING_MAX_MS);
      entries.push(e);
      attempts.push(attempt);
      timeline.push(e);
    }
    const abandonAll = () => {
      for (const [i, a] of attempts.entries()) {
        if (entries[i]!.endMs === null) {
          entries[i]!.endMs = now();
          entries[i]!.outcome = 'abandoned';
        }
        a.close();
      }
    };
    const release = onInterrupt(abandonAll);
    return {
      pending: () => entries.filter((e) => e.endMs === null).length,
      firstEnded: () => ended,
      synSent: null,
      abandon: async () => {
        abandonAll();
        release();
      },
    };
  }

  async function openInChild(count: number, label: string): Promise<PendingGroup> {
    const e: TimelineEntry = { label: `${label} x${count}`, kind: 'pending', startMs: now(), endMs: null, outcome: 'pending' };
    timeline.push(e);
    const child = spawn(process.execPath, ['-e', PENDING_CHILD_SCRIPT, target.address, String(target.port), String(family(target.address)), String(count)], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const release = onInterrupt(() => void child.kill('SIGKILL'));
    let live = count;
    let ended: { outcome: string; errorCode: string | null } | null = null;
    // Whole lines only (a line may arrive in two chunks); a child that exits,
    // fails to start or stays silent ends the wait instead of hanging it.
    await new Promise<void>((resolve, reject) => {
      const fail = (why: string) => reject(new Error(`the child process that opens attempts ${why}`));
      const silent = setTimeout(() => fail('did not start within 5 s'), 5000);
      child.once('error', (e) => fail(`could not start: ${e.message}`));
      child.once('exit', (code) => fail(`exited (${code}) before opening its attempts`));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (line === 'issued') {
          clearTimeout(silent);
          resolve();
        } else if (line.startsWith('ended ')) {
          live--;
          const code = line.slice(6);
          ended ??= code === 'connected' ? { outcome: 'connected', errorCode: null } : { outcome: classifyConnectError(code).outcome, errorCode: code };
        }
      });
    });
    return {
      pending: () => live,
      firstEnded: () => ended,
      synSent: null,
      abandon: async () => {
        if (child.exitCode === null && child.signalCode === null) {
          const gone = new Promise((r) => child.once('exit', r));
          child.kill('SIGKILL');
          await gone;
        }
        e.endMs = now();
        e.outcome = 'abandoned';
        release();
      },
    };
  }
}
