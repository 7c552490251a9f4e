// When each OS sends an unanswered SYN again (os/syn-schedule.ts cites
// the sources), and which resend an attempt's time matches.
import { describe, expect, it } from 'vitest';
import { linuxSynTimeline, matchResend, nextResendAfter, synResendSchedule, type SynSchedule } from '../../src/os/syn-schedule.js';

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
        'then twice as long each time, 10 times in all (net.ipv4.tcp_syn_retries 6 plus the 4), and gives up at 131 s',
    );
  });

  it('Linux 6.5 and later with few retries: the time bound of tcp_syn_retries ends the attempt first (measured: TCP_SYNCNT 2 gives up at 7 s)', () => {
    expect(linuxSynTimeline(2, 4)).toEqual({ resendsAtMs: [1000, 2000, 3000, 4000, 5000], giveUpAtMs: 7000 });
    expect(linuxSynTimeline(1, 4)).toEqual({ resendsAtMs: [1000, 2000], giveUpAtMs: 3000 });
    // A longer wait is capped at TCP_RTO_MAX (120 s), as the kernel's model is.
    expect(linuxSynTimeline(8, 4).resendsAtMs.slice(-3)).toEqual([67_000, 131_000, 251_000]);
    expect(linuxSynTimeline(8, 4).giveUpAtMs).toBe(371_000);
  });

  it('Linux before 6.5 (no tcp_syn_linear_timeouts): doubling from 1 s, tcp_syn_retries resends', () => {
    const s = schedule('linux', { tcpSynRetries: 6 });
    expect(s.resendsAtMs).toEqual([1000, 3000, 7000, 15_000, 31_000, 63_000]);
    expect(linuxSynTimeline(6, 0).giveUpAtMs).toBe(127_000);
    expect(s.basis).toBe('Linux resends an unanswered SYN after its initial RTO of 1 s, then twice as long each time, 6 times (net.ipv4.tcp_syn_retries 6), and gives up at 127 s');
  });

  it('macOS: tcp_syn_backoff from 1 s, giving up at 75 s', () => {
    expect(schedule('darwin').resendsAtMs).toEqual([1000, 2000, 3000, 4000, 5000, 7000, 11_000, 19_000, 35_000, 67_000]);
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
    expect(matchResend(1290, linux, 0.3)).toBeNull();
    expect(matchResend(1290, linux, 120)).toEqual({ resends: 1, resendAtMs: 1000 });
  });

  it('the next chance of a waiting client after a time', () => {
    expect(nextResendAfter(linux, 30, 2000)).toBe(2030);
    expect(nextResendAfter(linux, 30, 2030)).toBe(3030);
    expect(nextResendAfter(linux, 0, 8000)).toBe(11_000);
    expect(nextResendAfter(linux, 0, 67_000)).toBeNull();
  });
});
