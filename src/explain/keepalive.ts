// What the keepalive selftest measured, against what the settings promise.

import type { KeepaliveData } from '../probes/keepalive-selftest.js';
import type { Finding, ProbeResult } from '../report/types.js';

/** Accuracy the issue asks for: within 10% + 1 s of the expected time. */
export function withinTolerance(measuredMs: number, expectedMs: number): boolean {
  return Math.abs(measuredMs - expectedMs) <= expectedMs * 0.1 + 1000;
}

export function explainKeepalive(d: KeepaliveData): ProbeResult<KeepaliveData> {
  const findings: Finding[] = d.applied.notes.map((n) => ({ code: 'keepalive-not-verified', severity: 'warning', message: n, remedy: [] }));
  const s = (ms: number | null) => (ms === null ? 'never' : `${(ms / 1000).toFixed(1)} s`);
  let verdictProblem = d.applied.notes.length > 0;
  if (d.detectedAfterMs === null) {
    const msg = d.pendingData && d.requested.userTimeoutMs === null
      ? `with unacknowledged data in flight the dead peer was not detected within ${s(d.endedAtMs)}: keepalive does not run while data waits for an ACK; retransmission timeouts govern (Linux tcp_retries2: about 15 min) unless TCP_USER_TIMEOUT is set (--user-timeout)`
      : `the dead peer was not detected within ${s(d.endedAtMs)} (expected after ${s(d.expectedDetectionMs)})`;
    findings.push({ code: 'keepalive-not-detected', severity: d.pendingData && d.requested.userTimeoutMs === null ? 'info' : 'error', message: msg, remedy: [] });
    verdictProblem ||= !(d.pendingData && d.requested.userTimeoutMs === null);
  } else if (d.endReason === null) {
    findings.push({ code: 'keepalive-peer-closed', severity: 'info', message: `the peer closed the connection after ${s(d.endedAtMs)}: nothing for keepalive to detect`, remedy: [] });
  } else if (d.expectedDetectionMs !== null) {
    const ok = withinTolerance(d.detectedAfterMs, d.expectedDetectionMs);
    const by = d.pendingData ? 'TCP_USER_TIMEOUT (keepalive does not run while data is unacknowledged)' : 'keepalive';
    findings.push({
      code: ok ? 'keepalive-detected' : 'keepalive-detected-late',
      severity: ok ? 'info' : 'warning',
      message:
        `${d.peerUnreachableAtMs !== null ? `peer unreachable at ${s(d.peerUnreachableAtMs)}, ` : ''}connection declared dead (${d.endReason}) ${s(d.detectedAfterMs)} after the last activity, ` +
        `by ${d.endReason === 'ETIMEDOUT' ? by : `a ${d.endReason} (the peer answered: it is not dead)`}; expected ${s(d.expectedDetectionMs)}`,
      remedy: [],
    });
    verdictProblem ||= !ok;
  }
  if (d.defaults && d.defaults.idleS >= 600) {
    findings.push({
      code: 'keepalive-defaults-slow',
      severity: 'info',
      message: `sockets that do not set their own keepalive use the system defaults: idle ${d.defaults.idleS} s, interval ${d.defaults.intervalS} s, ${d.defaults.count} probes, so a dead peer goes unnoticed for ${((d.defaults.idleS + d.defaults.intervalS * d.defaults.count) / 60).toFixed(0)} min`,
      remedy: [`sudo sysctl -w net.ipv4.tcp_keepalive_time=60 net.ipv4.tcp_keepalive_intvl=10 net.ipv4.tcp_keepalive_probes=6`],
    });
  }
  const summary =
    d.detectedAfterMs === null
      ? `dead peer not detected within ${s(d.endedAtMs)}`
      : `dead peer detected after ${s(d.detectedAfterMs)} (expected ${s(d.expectedDetectionMs)}), settings applied via ${d.applied.via}${d.applied.verified ? ', verified' : ', not verified'}`;
  return { verdict: verdictProblem ? 'problem' : 'ok', summary, findings, data: d };
}
