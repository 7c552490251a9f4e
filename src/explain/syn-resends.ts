// Which connect attempts waited for a resent SYN (issue #20): an attempt that
// got its answer about 1 s (or 2, 3, 7 s) after it started, on a path where
// the others take a millisecond, had its first SYN or the SYN-ACK lost or
// dropped, and the OS sent the SYN again on its schedule (syn-schedule.ts).
// The evidence is the attempt's time against the OS's resend times, and the
// time of the attempts that lost nothing to the same address, or the
// address itself: on loopback no round trip comes near a resend's time.

import type { ConnectAttempt } from '../net/timed-connect.js';
import { formatEndpoint } from '../sockets/address.js';
import { isLoopback } from '../os/address-kind.js';
import { matchResend, type SynSchedule } from '../os/syn-schedule.js';
import type { SynResend } from '../probes/connect-data.js';

/** Outcomes that mean an answer came back: the SYN (or a resend of it) got through. */
const ANSWERED = new Set<ConnectAttempt['outcome']>(['connected', 'refused', 'reset']);

export function findSynResends(attempts: readonly ConnectAttempt[], schedule: SynSchedule): { found: SynResend[]; notJudged: string[] } {
  const found: SynResend[] = [];
  const notJudged: string[] = [];
  for (const address of new Set(attempts.map((a) => a.address))) {
    const mine = attempts.map((a, i) => ({ a, i })).filter(({ a }) => a.address === address && ANSWERED.has(a.outcome));
    const fast = mine.filter(({ a }) => a.durationMs < schedule.initialRtoMs - 30).map(({ a }) => a.durationMs);
    const baselineMs = fast.length ? Math.min(...fast) : null;
    if (baselineMs !== null && baselineMs >= schedule.initialRtoMs / 2) {
      const where = formatEndpoint({ address, port: mine[0]!.a.port });
      notJudged.push(`whether connects to ${where} lost a SYN: one takes ${baselineMs} ms there, too close to the initial RTO (${schedule.initialRtoMs / 1000} s) to tell a resent SYN from a slow round trip`);
      continue;
    }
    const before = found.length;
    for (const { a, i } of mine) {
      const m = matchResend(a.durationMs, schedule, baselineMs ?? 0);
      if (m) found.push({ attempt: i, address, durationMs: a.durationMs, ...m, baselineMs });
    }
    // Nothing faster to compare with (a single attempt): the time fits a
    // resend, but a path that slow would look the same, so the loss is not
    // judged (syn-lost is then only info). Not on loopback, where no round
    // trip takes that long (resendCertain).
    const matched = found.length - before;
    if (matched > 0 && baselineMs === null && !isLoopback(address)) {
      const where = formatEndpoint({ address, port: mine[0]!.a.port });
      const which = matched === 1 && mine.length === 1 ? 'the connect' : matched === 1 ? 'the attempt' : `the ${matched} attempts`;
      notJudged.push(
        `whether ${which} to ${where} lost a SYN: ${matched === 1 ? 'it' : 'each'} took as long as a resent SYN, but no attempt there came back sooner, so a round trip that long would look the same (--count 10 tells them apart)`,
      );
    }
  }
  return { found: found.sort((a, b) => a.attempt - b.attempt), notJudged };
}

/**
 * Whether an attempt whose time matched a resend certainly lost its first
 * SYN or the SYN-ACK: a faster attempt to the same address shows the path
 * is fast, or the address is a loopback one, where a round trip takes well
 * under a millisecond, never the initial RTO. Otherwise a round trip that
 * long would look the same (syn-lost is then only info).
 */
export function resendCertain(r: Pick<SynResend, 'address' | 'baselineMs'>): boolean {
  return r.baselineMs !== null || isLoopback(r.address);
}

/** Where the OS's schedule is unknown: slow answered attempts are said to be unjudged, not passed as fine. */
export function unjudgedSlowAttempts(attempts: readonly ConnectAttempt[], schedule: { unknown: string }): string[] {
  const slow = attempts.filter((a) => ANSWERED.has(a.outcome) && a.durationMs >= 900);
  if (slow.length === 0) return [];
  return [`whether the ${slow.length === 1 ? 'attempt' : `${slow.length} attempts`} that took 1 s or more lost a SYN: ${schedule.unknown}`];
}
