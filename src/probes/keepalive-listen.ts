// `tcpdiag keepalive listen <port>`: the server side. Every accepted
// connection gets the requested keepalive (read back), and each client's
// end — keepalive timeout, reset, closed by the peer — is reported against
// idle + interval x count. Stops after --clients connections have ended, or
// at --max-wait.
//
// The listening socket gets the settings first where it has a descriptor
// (Linux, through koffi): an accepted socket inherits them from it, and each
// one is read back before tcpdiag touches it, so the report shows what a
// server that configures only its listening socket gives its clients. Where
// there is no descriptor (Windows) that cannot be read, and the report says so.

import { createServer, type Socket } from 'node:net';
import { withinTolerance } from '../explain/keepalive.js';
import { plural } from '../text/words.js';
import { onInterrupt } from '../lifecycle/interrupt.js';
import { applyKeepalive, type KeepaliveApplied, type KeepaliveRequest } from '../net/keepalive.js';
import type { KeepaliveOptions, KeepaliveValues, OsBackend } from '../os/backend.js';
import { CannotRunError } from '../report/errors.js';
import type { Finding, ProbeResult } from '../report/types.js';
import { formatEndpoint } from '../sockets/address.js';

export interface KeepaliveListenInput extends KeepaliveRequest {
  port: number;
  clients: number;
  maxWaitMs: number;
  backend: () => OsBackend;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  progress: (message: string) => void;
}

export interface ListenClient {
  remote: { address: string; port: number };
  acceptedAtMs: number;
  /** What the accepted socket held before tcpdiag set anything: inherited from the listening socket; null where it cannot be read. */
  inherited: KeepaliveValues | null;
  applied: KeepaliveApplied;
  endedAtMs: number | null;
  /** From the client's last activity (accept, or data) to the end. */
  detectedAfterMs: number | null;
  /** Error code; null: closed by the peer; "not-ended" when still open at the end. */
  endReason: string | null;
}

export interface KeepaliveListenData {
  port: number;
  /** The listening socket: whether it got the settings (accepted sockets inherit them), and how, in words. */
  listener: { set: boolean; note: string };
  requested: { idleMs: number; intervalMs: number; count: number };
  expectedDetectionMs: number;
  clients: ListenClient[];
}

export async function probeKeepaliveListen(input: KeepaliveListenInput): Promise<ProbeResult<KeepaliveListenData>> {
  const backend = input.backend();
  const ffi = (await backend.prepareKeepaliveOptions?.()) ?? null;
  const noDescriptor = (await backend.prepareKeepaliveWithoutDescriptor?.()) ?? null;
  const clients: ListenClient[] = [];
  const sockets: Socket[] = [];
  let ended = 0;
  let wake = () => {};
  const server = createServer((s) => {
    sockets.push(s);
    // Read before applyKeepalive sets anything: what the socket brought from the listener.
    const inherited = ffi && fdOf(s) >= 0 ? ffi.get(fdOf(s)) : null;
    const c: ListenClient = { remote: { address: s.remoteAddress ?? '?', port: s.remotePort ?? 0 }, acceptedAtMs: Math.round(input.now()), inherited, applied: applyKeepalive(s, input, ffi, noDescriptor), endedAtMs: null, detectedAfterMs: null, endReason: 'not-ended' };
    let lastActivity = input.now();
    clients.push(c);
    input.progress(`client ${formatEndpoint(c.remote)} accepted; keepalive via ${c.applied.via}${c.applied.verified ? ' (verified)' : ''}`);
    s.on('data', () => (lastActivity = input.now()));
    const finish = (reason: string | null) => {
      if (c.endedAtMs !== null) return;
      c.endedAtMs = Math.round(input.now());
      c.detectedAfterMs = Math.round(input.now() - lastActivity);
      c.endReason = reason;
      ended++;
      input.progress(`client ${formatEndpoint(c.remote)} ended: ${reason ?? 'closed by the peer'}`);
      wake();
    };
    s.once('error', (e: NodeJS.ErrnoException) => finish(e.code ?? 'error'));
    s.once('close', () => finish(null));
  });
  const release = onInterrupt(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  let listener: KeepaliveListenData['listener'] = { set: false, note: '' };
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => reject(new CannotRunError(`cannot listen on port ${input.port}: ${e.code ?? e.message} (tcpdiag bind ${input.port} says why)`)));
      server.listen(input.port, () => resolve());
    });
    listener = configureListener(fdOf(server), input, ffi, noDescriptor !== null);
    input.progress(`listening on port ${input.port}; waiting for ${plural(input.clients, 'client')} to end, at most ${input.maxWaitMs / 1000} s`);
    const deadline = input.now() + input.maxWaitMs;
    while (ended < input.clients && input.now() < deadline) {
      await Promise.race([new Promise<void>((r) => (wake = r)), input.sleep(Math.min(1000, Math.max(0, deadline - input.now())))]);
    }
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
    release();
  }
  // Where the OS supplies interval and count (Windows, idle only), the sockets run with those.
  const runs = clients[0]?.applied.osApplied ?? input;
  const expected = (runs.idleS + runs.intervalS * runs.count) * 1000;
  const data: KeepaliveListenData = { port: input.port, listener, requested: { idleMs: input.idleS * 1000, intervalMs: input.intervalS * 1000, count: input.count }, expectedDetectionMs: expected, clients };
  const findings = clients.flatMap((c) => explainClient(c, expected));
  const differs = clients.filter((c) => listener.set && c.inherited && !sameValues(c.inherited, input));
  if (differs.length > 0) {
    const i = differs[0]!.inherited!;
    findings.push({ code: 'keepalive-not-inherited', severity: 'warning', message: `${plural(differs.length, 'accepted socket')} did not bring the listening socket's keepalive settings (one held ${i.enabled ? `idle ${i.idleS} s, interval ${i.intervalS} s, count ${i.count}` : 'keepalive off'}): a server that sets keepalive only on its listening socket leaves these clients without it`, remedy: [] });
  }
  if (clients.length === 0) findings.push({ code: 'keepalive-no-clients', severity: 'info', message: `no client connected within ${input.maxWaitMs / 1000} s`, remedy: [] });
  const problem = findings.some((f) => f.severity !== 'info');
  // Only a client keepalive declared dead tested it: clients that closed, stayed open or never came leave it untested.
  const tested = clients.some((c) => c.endReason === 'ETIMEDOUT');
  const summary = `${plural(clients.length, 'client')}; ${clients.filter((c) => c.endReason === 'ETIMEDOUT').length} declared dead by keepalive, ${clients.filter((c) => c.endReason === null).length} closed by the peer, ${clients.filter((c) => c.endReason === 'not-ended').length} still open`;
  return { verdict: problem ? 'problem' : tested ? 'ok' : 'inconclusive', summary, findings, data };
}

