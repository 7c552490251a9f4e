// `tcpdiag keepalive selftest` (Linux, root): proves that the requested
// keepalive settings detect a dead peer on this host and this Node, and how
// fast. In a private network namespace a loopback connection gets the
// settings, then nftables drops every packet of it (the peer is silenced),
// and the time until the client's socket is declared dead is measured
// against idle + interval x count (OS-FACTS.md "Keepalive").

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { KeepaliveData } from './keepalive-data.js';
import { onInterrupt } from '../lifecycle/interrupt.js';
import type { KeepaliveApplied, KeepaliveRequest } from '../net/keepalive.js';
import type { OsBackend } from '../os/backend.js';
import { runTool } from '../os/run-tool.js';
import { CannotRunError } from '../report/errors.js';
import type { SelfCommand } from '../sea/self-command.js';
import type { ProbeResult } from '../report/types.js';
import { explainKeepalive } from '../explain/keepalive.js';

export interface SelftestInput extends KeepaliveRequest {
  pendingData: boolean;
  userTimeoutMs: number | null;
  /** Stop watching after this long; null: twice the expected time plus 5 s, or 60 s. */
  maxWaitMs: number | null;
  backend: () => OsBackend;
  /** How to run this tcpdiag again, inside the namespace (src/sea/self-command.ts). */
  self: SelfCommand;
  isRoot: boolean;
  progress: (message: string) => void;
}

const MAX_WAIT_MS = 60_000;
let counter = 0;

export async function probeKeepaliveSelftest(input: SelftestInput): Promise<ProbeResult<KeepaliveData>> {
  const backend = input.backend();
  if (backend.os !== 'linux') throw new CannotRunError('keepalive selftest builds a network namespace: it runs on Linux only');
  if (!input.isRoot) throw new CannotRunError('keepalive selftest needs root (it creates a network namespace and nftables rules)', ['sudo tcpdiag keepalive selftest ...']);
  const defaults = (await backend.readKeepaliveDefaults?.()) ?? null;
  const ns = `tdg-ka-${process.pid}-${counter++}`;
  await runTool('ip', ['netns', 'add', ns]);
  let inner: ReturnType<typeof spawn> | null = null;
  const cleanup = async () => {
    inner?.kill('SIGKILL');
    await runTool('ip', ['netns', 'del', ns]).catch(() => {});
  };
  const release = onInterrupt(cleanup);
  try {
    await runTool('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    const expected = expectedDetection(input);
    const maxWaitMs = input.maxWaitMs ?? Math.min(MAX_WAIT_MS, expected === null ? MAX_WAIT_MS : expected * 2 + 5000);
    const args = ['keepalive', '__inner', String(input.idleS), String(input.intervalS), String(input.count), input.pendingData ? '1' : '0', String(input.userTimeoutMs ?? ''), String(maxWaitMs)];
    inner = spawn('ip', ['netns', 'exec', ns, input.self.file, ...input.self.args, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: inner.stdout! })[Symbol.asyncIterator]();
    const next = async () => {
      const r = await lines.next();
      if (r.done) throw new CannotRunError('the measurement inside the namespace ended early');
      return JSON.parse(r.value as string);
    };
    const est = await next();
    input.progress(`connection up with keepalive idle ${input.idleS} s, interval ${input.intervalS} s, count ${input.count}; silencing the peer`);
    return await silenceAndMeasure(input, ns, est, next, inner, expected, defaults);
  } finally {
    await cleanup();
    release();
  }
}

async function silenceAndMeasure(
  input: SelftestInput,
  ns: string,
  est: { port: number; establishedAtMs: number; applied: KeepaliveApplied },
  next: () => Promise<{ silencedAtMs: number; endedAtMs: number; endReason: string | null }>,
  inner: ReturnType<typeof spawn>,
  expected: number | null,
  defaults: KeepaliveData['defaults'],
): Promise<ProbeResult<KeepaliveData>> {
  const p = est.port;
  // Only inside the test's own namespace: every packet of the connection is dropped.
  const ruleset = `table inet tdg {\n  chain input { type filter hook input priority 0; tcp sport ${p} drop; tcp dport ${p} drop; }\n}\n`;
  await runTool('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], undefined, ruleset);
  inner.stdin!.write('silenced\n');
  const end = await next();
  const from = input.pendingData ? end.silencedAtMs : est.establishedAtMs;
  const detectedAfterMs = end.endReason === 'not-detected' ? null : end.endedAtMs - from;
  const data: KeepaliveData = {
    requested: { idleMs: input.idleS * 1000, intervalMs: input.intervalS * 1000, count: input.count, userTimeoutMs: input.userTimeoutMs },
    applied: est.applied,
    pendingData: input.pendingData,
    expectedDetectionMs: expected,
    peerUnreachableAtMs: end.silencedAtMs - est.establishedAtMs,
    endedAtMs: end.endedAtMs - est.establishedAtMs,
    detectedAfterMs,
    endReason: end.endReason,
    defaults,
  };
  // selftest runs on Linux only (checked above).
  return explainKeepalive(data, 'linux');
}

function expectedDetection(i: SelftestInput): number | null {
  if (i.pendingData) return i.userTimeoutMs;
  return (i.idleS + i.intervalS * i.count) * 1000;
}
