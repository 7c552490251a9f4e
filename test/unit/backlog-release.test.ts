// When `tcpdiag backlog` ends its hold (probes/backlog.ts releaseOffResends):
// never around a resend of the waiting clients' SYN, where who gets in turns
// on a few ms (a test on a loaded host saw the release before the resend,
// with the queue not yet emptied, and after it).
import { describe, expect, it } from 'vitest';
import { releaseOffResends } from '../../src/probes/backlog.js';
import { synResendSchedule } from '../../src/os/syn-schedule.js';

// Linux 6.18's defaults: resends at 1, 2, 3, 4, 5, 7, 11 ... s.
const linux = synResendSchedule('linux', { tcpSynRetries: 6, tcpSynLinearTimeouts: 4 });

describe('the end of the hold', () => {
  it('stays where asked when no resend is near it', () => {
    expect(releaseOffResends(linux, 50, 2500)).toEqual({ releaseMs: 2500, pastResendMs: null });
    expect(releaseOffResends(linux, 50, 1800)).toEqual({ releaseMs: 1800, pastResendMs: null });
  });

  it('moves past a resend due within the time the server needs to empty its queue, or within the timer wheel\'s rounding after it', () => {
    // Clients fired at 50 ms resend at 2050: a release at 2000 would leave 50 ms to empty the queue.
    expect(releaseOffResends(linux, 50, 2000)).toEqual({ releaseMs: 2050 + 1000 / 8 + 50, pastResendMs: 2050 });
    // Just after it: the resend may still be coming (a 1 s wait fires up to 1/8 s late).
    expect(releaseOffResends(linux, 50, 2100)).toEqual({ releaseMs: 2225, pastResendMs: 2050 });
    // A longer wait rounds coarser: 4 s before the resend at 11 s, up to 0.5 s late.
    expect(releaseOffResends(linux, 0, 11_000)).toEqual({ releaseMs: 11_000 + 4000 / 8 + 50, pastResendMs: 11_000 });
  });

  it('where the schedule is unknown (Windows), the hold is as asked', () => {
    expect(releaseOffResends(synResendSchedule('win32', {}), 50, 2000)).toEqual({ releaseMs: 2000, pastResendMs: null });
  });
});