function fdOf(handleOwner: object): number {
  return (handleOwner as { _handle?: { fd?: number } })._handle?.fd ?? -1;
}

function sameValues(v: KeepaliveValues, req: KeepaliveRequest): boolean {
  return v.enabled && v.idleS === req.idleS && v.intervalS === req.intervalS && v.count === req.count;
}

/** Sets the request on the listening socket where it has a descriptor, and says what that means for accepted sockets. */
function configureListener(fd: number, req: KeepaliveRequest, ffi: KeepaliveOptions | null, windows: boolean): KeepaliveListenData['listener'] {
  if (ffi && fd >= 0) {
    const took = ffi.set(fd, req);
    const all = ['SO_KEEPALIVE', 'idle', 'interval', 'count'].every((n) => took.includes(n));
    return { set: all, note: all ? 'set through setsockopt; each accepted socket is read back before tcpdiag sets anything on it' : `it took only ${took.join(', ') || 'nothing'}` };
  }
  if (windows) return { set: false, note: "Node gives no socket descriptor on Windows: the listening socket's settings cannot be set or read, so what an accepted socket inherits is unknown; tcpdiag sets the values on each accepted socket" };
  return { set: false, note: "the listening socket's options need koffi (optional dependency) to be set and read; tcpdiag sets the values on each accepted socket" };
}

function explainClient(c: ListenClient, expected: number): Finding[] {
  const who = formatEndpoint(c.remote);
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const out: Finding[] = c.applied.notes.map((n) => ({ code: 'keepalive-not-verified', severity: 'warning' as const, message: `${who}: ${n}`, remedy: [] }));
  if (c.endReason === 'ETIMEDOUT' && c.detectedAfterMs !== null) {
    const ok = withinTolerance(c.detectedAfterMs, expected);
    out.push({ code: ok ? 'keepalive-detected' : 'keepalive-detected-late', severity: ok ? 'info' : 'warning', message: `${who} declared dead ${s(c.detectedAfterMs)} after its last activity, by keepalive; expected ${s(expected)}`, remedy: [] });
  } else if (c.endReason === null) {
    out.push({ code: 'keepalive-peer-closed', severity: 'info', message: `${who} closed the connection: a client that closes is alive, so keepalive had nothing to detect on it`, remedy: [] });
  } else if (c.endReason === 'not-ended') {
    out.push({ code: 'keepalive-not-detected', severity: 'info', message: `${who} was still connected when tcpdiag stopped`, remedy: [] });
  } else {
    out.push({ code: 'keepalive-ended-otherwise', severity: 'info', message: `${who} ended with ${c.endReason} (the peer answered: it is not dead)`, remedy: [] });
  }
  return out;
}
