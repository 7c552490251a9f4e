// One connect attempt to one address, family pinned (no Happy Eyeballs: what
// is measured is the OS, not Node's fallback), with a hard deadline. The OS
// is asked to end the attempt itself at the deadline where it can (the
// backend's prepareUserTimeout), but only when the deadline comes before the
// OS would give up on its own: on Linux TCP_USER_TIMEOUT replaces the time
// bound of tcp_syn_retries (tcp_write_timeout() then ends a SYN_SENT socket
// at the user timeout or after tcp_syn_retries + tcp_syn_linear_timeouts
// resends, whichever comes first), so a longer one would make the attempt
// last longer than any client's (measured on 6.18 with tcp_syn_retries 2:
// 11.4 s with it, 7.15 s without). A timer destroys the socket as the
// backstop, or at the deadline when the kernel is not told.

import { connect, type Socket } from 'node:net';
import { onInterrupt } from '../lifecycle/interrupt.js';
import type { KernelDeadline, UserTimeout } from '../os/backend.js';
import { classifyConnectError, TIMEOUT_MEANING, type ConnectOutcome } from './connect-outcome.js';

export interface ConnectAttempt {
  address: string;
  family: 'ipv4' | 'ipv6';
  port: number;
  outcome: ConnectOutcome;
  errorCode: string | null;
  meaning: string | null;
  /** When the attempt started, relative to the probe's start. */
  startMs: number;
  /** Time to the outcome (connected, error or deadline). */
  durationMs: number;
  /**
   * What ended a timed-out attempt: the kernel option tcpdiag set (its
   * ETIMEDOUT at the deadline), "os" (the OS gave up on its own SYN schedule,
   * before the deadline, as it would for any client), or "timer" (tcpdiag's
   * own timer at the deadline); null when no deadline ended it (an answer or
   * another error came first).
   */
  deadlineBy: DeadlineBy | null;
}

export type DeadlineBy = KernelDeadline | 'os' | 'timer';

export interface ConnectOptions {
  timeoutMs: number;
  /** ms since the probe's start, for the timeline. */
  now: () => number;
  /** Asks the OS to end the attempt at the deadline; returns the mechanism's name, or null. */
  bound?: UserTimeout | null;
  /**
   * When the OS gives up on unanswered SYNs by itself (os/syn-schedule.ts
   * synGiveUpAtMs), from the first SYN. `bound` is used only for a deadline
   * before it; null or absent (not known): never.
   */
  osGivesUpAtMs?: number | null;
  /** Ends the attempt early: outcome "abandoned". */
  signal?: AbortSignal;
}

// A backstop beyond the OS deadline, so the OS's own answer (ETIMEDOUT) arrives first when it can.
const BACKSTOP_MS = 250;

export function timedConnect(address: string, port: number, opts: ConnectOptions): Promise<ConnectAttempt> {
  const family = address.includes(':') ? 'ipv6' : 'ipv4';
  const startMs = opts.now();
  return new Promise((resolve) => {
    let kernelDeadline: KernelDeadline | null = null;
    let settled = false;
    const socket: Socket = connect({ host: address, port, family: family === 'ipv6' ? 6 : 4, autoSelectFamily: false });
    const release = onInterrupt(() => void socket.destroy());
    const finish = (outcome: ConnectOutcome, errorCode: string | null, meaning: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      release();
      socket.destroy();
      const deadlineBy: DeadlineBy | null = errorCode === 'ETIMEDOUT' ? (kernelDeadline ?? 'os') : outcome === 'timeout' ? 'timer' : null;
      resolve({ address, family, port, outcome, errorCode, meaning, startMs, durationMs: Math.round((opts.now() - startMs) * 10) / 10, deadlineBy });
    };
    const onTimer = () => finish('timeout', null, TIMEOUT_MEANING);
    let timer = setTimeout(onTimer, opts.timeoutMs);
    // A probe that connected has said all it needs: close with RST, so it
    // leaves no TIME_WAIT socket behind and firewalls see it closed at once.
    socket.once('connect', () => {
      socket.resetAndDestroy();
      finish('connected', null, null);
    });
    opts.signal?.addEventListener('abort', () => finish('abandoned', null, null), { once: true });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      const c = classifyConnectError(err.code);
      finish(c.outcome, err.code ?? null, c.meaning);
    });
    // The descriptor exists once connect() has been issued, one tick later
    // (OS-FACTS.md). When the kernel takes the deadline, the timer moves back
    // a little so the kernel's own ETIMEDOUT arrives first. A deadline at or
    // after the OS's own end is left to the OS, as any client's connect is.
    const bound = opts.bound;
    const givesUp = opts.osGivesUpAtMs ?? null;
    if (bound && givesUp !== null && opts.timeoutMs < givesUp) {
      setImmediate(() => {
        const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
        if (settled || fd === undefined || fd < 0) return;
        const elapsed = opts.now() - startMs;
        kernelDeadline = bound(fd, Math.max(1, Math.round(opts.timeoutMs - elapsed)));
        if (!kernelDeadline) return;
        clearTimeout(timer);
        timer = setTimeout(onTimer, Math.max(0, opts.timeoutMs - elapsed) + BACKSTOP_MS);
      });
    }
  });
}
