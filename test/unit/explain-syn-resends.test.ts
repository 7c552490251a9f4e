// Which attempts waited for a resent SYN, and what is left unjudged, on
// attempts built here (the live tests drop real SYNs in namespaces).
import { describe, expect, it } from 'vitest';
import { findSynResends, resendCertain, unjudgedSlowAttempts } from '../../src/explain/syn-resends.js';
import { synResendSchedule, type SynSchedule } from '../../src/os/syn-schedule.js';
import type { ConnectAttempt } from '../../src/net/timed-connect.js';
import { explainSynResends } from '../../src/explain/syn-lost.js';
import type { ConnectData } from '../../src/probes/connect-data.js';

const linux = synResendSchedule('linux', { tcpSynRetries: 6, tcpSynLinearTimeouts: 4 }) as SynSchedule;

function attempt(address: string, durationMs: number, outcome: ConnectAttempt['outcome'] = 'connected'): ConnectAttempt {
  return { address, family: address.includes(':') ? 'ipv6' : 'ipv4', port: 8080, outcome, errorCode: null, meaning: null, startMs: 0, durationMs, deadlineBy: outcome === 'timeout' ? 'timer' : null };
}

describe('findSynResends', () => {
  it('per address, against the fastest attempt there: a loss proven by a faster attempt leaves nothing unjudged', () => {
    const { found, notJudged } = findSynResends([attempt('10.0.0.1', 0.4), attempt('10.0.0.2', 2003), attempt('10.0.0.1', 1001.5), attempt('10.0.0.2', 0.9)], linux);
    expect(found).toEqual([
      { attempt: 1, address: '10.0.0.2', durationMs: 2003, resends: 2, resendAtMs: 2000, baselineMs: 0.9 },
      { attempt: 2, address: '10.0.0.1', durationMs: 1001.5, resends: 1, resendAtMs: 1000, baselineMs: 0.4 },
    ]);
    expect(notJudged).toEqual([]);
  });

  it('a refused attempt got an answer too: its SYN may have been resent first', () => {
    expect(findSynResends([attempt('10.0.0.1', 1002, 'refused')], linux).found).toEqual([expect.objectContaining({ resends: 1, baselineMs: null })]);
  });

  it('with nothing faster to the same address (a single attempt), a resend is found but the loss is not judged, and says why', () => {
    const { found, notJudged } = findSynResends([attempt('10.0.0.1', 1003), attempt('10.0.0.2', 0.4)], linux);
    expect(found).toEqual([expect.objectContaining({ address: '10.0.0.1', resends: 1, baselineMs: null })]);
    expect(notJudged).toEqual([
      'whether the connect to 10.0.0.1:8080 lost a SYN: it took as long as a resent SYN, but no attempt there came back sooner, so a round trip that long would look the same (--count 10 tells them apart)',
    ]);
  });

  it('on a loopback address a time that matches a resend is a lost SYN, judged without a faster attempt (no round trip there takes 1 s)', () => {
    for (const address of ['127.0.0.1', '127.3.2.1', '::1', '::ffff:127.0.0.1']) {
      const { found, notJudged } = findSynResends([attempt(address, 1018.2), attempt(address, 1003.9), attempt(address, 1010)], linux);
      expect(found.map((r) => [r.attempt, r.resends, r.baselineMs])).toEqual([[0, 1, null], [1, 1, null], [2, 1, null]]);
      expect(notJudged).toEqual([]);
      expect(resendCertain(found[0]!)).toBe(true);
    }
    expect(resendCertain({ address: '10.0.0.1', baselineMs: null })).toBe(false);
    expect(resendCertain({ address: '10.0.0.1', baselineMs: 0.4 })).toBe(true);
    // Look-alikes are not loopback.
    for (const address of ['128.0.0.1', '10.127.0.1', '::2', '::127.0.0.1', 'fe80::1']) expect(resendCertain({ address, baselineMs: null })).toBe(false);
  });

  it('timed-out attempts prove nothing about a resend', () => {
    expect(findSynResends([attempt('10.0.0.1', 1000, 'timeout'), attempt('10.0.0.1', 3000, 'abandoned')], linux).found).toEqual([]);
  });

  it('a path whose round trip is near the initial RTO is not judged, and says why', () => {
    const { found, notJudged } = findSynResends([attempt('10.0.0.1', 640), attempt('10.0.0.1', 1003)], linux);
    expect(found).toEqual([]);
    expect(notJudged).toEqual(['whether connects to 10.0.0.1:8080 lost a SYN: one takes 640 ms there, too close to the initial RTO (1 s) to tell a resent SYN from a slow round trip']);
  });
});

describe('an OS whose schedule is not known', () => {
  const win = synResendSchedule('win32', {}) as { unknown: string };

  it('a slow answered attempt is said to be unjudged, never passed as fine', () => {
    expect(unjudgedSlowAttempts([attempt('10.0.0.1', 0.5), attempt('10.0.0.1', 3004)], win)).toEqual([
      `whether the attempt that took 1 s or more lost a SYN: ${win.unknown}`,
    ]);
  });

  it('fast attempts need no judging', () => {
    expect(unjudgedSlowAttempts([attempt('10.0.0.1', 0.5)], win)).toEqual([]);
  });
});

describe('the syn-lost finding', () => {
  const data = (attempts: ConnectAttempt[]): ConnectData => {
    const { found } = findSynResends(attempts, linux);
    return { host: '10.0.0.1', port: 8080, resolved: [], dnsMs: null, timeoutMs: 5000, perAddress: [], attempts, synSchedule: linux, synResends: found };
  };

  it('is a warning when a faster attempt to the same address shows the path is fast', () => {
    expect(explainSynResends(data([attempt('10.0.0.1', 1003), attempt('10.0.0.1', 0.4)]))).toEqual([expect.objectContaining({ code: 'syn-lost', severity: 'warning' })]);
  });

  it('is only info with nothing to compare with (the default --count 1): a round trip that long would look the same', () => {
    const [f] = explainSynResends(data([attempt('10.0.0.1', 1003)]));
    expect(f).toMatchObject({ code: 'syn-lost', severity: 'info' });
    expect(f!.message).toMatch(/a round trip that long would look the same: --count 10 tells them apart\.$/);
  });

  it('is a warning on a loopback address even with nothing to compare with, and says why; no network loss is offered there', () => {
    const [f] = explainSynResends(data([attempt('127.0.0.1', 1018.2), attempt('127.0.0.1', 1003.9), attempt('127.0.0.1', 1010)]));
    expect(f).toMatchObject({ code: 'syn-lost', severity: 'warning' });
    expect(f!.message).toMatch(/^127\.0\.0\.1:8080: all 3 attempts waited for a resent SYN: attempt 1 took 1018\.2 ms, 18\.2 ms after the SYN was sent again at 1 s; .*, to a loopback address, where no round trip takes anywhere near 1 s\. Linux resends/);
    expect(f!.message).toMatch(/So the first SYN or the SYN-ACK answering it was lost or dropped on the way: a firewall or rate limit that drops packets, or a server whose accept queue is full/);
    expect(f!.message).not.toMatch(/loss on the network|would look the same/);
    const [v6] = explainSynResends(data([attempt('::1', 1003)]));
    expect(v6).toMatchObject({ severity: 'warning' });
    expect(v6!.message).toMatch(/^\[::1\]:8080: the connect waited for a resent SYN: took 1003 ms/);
  });
});
