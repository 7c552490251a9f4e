import type { KeepaliveListenData } from '../probes/keepalive-listen.js';
import type { Report } from '../report/types.js';
import { formatEndpoint } from '../sockets/address.js';
import { renderReport } from './report.js';
import type { Style } from './style.js';
import { renderTable } from './table.js';
import { heading, wrap } from './text.js';

export function renderKeepaliveListen(s: Style, r: Report<KeepaliveListenData>): string {
  const d = r.data;
  const sec = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(1)} s`);
  const head = heading(s, wrap(`Port ${d.port}: keepalive idle ${d.requested.idleMs / 1000} s, interval ${d.requested.intervalMs / 1000} s, count ${d.requested.count} (dead after ${sec(d.expectedDetectionMs)})`, s.width, ''));
  if (d.clients.length === 0) return renderReport(s, r, [`${head}\n  no clients`]);
  const settings = (c: KeepaliveListenData['clients'][number]) => `${c.applied.via}, ${c.applied.verified ? 'verified' : 'not verified'}`;
  // Settings applied the same way to every client are said once, under the table.
  const same = new Set(d.clients.map(settings)).size === 1;
  const rows = d.clients.map((c) => [
    formatEndpoint(c.remote),
    ...(same ? [] : [settings(c)]),
    sec(c.acceptedAtMs),
    c.endReason === 'not-ended' ? 'still open' : `${c.endReason ?? 'closed by the peer'} after ${sec(c.detectedAfterMs)}`,
  ]);
  const inherited = d.clients.find((c) => c.inherited)?.inherited;
  const notes = [
    `listening socket: ${d.listener.note}`,
    ...(inherited ? [`accepted sockets inherited: ${inherited.enabled ? `idle ${inherited.idleS} s, interval ${inherited.intervalS} s, count ${inherited.count}` : 'keepalive off'}`] : []),
    ...(same ? [`settings applied via ${d.clients[0]!.applied.via}${d.clients[0]!.applied.verified ? ' and verified' : ', not verified'}`] : []),
    "ended: how, and how long after the client's last activity",
  ];
  const table = renderTable(s, ['client', ...(same ? [] : ['settings']), 'accepted at', 'ended'], rows);
  return renderReport(s, r, [`${head}\n${table}\n${s.c.dim(notes.map((n) => wrap(n, s.width, '  ', '    ')).join('\n'))}`]);
}
