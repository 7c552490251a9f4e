// The keepalive selftest and connect as a timeline: the peer going silent,
// the probes after the idle time, the expected and the actual end.

import { plural } from '../text/words.js';
import type { KeepaliveData } from '../probes/keepalive-data.js';
import type { Report } from '../report/types.js';
import { renderReport } from './report.js';
import type { Style } from './style.js';
import { heading } from './text.js';

export function renderKeepalive(s: Style, r: Report<KeepaliveData>): string {
  const d = r.data;
  const rb = d.applied.readBack;
  const lines = [
    `${heading(s, d.target ? `Connection to ${d.target.address} port ${d.target.port}` : 'Settings')}`,
    `  requested     idle ${d.requested.idleMs / 1000} s, interval ${d.requested.intervalMs / 1000} s, count ${d.requested.count}${d.requested.userTimeoutMs ? `, TCP_USER_TIMEOUT ${d.requested.userTimeoutMs / 1000} s` : ''}`,
    `  applied       via ${d.applied.via}, ${d.applied.verified ? s.c.green('verified') : s.c.yellow('not verified')}`,
    `  kernel holds  ${rb ? `idle ${rb.idleS} s, interval ${rb.intervalS} s, count ${rb.count}` : 'unknown (not read back)'}`,
  ];
  // Windows with Node's idle time only: the interval and count the OS adds, which the expected time uses.
  const os = d.applied.osApplied;
  if (os) lines.push(`  OS applies    idle ${os.idleS} s, interval ${os.intervalS} s, count ${os.count}`);
  if (d.defaults) lines.push(s.c.dim(`  system defaults: idle ${d.defaults.idleS} s, interval ${d.defaults.intervalS} s, ${plural(d.defaults.count, 'probe')}`));
  return renderReport(s, r, [lines.join('\n'), renderTimeline(s, d)]);
}

function renderTimeline(s: Style, d: KeepaliveData): string {
  const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const end = Math.max(d.endedAtMs, d.expectedDetectionMs ?? 0, 1);
  const expectedAt = d.expectedDetectionMs === null ? null : d.expectedDetectionMs + (d.pendingData ? (d.peerUnreachableAtMs ?? 0) : 0);
  // The peer closed the connection (endReason null): nothing was declared dead, and no probe went out after the close.
  const closed = d.endReason === null;
  // The values the socket runs with: the OS's where it supplies interval and count (Windows, idle only).
  const os = d.applied.osApplied;
  const runs = os ? { idleMs: os.idleS * 1000, intervalMs: os.intervalS * 1000, count: os.count } : d.requested;
  // Each row: a label, marks on one time axis, what the marks mean.
  const rows: Array<{ label: string; marks: Array<[number, string]>; text: string }> = [
    {
      label: 'peer unreachable',
      marks: d.peerUnreachableAtMs === null ? [] : [[d.peerUnreachableAtMs, s.c.red('x')]],
      text: d.peerUnreachableAtMs === null ? 'not seen by the liveness probe' : sec(d.peerUnreachableAtMs),
    },
    {
      // When keepalive probes go out if nothing else happens: idle, then every interval (count of them).
      label: 'keepalive probes',
      marks: d.pendingData ? [] : Array.from({ length: runs.count }, (_, i): [number, string] => [runs.idleMs + i * runs.intervalMs, s.c.yellow('·')]).filter(([ms]) => !closed || ms < d.endedAtMs),
      text: d.pendingData
        ? 'none (data unacknowledged)'
        : closed && runs.idleMs >= d.endedAtMs
          ? `none (the connection ended before idle ${sec(runs.idleMs)})`
          : `idle ${sec(runs.idleMs)}, then every ${sec(runs.intervalMs)}`,
    },
    {
      label: 'expected dead',
      marks: expectedAt === null ? [] : [[expectedAt, '^']],
      text: d.expectedDetectionMs === null ? 'when retransmissions give up' : `${sec(d.expectedDetectionMs)} after the last activity`,
    },
    closed
      ? { label: 'closed by peer', marks: [[d.endedAtMs, s.c.cyan('|')]], text: `${sec(d.endedAtMs)} (alive: nothing to detect)` }
      : {
          label: 'declared dead',
          marks: d.detectedAfterMs === null ? [] : [[d.endedAtMs, s.c.cyan('|')]],
          text: d.detectedAfterMs === null ? 'not detected' : `${sec(d.detectedAfterMs)} after ${d.expectedDetectionMs === null ? 'the last activity' : 'it'} (${d.endReason})`,
        },
  ];
  // The marks take what the labels leave of the line ("  peer unreachable  " and " <text>").
  const text = Math.max(...rows.map((x) => x.text.length));
  const width = Math.max(20, s.width - 20 - 1 - text);
  const col = (ms: number) => Math.min(width - 1, Math.round((ms / end) * (width - 1)));
  const lines = rows.map((x) => {
    const cells = Array.from({ length: width }, () => ' ');
    for (const [ms, mark] of x.marks) cells[col(ms)] = mark;
    return `  ${x.label.padEnd(18)}${cells.join('')} ${x.text}`;
  });
  return `${heading(s, `Timeline (0 = connection up, to ${sec(end)})`)}\n${lines.join('\n')}`;
}
