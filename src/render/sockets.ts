import { plural } from '../text/words.js';
import type { SocketsData } from '../probes/sockets.js';
import type { Report } from '../report/types.js';
import { formatEndpoint } from '../sockets/address.js';
import { rowArray, type SocketRow } from '../os/sockets.js';
import { renderReport } from './report.js';
import { renderSources } from './sources.js';
import type { Style } from './style.js';
import { renderTable } from './table.js';
import { heading, withNote, wrap } from './text.js';

const owner = (r: SocketRow) => (r.pid !== null ? `${r.pid}` : r.owner === 'hidden' ? 'hidden' : r.owner === 'none' ? '-' : '?');
const processName = (r: SocketRow) => r.process ?? (r.inAcceptQueue ? '(in accept queue)' : '');
const queue = (r: SocketRow) =>
  r.acceptQueue ? (r.acceptQueue.max === null ? `${r.acceptQueue.length}` : `${r.acceptQueue.length}/${r.acceptQueue.max}`) : r.recvQ || r.sendQ ? `${r.recvQ ?? 0}/${r.sendQ ?? 0}` : '';

function groupsHeading(shown: number, all: number): string {
  return shown < all ? `Grouped (the largest ${shown} of ${all} groups; --limit 0 shows all)` : `Grouped (${plural(all, 'group')})`;
}

export function renderSockets(s: Style, r: Report<SocketsData>): string {
  const d = r.data;
  const sections: string[] = [];
  if (d.sources) sections.push(renderSources(s, d.sources));
  if (d.groups) {
    sections.push(
      `${heading(s, groupsHeading(d.groups.length, d.groupsMatched ?? d.groups.length))}\n` +
        // Grouped by state, each group is one state: no states column to repeat it (or leave it empty).
        (d.groups.some((g) => g.states)
          ? renderTable(s, ['group', 'sockets', 'states'], d.groups.map((g) => [g.key, g.count, g.states ? Object.entries(g.states).map(([k, n]) => `${n} ${k}`).join(', ') : '']))
          : renderTable(s, ['group', 'sockets'], d.groups.map((g) => [g.key, g.count]))),
    );
  } else {
    sections.push(renderRows(s, d));
  }
  sections.push(renderUsage(s, d));
  sections.push(renderCounters(s, d));
  // A note a finding already quotes is not printed twice.
  const notes = d.notes.filter((n) => !r.findings.some((f) => f.message.includes(n)));
  if (notes.length) sections.push(`${heading(s, 'Notes')}\n` + notes.map((n) => wrap(n, s.width, '  ', '    ')).join('\n'));
  return renderReport(s, r, sections.filter(Boolean));
}

function renderRows(s: Style, d: SocketsData): string {
  if (d.matched === 0) return `${heading(s, 'Sockets')}\n  none match`;
  const rows = rowArray(d.rows);
  const more = d.matched - rows.length;
  // Accept queue for listeners ("length/limit"), receive/send queue bytes for the rest.
  const columns: Array<[string, (x: SocketRow) => string]> = [
    ['state', (x) => colourState(s, x.state)],
    ['local', (x) => formatEndpoint(x.local)],
    ['remote', (x) => (x.state === 'LISTEN' ? '*' : formatEndpoint(x.remote))],
    ['queue', queue],
    ['pid', owner],
    ['process', processName],
  ];
  // A column the source never fills (no queues in netstat -ano, no owners without -p) is left out.
  const shown = columns.filter(([name, cell]) => !['queue', 'process'].includes(name) || rows.some((x) => cell(x) !== ''));
  const table = renderTable(s, shown.map(([name]) => name), rows.map((x) => shown.map(([, cell]) => cell(x))));
  if (more <= 0) return `${heading(s, 'Sockets')}\n${table}`;
  const hint = `${rows.length} of ${d.matched} shown: --limit 0 shows all, or narrow them with filters or --group-by`;
  return `${heading(s, `Sockets (first ${rows.length} of ${d.matched})`)}\n${table}\n${s.c.dim(wrap(hint, s.width, '  '))}`;
}

function colourState(s: Style, state: string): string {
  if (state === 'LISTEN') return s.c.cyan(state);
  if (state === 'ESTABLISHED') return s.c.green(state);
  if (state === 'SYN_SENT' || state === 'CLOSE_WAIT') return s.c.yellow(state);
  return state;
}

function renderUsage(s: Style, d: SocketsData): string {
  const u = d.ephemeralUsage;
  if (!u.range || u.destinations.length === 0) return '';
  const percent = (p: number, n: number) => (p === 0 && n > 0 ? '<0.1%' : `${p}%`);
  const shown = u.destinations.slice(0, 5);
  const rows = shown.map((x) => [formatEndpoint(x.remote), x.count, percent(x.usedPercent, x.count), x.headroom]);
  // The busiest only: what the table leaves out is counted, not dropped (a user trial missed a destination).
  const rest = u.clientSockets - shown.reduce((n, x) => n + x.count, 0);
  return (
    `${heading(s, 'Ephemeral ports per destination')}\n` +
    `  ${plural(u.clientSockets, 'client socket')} against the range ${u.range.start}-${u.range.end} (${plural(u.range.count, 'port')})\n` +
    renderTable(s, ['destination', 'sockets', 'used', 'left'], rows) +
    (rest > 0 ? `\n${wrap(`${plural(rest, 'more client socket')} toward less busy destinations (--json lists the ${u.destinations.length} busiest)`, s.width, '  ', '    ')}` : '')
  );
}

function renderCounters(s: Style, d: SocketsData): string {
  const { sinceBoot, sample } = d.listenCounters;
  if (!sinceBoot) return '';
  const lines = [withNote(s, `  since boot: ${sinceBoot.listenDrops} dropped, ${sinceBoot.listenOverflows} of them on a full queue`, `(${sinceBoot.source})`, '    ')];
  if (sample) {
    const hot = sample.listenDrops > 0;
    const text = `  during ${(sample.windowMs / 1000).toFixed(1)} s: ${sample.listenDrops} dropped, ${sample.listenOverflows} of them on a full queue`;
    lines.push(hot ? s.c.red(text) : text);
  }
  return `${heading(s, 'Accept-queue overflows (kernel counters)')}\n${lines.join('\n')}`;
}
