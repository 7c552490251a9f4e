import type { KeepaliveListenData } from '../probes/keepalive-listen.js';
import type { Report } from '../report/types.js';
import { formatEndpoint } from '../sockets/address.js';
import { renderReport } from './report.js';
import type { Style } from './style.js';
import { renderTable } from './table.js';
import { heading } from './text.js';

export function renderKeepaliveListen(s: Style, r: Report<KeepaliveListenData>): string {
  const d = r.data;
  const sec = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(1)} s`);
  const rows = d.clients.map((c) => [
    formatEndpoint(c.remote),
    `${c.applied.via}${c.applied.verified ? ', verified' : ', not verified'}`,
    sec(c.acceptedAtMs),
    c.endReason === 'not-ended' ? 'still open' : c.endReason === null ? 'closed by peer' : c.endReason,
    sec(c.detectedAfterMs),
  ]);
  const head = `${heading(s, `Port ${d.port}: keepalive idle ${d.requested.idleMs / 1000} s, interval ${d.requested.intervalMs / 1000} s, count ${d.requested.count} (dead after ${sec(d.expectedDetectionMs)})`)}`;
  return renderReport(s, r, [rows.length ? `${head}\n${renderTable(s, ['client', 'applied', 'accepted at', 'ended', 'after last activity'], rows)}` : `${head}\n  no clients`]);
}
