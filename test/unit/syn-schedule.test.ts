// When each OS sends an unanswered SYN again (os/syn-schedule.ts cites
// the sources), and which resend an attempt's time matches.
import { describe, expect, it } from 'vitest';
import { linuxSynTimeline, matchResend, synGiveUpAtMs, nextResendAfter, resendLateSidesMs, synResendSchedule, timerWheelLateMs, type SynSchedule } from '../../src/os/syn-schedule.js';

const schedule = (os: Parameters<typeof synResendSchedule>[0], settings: Record<string, number> = {}) => synResendSchedule(os, settings) as SynSchedule;

describe('SYN resend schedules', () => {
  // The kernel's tcp_write_timeout() (net/ipv4/tcp_timer.c, 6.5 and later):
  // a SYN_SENT socket gives up after tcp_syn_retries + tcp_syn_linear_timeouts
  // resends, or once tcp_model_timeout(tcp_syn_retries) of exponential
  // backoff from 1 s has passed, whichever comes first; ip-sysctl.rst: the
  // default 6 "corresponds to 67seconds (with tcp_syn_linear_timeouts = 4)
  // till the last retransmission", "the final timeout ... after 131seconds".
  it('Linux 6.5 and later: 1 s apart for tcp_syn_linear_timeouts more resends, then doubling, tcp_syn_retries + linear resends in all (measured on 6.18)', () => {
    const s = schedule('linux', { tcpSynRetries: 6, tcpSynLinearTimeouts: 4 });
    expect(s.resendsAtMs).toEqual([1000, 2000, 3000, 4000, 5000, 7000, 11_000, 19_000, 35_000, 67_000]);
    expect(linuxSynTimeline(6, 4).giveUpAtMs).toBe(131_000);
    expect(s.basis).toBe(
      'Linux resends an unanswered SYN after its initial RTO of 1 s, 4 more times 1 s apart (net.ipv4.tcp_syn_linear_timeouts 4), ' +
        'then twice as long each time: 10 resends, so 11 SYNs in all with the first (net.ipv4.tcp_syn_retries 6 plus the 4), and gives up at 131 s',
    );
  });

  it('Linux 6.5 and later with few retries: the time bound of tcp_syn_retries ends the attempt first (measured: TCP_SYNCNT 2 gives up at 7 s)', () => {
    expect(linuxSynTimeline(2, 4)).toEqual({ resendsAtMs: [1000, 2000, 3000, 4000, 5000], giveUpAtMs: 7000 });
    expect(linuxSynTimeline(1, 4)).toEqual({ resendsAtMs: [1000, 2000], giveUpAtMs: 3000 });
    // A longer wait is capped at TCP_RTO_MAX (120 s), as the kernel's model is.
    expect(linuxSynTimeline(8, 4).resendsAtMs.slice(-3)).toEqual([67_000, 131_000, 251_000]);
    expect(linuxSynTimeline(8, 4).giveUpAtMs).toBe(371_000);
  });

  // A user trial read "5 times in all (net.ipv4.tcp_syn_retries 2 plus the 4)":
  // the count was the timeline's, the sum was not, and 2 plus 4 is not 5.
  it('says what it counts when the time bound ends the attempt first: the first SYN and N resends are N + 1 SYNs, and the sum it did not reach', () => {
    expect(schedule('linux', { tcpSynRetries: 2, tcpSynLinearTimeouts: 4 }).basis).toBe(
      'Linux resends an unanswered SYN after its initial RTO of 1 s, 4 more times 1 s apart (net.ipv4.tcp_syn_linear_timeouts 4): 5 resends, so 6 SYNs in all with the first; ' +
        'it gives up at 7 s, the time net.ipv4.tcp_syn_retries 2 allows, before the 6 resends it would count (net.ipv4.tcp_syn_retries 2 plus the 4)',
    );
    // Cut inside the linear phase: only as many 1 s steps as were sent.
    expect(schedule('linux', { tcpSynRetries: 1, tcpSynLinearTimeouts: 4 }).basis).toBe(
      'Linux resends an unanswered SYN after its initial RTO of 1 s, 1 more time 1 s apart (net.ipv4.tcp_syn_linear_timeouts 4): 2 resends, so 3 SYNs in all with the first; ' +
        'it gives up at 3 s, the time net.ipv4.tcp_syn_retries 1 allows, before the 5 resends it would count (net.ipv4.tcp_syn_retries 1 plus the 4)',
    );
    // Every number the sentence gives agrees with the schedule it describes.
    for (const [retries, linear] of [[1, 0], [2, 4], [3, 4], [6, 4], [6, 0], [8, 4], [15, 4]] as const) {
      const s = schedule('linux', { tcpSynRetries: retries, tcpSynLinearTimeouts: linear });
      const n = s.resendsAtMs.length;
      expect(s.basis).toContain(`: ${n} resend${n === 1 ? '' : 's'}, so ${n + 1} SYNs in all with the first`);
      expect(s.basis).toContain(`gives up at ${linuxSynTimeline(retries, linear).giveUpAtMs / 1000} s`);
      if (n === retries + linear) expect(s.basis).not.toContain('would count');
      else expect(s.basis).toContain(`before the ${retries + linear} resends it would count`);
    }
  });

  it('Linux before 6.5 (no tcp_syn_linear_timeouts): doubling from 1 s, tcp_syn_retries resends', () => {
    const s = schedule('linux', { tcpSynRetries: 6 });
    expect(s.resendsAtMs).toEqual([1000, 3000, 7000, 15_000, 31_000, 63_000]);
    expect(linuxSynTimeline(6, 0).giveUpAtMs).toBe(127_000);
    expect(s.basis).toBe('Linux resends an unanswered SYN after its initial RTO of 1 s, then twice as long each time: 6 resends, so 7 SYNs in all with the first (net.ipv4.tcp_syn_retries 6), and gives up at 127 s');
  });

  it('macOS: tcp_syn_backoff from 1 s, giving up at 75 s', () => {
    expect(schedule('darwin').resendsAtMs).toEqual([1000, 2000, 3000, 4000, 5000, 7000, 11_000, 19_000, 35_000, 67_000]);
  });

  it('when the OS gives up by itself: the end of Linux\'s timeline as its settings make it, 75 s on macOS, unknown elsewhere', () => {
    expect(synGiveUpAtMs('linux', { tcpSynRetries: 6, tcpSynLinearTimeouts: 4 })).toBe(131_000);
    expect(synGiveUpAtMs('linux', { tcpSynRetries: 2, tcpSynLinearTimeouts: 4 })).toBe(7000);
    expect(synGiveUpAtMs('linux', { tcpSynRetries: 6 })).toBe(127_000);
    expect(synGiveUpAtMs('darwin', {})).toBe(75_000);
    expect(synGiveUpAtMs('win32', {})).toBeNull();
    expect(synGiveUpAtMs('freebsd', {})).toBeNull();
  });

  it('Windows is not guessed', () => {
    expect(synResendSchedule('win32', {})).toEqual({ unknown: expect.stringMatching(/initial RTO .* not read yet/) });
  });
});

