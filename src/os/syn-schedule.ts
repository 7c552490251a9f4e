// When an OS sends an unanswered SYN again: the evidence that a connect which
// took about 1 s (or 2, 3, 7 s) on a fast network lost its SYN or the
// SYN-ACK, and when a client waiting in SYN_SENT gets its next chance (backlog).
// Times are from the first SYN. Sources:
//  - Linux: the first resend after TCP_TIMEOUT_INIT, 1 s (RFC 6298; the
//    kernel's include/net/tcp.h); from 6.5, net.ipv4.tcp_syn_linear_timeouts
//    (default 4) more resends keep 1 s apart before the timeout doubles
//    (measured on 6.18: 1, 2, 3, 4, 5, 7, 11, 19 s); older kernels double at
//    once (1, 3, 7, 15 s). When it gives up: see linuxSynTimeline.
//  - macOS: TCPTV_RTOBASE 1 s times tcp_syn_backoff {1, 1, 1, 1, 1, 2, 4, 8,
//    16, 32, 64} (XNU bsd/netinet/tcp_timer.{h,c}): 1, 2, 3, 4, 5, 7, 11,
//    19, 35, 67 s, until the connect gives up at 75 s (TCPTV_KEEP_INIT).
//  - FreeBSD: net.inet.tcp.rexmit_initial (1 s) times tcp_backoff {1, 2, 4,
//    ...}, each later resend 200 ms later still (tcp_rexmit_slop): 1, 3.2,
//    7.4, 15.6 s (sys/netinet/tcp_timer.c).
//  - Windows: the initial RTO is 3 s up to Windows 7 / Server 2008 R2 and a
//    setting since (netsh int tcp show global: "Initial RTO", 1 s on current
//    releases; Microsoft's TcpInitialRTT / InitialRto documentation): not
//    known without reading it, so not judged.

import type { OsName } from '../os/port-ranges.js';

export interface SynSchedule {
  /** The wait before the first resend. */
  initialRtoMs: number;
  /** When the OS sends the SYN again, from the first one, as many times as it does. */
  resendsAtMs: number[];
  /** Where the schedule comes from, in words (OS, settings). */
  basis: string;
}

/** `settings`: readBacklogSettings' values (Linux: tcpSynRetries, tcpSynLinearTimeouts). */
export function synResendSchedule(os: OsName | null, settings: Readonly<Record<string, number>>): SynSchedule | { unknown: string } {
  switch (os) {
    case 'linux': {
      const retries = settings.tcpSynRetries ?? 6;
      // Absent: a kernel before 6.5, which has no linear phase.
      const linear = settings.tcpSynLinearTimeouts ?? 0;
      const { resendsAtMs, giveUpAtMs } = linuxSynTimeline(retries, linear);
      return { initialRtoMs: 1000, resendsAtMs, basis: linuxBasis(retries, linear, resendsAtMs.length, giveUpAtMs) };
    }
    case 'darwin':
      return {
        initialRtoMs: 1000,
        resendsAtMs: cumulative([1, 1, 1, 1, 1, 2, 4, 8, 16, 32].map((x) => x * 1000)),
        basis: 'macOS resends an unanswered SYN after its initial RTO of 1 s, then 1, 1, 1, 1, 2, 4, 8 ... s apart',
      };
    case 'freebsd':
      return {
        initialRtoMs: 1000,
        resendsAtMs: cumulative([1000, 2200, 4200, 8200, 16_200, 32_200]),
        basis: 'FreeBSD resends an unanswered SYN after its initial RTO of 1 s (net.inet.tcp.rexmit_initial), then about twice as long each time',
      };
    case 'win32':
      return { unknown: "Windows' initial RTO (3 s up to Windows 7, a setting since: netsh int tcp show global) is not read yet" };
    default:
      return { unknown: 'the SYN resend schedule of this OS is not known' };
  }
}

/**
 * When the OS gives up on a connect whose SYNs go unanswered, as it would for
 * any client that sets no option of its own (ms from the first SYN), or null
 * where that is not known. Linux: linuxSynTimeline's end (the settings as
 * read; measured on 6.18 the timer wheel fires it a few seconds late, 135 s
 * for 131); macOS: TCPTV_KEEP_INIT, 75 s (XNU bsd/netinet/tcp_timer.h).
 */
