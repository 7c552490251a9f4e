// The keepalive selftest and connect as a timeline: the peer going silent,
// the probes after the idle time, the expected and the actual end.

import type { KeepaliveData } from '../probes/keepalive-selftest.js';
import type { Report } from '../report/types.js';
import { renderReport } from './report.js';
import type { Style } from './style.js';
import { heading } from './text.js';

export function renderKeepalive(s: Style, r: Report<KeepaliveData>): string {
  const d = r.data;
  const rb = d.applied.readBack;
  const sec = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(1)} s`);
  const lines = [
    `${heading(s, d.target ? `Connection to ${d.target.address} port ${d.target.port}` : 'Settings')}`,
    `  requested  idle ${d.requested.idleMs / 1000} s, interval ${d.requested.intervalMs / 1000} s, count ${d.requested.count}${d.requested.userTimeoutMs ? `, TCP_USER_TIMEOUT ${d.requested.userTimeoutMs / 1000} s` : ''}`,
    `  applied    via ${d.applied.via}; kernel holds ${rb ? `idle ${rb.idleS} s, interval ${rb.intervalS} s, count ${rb.count}` : 'unknown (not read back)'} ${d.applied.verified ? s.c.green('verified') : s.c.yellow('not verified')}`,
  ];
  if (d.defaults) lines.push(s.c.dim(`  system defaults: idle ${d.defaults.idleS} s, interval ${d.defaults.intervalS} s, ${d.defaults.count} probes`));
  const end = Math.max(d.endedAtMs, d.expectedDetectionMs ?? 0, 1);
  const width = Math.max(20, s.width - 30);
  const col = (ms: number) => Math.min(width - 1, Math.floor((ms / end) * width));
  const mark = (ms: number | null, ch: string) => {
    const row = Array.from({ length: width }, () => ' ');
    if (ms !== null) row[col(ms)] = ch;
    return row.join('');
  };
  // When keepalive probes go out if nothing else happens: idle, then every interval (count of them).
  const probeMarks = () => {
    const row = Array.from({ length: width }, () => ' ');
    if (!d.pendingData) for (let i = 0; i < d.requested.count; i++) row[col(d.requested.idleMs + i * d.requested.intervalMs)] = s.c.yellow('·');
    return row.join('');
  };
  const timeline = [
    `${heading(s, `Timeline (0 = connection up, to ${sec(end)})`)}`,
    `  peer unreachable  ${mark(d.peerUnreachableAtMs, s.c.red('x'))} ${d.peerUnreachableAtMs === null ? 'not seen by the liveness probe' : sec(d.peerUnreachableAtMs)}`,
    `  keepalive probes  ${probeMarks()} ${d.pendingData ? 'none while data is unacknowledged' : `idle ${sec(d.requested.idleMs)}, then every ${sec(d.requested.intervalMs)}`}`,
    `  expected dead     ${mark(d.expectedDetectionMs === null ? null : d.expectedDetectionMs + (d.pendingData ? (d.peerUnreachableAtMs ?? 0) : 0), '^')} ${sec(d.expectedDetectionMs)}`,
    `  declared dead     ${mark(d.detectedAfterMs === null ? null : d.endedAtMs, s.c.cyan('|'))} ${d.detectedAfterMs === null ? 'not detected' : `${sec(d.detectedAfterMs)} after the last activity (${d.endReason ?? 'closed'})`}`,
  ];
  return renderReport(s, r, [lines.join('\n'), timeline.join('\n')]);
}
