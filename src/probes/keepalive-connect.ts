// `tcpdiag keepalive connect <host> <port>`: one real connection with the
// requested keepalive, read back, then kept idle until it ends (keepalive
// timeout, reset, or closed by the peer) or --max-wait passes. A liveness
// probe — a connect to the same endpoint (or --probe) every second —
// timestamps when the peer became unreachable.

import { connect } from 'node:net';
import { explainKeepalive } from '../explain/keepalive.js';
import { onInterrupt } from '../lifecycle/interrupt.js';
import { applyKeepalive, type KeepaliveRequest } from '../net/keepalive.js';
import { timedConnect } from '../net/timed-connect.js';
import type { OsBackend } from '../os/backend.js';
import { CannotRunError } from '../report/errors.js';
import type { ProbeResult } from '../report/types.js';
import { formatEndpoint } from '../sockets/address.js';
import type { KeepaliveData } from './keepalive-data.js';

export interface KeepaliveConnectInput extends KeepaliveRequest {
  target: { address: string; port: number };
  probe: { address: string; port: number };
  maxWaitMs: number;
  backend: () => OsBackend;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  progress: (message: string) => void;
}

const PROBE_EVERY_MS = 1000;

export async function probeKeepaliveConnect(input: KeepaliveConnectInput): Promise<ProbeResult<KeepaliveData>> {
  const backend = input.backend();
  const ffi = (await backend.prepareKeepaliveOptions?.()) ?? null;
  const noDescriptor = (await backend.prepareKeepaliveWithoutDescriptor?.()) ?? null;
  // Context for the report only: a sysctl or reg query that fails does not stop the probe.
  const d = (await backend.readKeepaliveDefaults?.().catch(() => null)) ?? null;
  const defaults = d && { idleS: d.idleS, intervalS: d.intervalS, count: d.count };
  const where = formatEndpoint(input.target);
  const socket = connect({ host: input.target.address, port: input.target.port, family: input.target.address.includes(':') ? 6 : 4, autoSelectFamily: false });
  const release = onInterrupt(() => void socket.destroy());
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', (e: NodeJS.ErrnoException) => reject(new CannotRunError(`could not connect to ${where}: ${e.code ?? e.message}`)));
      setTimeout(() => reject(new CannotRunError(`could not connect to ${where} within 5 s`)), 5000).unref();
    });
    const establishedAtMs = input.now();
    let lastActivityMs = establishedAtMs;
    const applied = applyKeepalive(socket, input, ffi, noDescriptor);
    input.progress(`connected to ${where}; keepalive applied via ${applied.via}; waiting up to ${input.maxWaitMs / 1000} s for the connection to end`);
    // Data from the peer is activity: keepalive's idle time starts again.
    socket.on('data', () => (lastActivityMs = input.now()));
    const ended = new Promise<{ endedAtMs: number; endReason: string | null }>((resolve) => {
      socket.once('error', (e: NodeJS.ErrnoException) => resolve({ endedAtMs: input.now(), endReason: e.code ?? 'error' }));
      socket.once('close', () => resolve({ endedAtMs: input.now(), endReason: null }));
    });
    const liveness = { lastReachableAtMs: null as number | null, firstUnreachableAtMs: null as number | null };
    let done = false;
    const probing = (async () => {
      while (!done) {
        const t = input.now();
        const a = await timedConnect(input.probe.address, input.probe.port, { timeoutMs: PROBE_EVERY_MS, now: input.now });
        if (a.outcome === 'connected') liveness.lastReachableAtMs = t;
        else liveness.firstUnreachableAtMs ??= t;
        await input.sleep(Math.max(0, PROBE_EVERY_MS - (input.now() - t)));
      }
    })();
    // Its own timer, cleared when the connection ends first: a pending
    // --max-wait timer would keep the process alive after the report.
    let maxWaitTimer: NodeJS.Timeout | undefined;
    const maxWait = new Promise<{ endedAtMs: number; endReason: string }>((resolve) => {
      maxWaitTimer = setTimeout(() => resolve({ endedAtMs: input.now(), endReason: 'not-detected' }), input.maxWaitMs);
    });
    const end = await Promise.race([ended, maxWait]);
    clearTimeout(maxWaitTimer);
    done = true;
    await probing;
    // Where the OS supplies interval and count (Windows, idle only), the socket runs with those.
    const runs = applied.osApplied ?? input;
    const expected = (runs.idleS + runs.intervalS * runs.count) * 1000;
    const unreachable = liveness.firstUnreachableAtMs;
    const data: KeepaliveData = {
      requested: { idleMs: input.idleS * 1000, intervalMs: input.intervalS * 1000, count: input.count, userTimeoutMs: null },
      applied,
      pendingData: false,
      expectedDetectionMs: expected,
      peerUnreachableAtMs: unreachable === null ? null : Math.round(unreachable - establishedAtMs),
      endedAtMs: Math.round(end.endedAtMs - establishedAtMs),
      detectedAfterMs: end.endReason === 'not-detected' ? null : Math.round(end.endedAtMs - lastActivityMs),
      endReason: end.endReason,
      defaults,
      target: input.target,
      probe: input.probe,
    };
    return explainKeepalive(data, backend.os);
  } finally {
    socket.destroy();
    release();
  }
}
