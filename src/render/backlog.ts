// backlog as a timeline per client: time in SYN_SENT (yellow), time in the
// accept queue (cyan), then accepted (the listener reports which client it accepted).

import type { BacklogData } from '../probes/backlog.js';
import type { Report } from '../report/types.js';
import { plural } from '../text/words.js';
import { renderReport } from './report.js';
import type { Style } from './style.js';
import { heading, wrap } from './text.js';

export function renderBacklog(s: Style, r: Report<BacklogData>): string {
  const d = r.data;
  const settings = Object.entries(d.os).map(([k, v]) => `${k} ${v}`).join(', ');
  const sections = [
    `${heading(s, 'Setup')}\n  listener 127.0.0.1:${d.port}, backlog ${d.backlog}${d.effectiveBacklog !== null && d.effectiveBacklog !== d.backlog ? ` (kernel cap: ${d.effectiveBacklog})` : ''}, not accepting for ${Math.round(d.holdMs / 100) / 10} s` +
      (settings ? `\n${s.c.dim(wrap(settings, s.width, '  '))}` : '') +
      (d.counters ? `\n  kernel counters during the run: ${plural(d.counters.listenOverflows, 'overflow')}, ${plural(d.counters.listenDrops, 'drop')}` : ''),
    renderTimeline(s, d),
  ];
  return renderReport(s, r, sections);
}

function renderTimeline(s: Style, d: BacklogData): string {
  const end = Math.max(d.holdMs, ...d.clients.map((c) => Math.max(c.connectMs ?? 0, c.acceptedMs ?? 0)), 1);
  const describe = (c: BacklogData['clients'][number]) => {
    const got = c.connectMs === null ? 'never connected' : c.acceptedMs === null ? 'connected, never accepted' : `accepted at ${(c.acceptedMs / 1000).toFixed(1)} s`;
    return `${c.outcome === 'syn-sent' ? 'SYN_SENT' : c.outcome}; ${got}`;
  };
  // The bars take what the labels leave of the line ("  client 123 " and " <what>").
  const label = Math.max(...d.clients.map((c) => describe(c).length), 0);
  const width = Math.max(20, s.width - 13 - 1 - label);
  const col = (ms: number) => Math.min(width - 1, Math.floor((ms / end) * width));
  const holdCol = col(d.holdMs);
  const lines = d.clients.map((c) => {
    const cells: string[] = Array.from({ length: width }, () => ' ');
    const connected = c.connectMs ?? end;
    for (let i = 0; i < col(connected); i++) cells[i] = s.c.yellow('░');
    if (c.connectMs !== null) for (let i = col(c.connectMs); i < col(c.acceptedMs ?? end); i++) cells[i] = s.c.cyan('█');
    cells[holdCol] = s.c.bold('|');
    return `  client ${String(c.id).padStart(3)} ${cells.join('')} ${s.c.dim(describe(c))}`;
  });
  const legend = `0 to ${(end / 1000).toFixed(1)} s; ${s.c.yellow('░')} SYN_SENT, ${s.c.cyan('█')} in the accept queue, | accepting resumes`;
  return `${heading(s, 'Clients')}\n  ${legend}\n${lines.join('\n')}`;
}