describe('matching an attempt to a resend', () => {
  const linux = schedule('linux', { tcpSynRetries: 6, tcpSynLinearTimeouts: 4 });
  const old = schedule('linux', { tcpSynRetries: 6 });

  it('a fast attempt, or one between resends, matches none', () => {
    expect(matchResend(0.4, linux, 0.3)).toBeNull();
    expect(matchResend(600, linux, 0.3)).toBeNull();
    expect(matchResend(1600, linux, 0.3)).toBeNull();
  });

  it('about 1 s is the first resend, about 3 s the second (older kernels) or the third (1 s apart)', () => {
    expect(matchResend(1003.2, linux, 0.3)).toEqual({ resends: 1, resendAtMs: 1000 });
    expect(matchResend(985, linux, 0)).toEqual({ resends: 1, resendAtMs: 1000 });
    expect(matchResend(3004, old, 0.3)).toEqual({ resends: 2, resendAtMs: 3000 });
    expect(matchResend(3004, linux, 0.3)).toEqual({ resends: 3, resendAtMs: 3000 });
  });

  it('a slower path widens the window by its round trip', () => {
    expect(matchResend(1400, linux, 0.3)).toBeNull();
    expect(matchResend(1400, linux, 150)).toEqual({ resends: 1, resendAtMs: 1000 });
  });

  // A loaded host (CI: 2 cores, the suite run several times) runs a resend's
  // timer late on top of the wheel's rounding (HZ 250: up to 32 ms for 1 s).
  it("a resend the kernel's timer wheel fired late, on a busy host, is still that resend", () => {
    expect(matchResend(1300, linux, 0.3)).toEqual({ resends: 1, resendAtMs: 1000 });
    // Each wait is armed when the previous timer fired: the lateness adds up (1 s, then 2 s, on an older kernel).
    expect(matchResend(3550, old, 0.3)).toEqual({ resends: 2, resendAtMs: 3000 });
    expect(matchResend(2480, linux, 0.3)).toEqual({ resends: 2, resendAtMs: 2000 });
  });

  it('the late side is 250 ms plus the wheel\'s rounding of every wait so far', () => {
    const r = (x: number) => Math.round(x);
    expect(resendLateSidesMs(linux).map(r)).toEqual([377, 504, 631, 758, 885, 1139, 1647, 2663, 4694, 8758]);
    expect(resendLateSidesMs(old).map(r)).toEqual([377, 631, 1139, 2155, 4187, 8250]);
  });

  // kernel/time/timer.c: level n >= 1 takes waits from LVL_START(n) = 63 << 3(n-1)
  // jiffies and rounds them up to LVL_GRAN(n) = 8^n jiffies (the table in its header).
  it("the wheel's bound covers its granularity at every CONFIG_HZ, for waits beyond level 0", () => {
    const granuleMs = (waitMs: number, hz: number) => {
      const jiffies = Math.ceil((waitMs * hz) / 1000);
      let level = 0;
      while (jiffies >= 63 * 8 ** level) level++;
      return { level, ms: (8 ** level * 1000) / hz };
    };
    expect(granuleMs(1000, 250)).toEqual({ level: 1, ms: 32 });
    expect(granuleMs(4000, 250)).toEqual({ level: 2, ms: 256 });
    expect(granuleMs(64_000, 250)).toEqual({ level: 3, ms: 2048 });
    for (const hz of [100, 250, 300, 1000]) {
      for (let wait = 700; wait <= 120_000; wait += 100) {
        const g = granuleMs(wait, hz);
        if (g.level > 0) expect(g.ms, `${wait} ms at HZ ${hz}`).toBeLessThanOrEqual(timerWheelLateMs(wait) + 1000 / hz);
      }
    }
  });

  it('no time reads as two resends: each late side ends before the next resend is due, also where the linear phase is long', () => {
    const long = schedule('linux', { tcpSynRetries: 6, tcpSynLinearTimeouts: 12 });
    for (const s of [linux, old, long, schedule('darwin'), schedule('freebsd')]) {
      const sides = resendLateSidesMs(s);
      s.resendsAtMs.slice(1).forEach((next, i) => expect(s.resendsAtMs[i]! + sides[i]!).toBeLessThan(next - 30));
      // Just past a resend's late side, and just before the next, nothing matches.
      const at = s.resendsAtMs;
      expect(matchResend(at[0]! + sides[0]! + 1, s, 0)).toBeNull();
      expect(matchResend(at[1]! - 31, s, 0)).toBeNull();
    }
    // With the default 4 linear resends the widening never has to stop short.
    expect(resendLateSidesMs(linux)[4]).toBeCloseTo(250 + 5 * timerWheelLateMs(1000));
    // With 12 it does, from the 6th resend on (1 s apart up to 13 s).
    expect(resendLateSidesMs(long).slice(4, 7).map(Math.round)).toEqual([885, 969, 969]);
  });

  it('the next chance of a waiting client after a time', () => {
    expect(nextResendAfter(linux, 30, 2000)).toBe(2030);
    expect(nextResendAfter(linux, 30, 2030)).toBe(3030);
    expect(nextResendAfter(linux, 0, 8000)).toBe(11_000);
    expect(nextResendAfter(linux, 0, 67_000)).toBeNull();
  });
});
