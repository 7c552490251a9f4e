// When an unanswered connect attempt sends its SYNs again: a lost SYN (or
// SYN-ACK) shows up as a connect that takes one retransmit gap longer, and a
// measurement that must tell a lost SYN from a held one has to wait through
// the gaps. The schedule is the OS's, not a guess:
//
// - Linux: initial RTO 1 s (TCP_TIMEOUT_INIT, include/net/tcp.h), doubling;
//   since 6.5 the first `tcp_syn_linear_timeouts` + 1 gaps stay at the
//   initial RTO (default 4: SYNs at 0, 1, 2, 3, 4, 5, 7, 11, 19 s, measured
//   here on 6.18 with an nftables counter; test/facts/linux-syn-schedule).
// - macOS and FreeBSD: initial RTO 1 s, then the tcp_syn_backoff table
//   { 1, 1, 1, 1, 1, 2, 4, 8, 16, 32, 64 } (xnu bsd/netinet/tcp_timer.c,
//   FreeBSD sys/netinet/tcp_timer.c; FreeBSD 13+ net.inet.tcp.rexmit_initial
//   1000 ms). Documented, not measured here.
// - Windows: initial RTO 3 s, doubling (TcpInitialRTT is fixed at 3 s from
//   Vista on, WINDOWS-TCPIP-REGISTRY.md [NETRO]; 2 retransmissions give the
//   21 s connect timeout of OS-FACTS.md). Documented, not measured here.

import type { OsName } from './port-ranges.js';

export interface SynSchedule {
  /** The first retransmit gap. */
  initialRtoMs: number;
  /** Gaps that stay at the initial RTO before doubling starts. */
  linearGaps: number;
  /** Where the schedule comes from, for reports. */
  source: string;
}

export function documentedSynSchedule(os: OsName, linuxLinearTimeouts: number | null = null): SynSchedule {
  switch (os) {
    case 'linux':
      return linuxLinearTimeouts === null
        ? { initialRtoMs: 1000, linearGaps: 1, source: 'Linux before 6.5: initial RTO 1 s, doubling' }
        : { initialRtoMs: 1000, linearGaps: linuxLinearTimeouts + 1, source: `Linux: initial RTO 1 s, net.ipv4.tcp_syn_linear_timeouts ${linuxLinearTimeouts}` };
    case 'darwin':
    case 'freebsd':
      // The backoff table's five 1s, then doubling, is linearGaps 5 in this model.
      return { initialRtoMs: 1000, linearGaps: 5, source: `${os === 'darwin' ? 'macOS' : 'FreeBSD'}: initial RTO 1 s, SYN backoff 1, 1, 1, 1, 1, 2, 4 ... (documented)` };
    case 'win32':
      return { initialRtoMs: 3000, linearGaps: 1, source: 'Windows: initial RTO 3 s, doubling (documented)' };
  }
}

/** When the k-th SYN of an attempt goes out (k = 0 is the first), in ms after the attempt started. */
export function synSentAtMs(s: SynSchedule, k: number): number {
  let t = 0;
  for (let i = 1; i <= k; i++) t += s.initialRtoMs * (i <= s.linearGaps ? 1 : 2 ** (i - s.linearGaps));
  return t;
}

/** How many SYNs an attempt has sent `elapsedMs` after it started (the first one included). */
export function synsSentBy(s: SynSchedule, elapsedMs: number): number {
  let k = 0;
  while (synSentAtMs(s, k + 1) <= elapsedMs) k++;
  return k + 1;
}