export function synGiveUpAtMs(os: OsName | null, settings: Readonly<Record<string, number>>): number | null {
  if (os === 'linux') return linuxSynTimeline(settings.tcpSynRetries ?? 6, settings.tcpSynLinearTimeouts ?? 0).giveUpAtMs;
  if (os === 'darwin') return 75_000;
  return null;
}

/**
 * Linux's schedule in words, from the timeline's own numbers: the first SYN
 * and its `resends` resends, so resends + 1 SYNs in all, and which bound ended
 * it: the count (tcp_syn_retries plus the linear resends) or, with few retries,
 * the time tcp_syn_retries allows, which comes before that count is reached.
 */
function linuxBasis(retries: number, linear: number, resends: number, giveUpAtMs: number): string {
  const linearMore = Math.min(linear, resends - 1);
  const spacing =
    (linearMore > 0 ? `, ${linearMore} more ${linearMore === 1 ? 'time' : 'times'} 1 s apart (net.ipv4.tcp_syn_linear_timeouts ${linear})` : '') +
    (resends - 1 > linearMore ? ', then twice as long each time' : '');
  const counted = linear ? `net.ipv4.tcp_syn_retries ${retries} plus the ${linear}` : `net.ipv4.tcp_syn_retries ${retries}`;
  const sends = `${resends} ${resends === 1 ? 'resend' : 'resends'}, so ${resends + 1} SYNs in all with the first`;
  if (resends >= retries + linear) return `Linux resends an unanswered SYN after its initial RTO of 1 s${spacing}: ${sends} (${counted}), and gives up at ${giveUpAtMs / 1000} s`;
  return (
    `Linux resends an unanswered SYN after its initial RTO of 1 s${spacing}: ${sends}; it gives up at ${giveUpAtMs / 1000} s, ` +
    `the time net.ipv4.tcp_syn_retries ${retries} allows, before the ${retries + linear} resends it would count (${counted})`
  );
}

/** TCP_RTO_MAX: the longest wait between two resends (include/net/tcp.h; a sysctl, tcp_rto_max_ms, from 6.15 with this default). */
const RTO_MAX_MS = 120_000;

/**
 * Linux's SYN_SENT timer as tcp_retransmit_timer() and tcp_write_timeout()
 * (net/ipv4/tcp_timer.c) run it. Each time the timer fires, the socket gives
 * up if it has resent the SYN tcp_syn_retries + tcp_syn_linear_timeouts
 * times (the linear resends come on top, since 6.5), or if, after a first
 * resend, tcp_model_timeout(tcp_syn_retries) has passed since the first SYN:
 * the time that many resends take doubling from 1 s. Else it resends; the
 * wait doubles (up to TCP_RTO_MAX) once more than tcp_syn_linear_timeouts
 * resends went out. Defaults (6, 4): resends at 1, 2, 3, 4, 5, 7, 11, 19,
 * 35, 67 s and the end at 131 s (ip-sysctl.rst says the same; measured on
 * 6.18: 135 s, the timer wheel fires long timers late); with few retries the
 * time ends it first (TCP_SYNCNT 2: 7 s, measured). Without a linear phase
 * both bounds fall together (6: 1, 3, 7, 15, 31, 63 s, the end at 127 s).
 */
export function linuxSynTimeline(retries: number, linear: number): { resendsAtMs: number[]; giveUpAtMs: number } {
  const maxResends = retries + linear;
  const timeBoundMs = modelTimeoutMs(retries);
  const resendsAtMs: number[] = [];
  let rto = 1000;
  for (let at = rto; ; at += rto) {
    const sent = resendsAtMs.length;
    if (sent >= maxResends || (sent > 0 && at >= timeBoundMs)) return { resendsAtMs, giveUpAtMs: at };
    resendsAtMs.push(at);
    if (sent + 1 > linear) rto = Math.min(rto * 2, RTO_MAX_MS);
  }
}

/** tcp_model_timeout(): `boundary` resends doubling from 1 s, each wait at most TCP_RTO_MAX. */
function modelTimeoutMs(boundary: number): number {
  const threshold = Math.floor(Math.log2(RTO_MAX_MS / 1000)); // ilog2(120) = 6
  return boundary <= threshold ? ((2 << boundary) - 1) * 1000 : ((2 << threshold) - 1) * 1000 + (boundary - threshold) * RTO_MAX_MS;
}

