// `tcpdiag connect <host> <port>`: every resolved address tried on its own,
// family pinned, with timings and each error explained. Repeats give
// min/median/p95/max per address.

import { explainConnect } from '../explain/connect.js';
import type { OsBackend } from '../os/backend.js';
import type { ProbeResult } from '../report/types.js';
import { timedConnect, type ConnectAttempt } from '../net/timed-connect.js';
import { summarizeTimes } from '../net/time-stats.js';
import { formatEndpoint } from '../sockets/address.js';
import { findSynResends, resendCertain, unjudgedSlowAttempts } from '../explain/syn-resends.js';
import { synGiveUpAtMs, synResendSchedule } from '../os/syn-schedule.js';
import type { AddressResult, ConnectData, Resolved } from './connect-data.js';

export interface ConnectInput {
  host: string;
  port: number;
  count: number;
  intervalMs: number;
  timeoutMs: number;
  /** -4 / -6: only addresses of this family. */
  family?: 'ipv4' | 'ipv6';
  resolve: () => Promise<Resolved>;
  backend: () => OsBackend;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export async function probeConnect(input: ConnectInput): Promise<ProbeResult<ConnectData>> {
  const all = await input.resolve();
  const resolved = input.family ? { ...all, addresses: all.addresses.filter((a) => a.family === input.family) } : all;
  const backend = input.backend();
  const bound = (await backend.prepareUserTimeout?.()) ?? null;
  // The SYN settings (Linux tcp_syn_retries, tcp_syn_linear_timeouts); a failing read leaves the defaults.
  const settings = (await backend.readBacklogSettings?.().catch(() => ({}))) ?? {};
  const schedule = synResendSchedule(backend.os, settings);
  // The kernel is told the deadline only when it comes before the OS gives up by itself (timed-connect.ts).
  const osGivesUpAtMs = synGiveUpAtMs(backend.os, settings);
  const attempts: ConnectAttempt[] = [];
  for (let round = 0; round < input.count; round++) {
    if (round > 0) await input.sleep(input.intervalMs);
    // In resolver order, one after the other: what a client without Happy Eyeballs meets first.
    for (const a of resolved.addresses) attempts.push(await timedConnect(a.address, input.port, { timeoutMs: input.timeoutMs, now: input.now, bound, osGivesUpAtMs }));
  }
  const perAddress = resolved.addresses.map((a): AddressResult => {
    const mine = attempts.filter((x) => x.address === a.address);
    const ok = mine.filter((x) => x.outcome === 'connected');
    return { ...a, connected: ok.length, failed: mine.length - ok.length, connectMs: summarizeTimes(ok.map((x) => x.durationMs)) };
  });
  const resends = 'unknown' in schedule ? null : findSynResends(attempts, schedule);
  const data: ConnectData = {
    host: input.host,
    port: input.port,
    resolved: resolved.addresses,
    dnsMs: resolved.dnsMs,
    timeoutMs: input.timeoutMs,
    perAddress,
    attempts,
    synSchedule: 'unknown' in schedule ? null : schedule,
    synResends: resends?.found ?? [],
  };
  if (!resolved.error && resolved.addresses.length === 0) {
    const others = all.addresses.map((a) => a.address).join(', ');
    const msg = `${input.host} has no ${input.family === 'ipv6' ? 'IPv6' : 'IPv4'} address (it resolves to ${others || 'nothing'})`;
    return { verdict: 'problem', summary: msg, findings: [{ code: 'no-address-for-family', severity: 'error', message: msg, remedy: [] }], data };
  }
  const findings = explainConnect(data, resolved.error ?? null);
  const notJudged = resends ? resends.notJudged : unjudgedSlowAttempts(attempts, schedule as { unknown: string });
  return { summary: summarize(data, resolved.error), findings, notJudged, data };
}

function summarize(d: ConnectData, dnsError: string | undefined): string {
  if (dnsError) return `${d.host} does not resolve (${dnsError})`;
  const parts = d.perAddress.map((a) => {
    const where = formatEndpoint({ address: a.address, port: d.port });
    const mine = d.synResends.filter((x) => x.address === a.address);
    const resent = mine.length;
    // With nothing faster to compare with, off loopback, the time is not proof of a resend (syn-resends.ts).
    if (a.failed === 0 && resent && !resendCertain(mine[0]!)) return `${where} connects (${a.connectMs!.median} ms: a resent SYN, or a round trip that long)`;
    if (a.failed === 0 && resent) return `${where} connects (${a.connectMs!.median} ms), ${resent === a.connected ? (resent === 1 ? 'after a resent SYN' : 'each after a resent SYN') : `${resent} of ${a.connected} after a resent SYN`}`;
    if (a.failed === 0) return `${where} connects (${a.connectMs!.median} ms)`;
    const first = d.attempts.find((x) => x.address === a.address && x.outcome !== 'connected')!;
    return `${where} ${first.outcome}${a.connected ? ` (${a.connected} of ${a.connected + a.failed} connected)` : ''}`;
  });
  return parts.join('; ');
}
