// When each OS sends an unanswered SYN again (os/syn-schedule.ts cites
// the sources), and which resend an attempt's time matches.
import { describe, expect, it } from 'vitest';
import { matchResend, nextResendAfter, synResendSchedule, type SynSchedule } from '../../src/os/syn-schedule.js';

const schedule = (os: Parameters<typeof synResendSchedule>[0], settings: Record<string, number> = {}) => synResendSchedule(os, settings) as SynSchedule;

describe('SYN resend schedules', () => {
  it('Linux 6.5 and later: 1 s apart for tcp_syn_linear_timeouts more resends, then doubling (measured on 6.18)', () => {
    expect(schedule('linux', { tcpSynRetries: 6, tcpSynLinearTimeouts: 4 }).resendsAtMs).toEqual([1000, 2000, 3000, 4000, 5000, 7000]);
    expect(schedule('linux', { tcpSynRetries: 8, tcpSynLinearTimeouts: 4 }).resendsAtMs).toEqual([1000, 2000, 3000, 4000, 5000, 7000, 11_000, 19_000]);
  });

  it('Linux before 6.5 (no tcp_syn_linear_timeouts): doubling from 1 s', () => {
    const s = schedule('linux', { tcpSynRetries: 6 });
    expect(s.resendsAtMs).toEqual([1000, 3000, 7000, 15_000, 31_000, 63_000]);
    expect(s.basis).toBe('Linux resends an unanswered SYN after its initial RTO of 1 s, then twice as long each time (net.ipv4.tcp_syn_retries 6)');
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
    expect(nextResendAfter(linux, 0, 8000)).toBeNull();
  });
});