function cumulative(gaps: readonly number[]): number[] {
  let t = 0;
  return gaps.map((g) => (t += g));
}

/** A timer fires a few ms early (the clocks' tick granularity); an answer needs one round trip more, and a busy host runs it later still. */
const EARLY_MS = 30;
const LATE_MS = 250;

/**
 * How late Linux's timer wheel may fire a timer set `waitMs` ahead
 * (kernel/time/timer.c): a timer goes on the level whose range holds its
 * wait, and its expiry is rounded up to that level's granularity
 * (calc_index()). Level n >= 1 holds waits from LVL_START(n) = 63 << 3(n-1)
 * jiffies and rounds to LVL_GRAN(n) = 8^n jiffies, so a granule is at most
 * 8/63 of the wait, whatever CONFIG_HZ (at HZ 250: 32 ms for a 1-2 s wait,
 * 256 ms up to 16 s, 2 s up to 2 min); level 0 (under 63 jiffies: 630 ms at
 * HZ 100, so no SYN resend's wait) rounds to a jiffy. The bound is taken for
 * the other kernels too, whose timers are not exact either; it only widens a
 * match.
 */
export function timerWheelLateMs(waitMs: number): number {
  return (waitMs * 8) / 63;
}

/**
 * How long after each resend's nominal time an answer still counts as that
 * resend's, on a path without delay of its own. The kernel arms each wait
 * when the previous timer fired, so the wheel's lateness adds up over the
 * resends (measured on 6.18: the give-up at 135 s, not 131). The widening
 * stops short of the next resend's window, so no time reads as two resends
 * (with the 1 s linear phase it never gets there: 5 s + 885 ms at most).
 */
export function resendLateSidesMs(schedule: SynSchedule): number[] {
  const at = schedule.resendsAtMs;
  let drift = 0;
  return at.map((t, i) => {
    drift += timerWheelLateMs(t - (i === 0 ? 0 : at[i - 1]!));
    const side = LATE_MS + drift;
    const next = at[i + 1];
    return next === undefined ? side : Math.min(side, next - EARLY_MS - t - 1);
  });
}

/**
 * How many resends an attempt of `durationMs` that got an answer needed: the
 * last resend at or before it, when the answer came within its late side
 * (resendLateSidesMs). `baselineMs`: how long an attempt without loss takes
 * here (the fastest of the others), widening the window on slow paths; 0
 * when unknown. Null: the first SYN was answered, or the time matches no
 * resend.
 */
export function matchResend(durationMs: number, schedule: SynSchedule, baselineMs: number): { resends: number; resendAtMs: number } | null {
  const sides = resendLateSidesMs(schedule);
  for (let k = schedule.resendsAtMs.length; k >= 1; k--) {
    const at = schedule.resendsAtMs[k - 1]!;
    const late = Math.max(sides[k - 1]!, 3 * baselineMs);
    if (durationMs >= at - EARLY_MS) return durationMs - at <= late ? { resends: k, resendAtMs: at } : null;
  }
  return null;
}

/** The first resend strictly after `afterMs` for a SYN first sent at `sentAtMs`, or null when the OS has given up by then. */
export function nextResendAfter(schedule: SynSchedule, sentAtMs: number, afterMs: number): number | null {
  const at = schedule.resendsAtMs.find((t) => sentAtMs + t > afterMs);
  return at === undefined ? null : sentAtMs + at;
}

/** When the k-th SYN of an attempt goes out (k = 0 is the first), in ms after the attempt started. */
export function synSentAtMs(s: SynSchedule, k: number): number {
  if (k <= 0 || s.resendsAtMs.length === 0) return 0;
  return s.resendsAtMs[Math.min(k, s.resendsAtMs.length) - 1]!;
}

/**
 * A schedule to wait through where the OS's is not known (Windows): 3 s,
 * doubling, Windows' documented initial RTO up to Windows 7 and the slowest
 * it may be since. Waiting longer than the OS resends only costs time; a
 * shorter wait could take a lost SYN for a held one.
 */
export function scheduleToWaitThrough(os: OsName | null, settings: Readonly<Record<string, number>>): SynSchedule {
  const known = synResendSchedule(os, settings);
  if ('resendsAtMs' in known) return known;
  return { initialRtoMs: 3000, resendsAtMs: [3000, 9000, 21_000], basis: `assumed 3 s, then twice as long each time: ${known.unknown}` };
}
