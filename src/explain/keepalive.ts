// What the keepalive selftest measured, against what the settings promise.

import type { KeepaliveData } from '../probes/keepalive-data.js';
import type { OsName } from '../os/port-ranges.js';
import type { Finding, ProbeResult } from '../report/types.js';
import { explainKeepaliveDefaults } from './host-settings.js';

/** Accuracy the issue asks for: within 10% + 1 s of the expected time. */
export function withinTolerance(measuredMs: number, expectedMs: number): boolean {
  return Math.abs(measuredMs - expectedMs) <= expectedMs * 0.1 + 1000;
}

export function explainKeepalive(d: KeepaliveData, os: OsName | null): ProbeResult<KeepaliveData> {
  const findings: Finding[] = d.applied.notes.map((n) => ({ code: 'keepalive-not-verified', severity: 'warning', message: n, remedy: [] }));
  const s = (ms: number | null) => (ms === null ? 'never' : `${(ms / 1000).toFixed(1)} s`);
  let verdictProblem = d.applied.notes.length > 0;
  // keepalive connect against a peer the liveness probe reached every time: there was no dead peer, so "not detected" says nothing about keepalive.
  const neverDead = d.detectedAfterMs === null && d.probe !== undefined && d.peerUnreachableAtMs === null && !d.pendingData;
  if (neverDead) {
    findings.push({
      code: 'keepalive-peer-stayed-reachable',
      severity: 'info',
      message: `the peer stayed reachable for the whole ${s(d.endedAtMs)} (the liveness probe to ${d.probe!.address}:${d.probe!.port} never failed): there was no dead peer to detect, so keepalive was not tested; make the peer unreachable while this runs (pause its VM, pull its cable, drop its packets), or run \`tcpdiag keepalive selftest\`, which silences its own peer`,
      remedy: [],
    });
  } else if (d.detectedAfterMs === null) {
    const msg = d.pendingData && d.requested.userTimeoutMs === null
      ? `with unacknowledged data in flight the dead peer was not detected within ${s(d.endedAtMs)}: keepalive does not run while data waits for an ACK; retransmission timeouts govern (Linux tcp_retries2: about 15 min) unless TCP_USER_TIMEOUT is set (--user-timeout)`
      : `the dead peer was not detected within ${s(d.endedAtMs)} (expected after ${s(d.expectedDetectionMs)})`;
    findings.push({ code: 'keepalive-not-detected', severity: d.pendingData && d.requested.userTimeoutMs === null ? 'info' : 'error', message: msg, remedy: [] });
    verdictProblem ||= !(d.pendingData && d.requested.userTimeoutMs === null);
  } else if (d.endReason === null) {
    findings.push({
      code: 'keepalive-peer-closed',
      severity: 'info',
      message: `the peer closed the connection after ${s(d.endedAtMs)}: a peer that closes is alive, so keepalive had nothing to detect and was not tested; make the peer unreachable instead of stopping it (pause its VM, drop its packets), or run \`tcpdiag keepalive selftest\``,
      remedy: [],
    });
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
  // The same finding doctor gives: one rule for the system defaults.
  if (d.defaults) findings.push(...explainKeepaliveDefaults(os, d.defaults));
  const summary = neverDead
    ? `the peer stayed reachable for ${s(d.endedAtMs)}: nothing for keepalive to detect (settings applied via ${d.applied.via}${d.applied.verified ? ', verified' : ', not verified'})`
    : d.detectedAfterMs === null
      ? `dead peer not detected within ${s(d.endedAtMs)}`
      : d.endReason === null
        ? `the peer closed the connection after ${s(d.endedAtMs)}: keepalive was not tested (nothing to detect)`
        : `dead peer detected after ${s(d.detectedAfterMs)} (expected ${s(d.expectedDetectionMs)}), settings applied via ${d.applied.via}${d.applied.verified ? ', verified' : ', not verified'}`;
  // A peer that stayed reachable or closed the connection was never dead: nothing was tested, so no "ok".
  const untested = neverDead || (d.detectedAfterMs !== null && d.endReason === null);
  return { verdict: verdictProblem ? 'problem' : untested ? 'inconclusive' : 'ok', summary, findings, data: d };
}
