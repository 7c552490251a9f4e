import { formatRange } from '../text/words.js';
import type { PortsData } from '../probes/ports.js';
import type { Report } from '../report/types.js';
import { renderReport } from './report.js';
import { renderSources } from './sources.js';
import type { Style } from './style.js';
import { renderTable } from './table.js';
import { heading, withNote, wrap } from './text.js';

const scope = (v: string | null) => v ?? 'all';

/**
 * A table whose rows all came from one source names it once under the table
 * instead of in a column, which keeps a Windows listing inside 80 columns.
 */
function tableWithSource<T extends { source: string }>(s: Style, head: string[], rows: readonly T[], cells: (row: T) => Array<string | number>): string {
  const sources = [...new Set(rows.map((r) => r.source))];
  if (sources.length === 1) return `${renderTable(s, head, rows.map(cells))}\n${s.c.dim(wrap(`from ${sources[0]}`, s.width, '  ', '    '))}`;
  return renderTable(s, [...head, 'source'], rows.map((r) => [...cells(r), r.source]));
}

const USED_BY = { default: 'every socket', high: 'IP_PORTRANGE_HIGH', low: 'IP_PORTRANGE_LOW' } as const;

export function renderPorts(s: Style, r: Report<PortsData>): string {
  const d = r.data;
  const sections: string[] = [];
  if (d.sources) sections.push(renderSources(s, d.sources));
  sections.push(
    `${heading(s, 'Ephemeral (dynamic) port ranges')}\n` +
      (d.ephemeral.length === 0
        ? '  none found'
        : d.ephemeral.every((e) => e.allocator === 'default')
          ? tableWithSource(s, ['protocol', 'family', 'range', 'ports'], d.ephemeral, (e) => [scope(e.protocol), scope(e.family), formatRange(e), e.count])
          : // macOS/FreeBSD: which allocator uses each range (only "default" is what ordinary sockets get).
            tableWithSource(s, ['used by', 'range', 'ports'], d.ephemeral, (e) => [USED_BY[e.allocator], formatRange(e), e.count])),
  );
  sections.push(
    `${heading(s, 'Reserved / excluded port ranges')}\n` +
      (d.reserved.length
        ? tableWithSource(s, ['protocol', 'family', 'range', 'bind', 'set by'], d.reserved, (x) => [
            scope(x.protocol),
            scope(x.family),
            formatRange(x),
            x.blocksBind ? s.c.red('refused') : 'allowed',
            x.administered ? 'administrator' : 'service',
          ])
        : '  none'),
  );
  if (d.privileged) sections.push(`${heading(s, 'Privileged ports')}\n${withNote(s, `  below ${d.privileged.below}`, `from ${d.privileged.source}`, '    ')}`);
  if (d.notes.length) sections.push(`${heading(s, 'Not read')}\n` + d.notes.map((n) => wrap(n, s.width, '  ', '    ')).join('\n'));
  return renderReport(s, r, sections);
}
