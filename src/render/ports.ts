import type { PortsData } from '../probes/ports.js';
import type { Report } from '../report/types.js';
import { renderReport } from './report.js';
import type { Style } from './style.js';
import { renderTable } from './table.js';
import { heading } from './text.js';

const scope = (v: string | null) => v ?? 'all';
const range = (x: { start: number; end: number }) => (x.start === x.end ? `${x.start}` : `${x.start}-${x.end}`);

export function renderPorts(s: Style, r: Report<PortsData>): string {
  const d = r.data;
  const sections: string[] = [];
  if (d.sources) sections.push(`${heading(s, 'Read from')}\n` + d.sources.map((x) => `  ${x.file}  (${x.format})`).join('\n'));
  sections.push(
    `${heading(s, 'Ephemeral (dynamic) port ranges')}\n` +
      (d.ephemeral.length
        ? renderTable(s, ['protocol', 'family', 'range', 'ports', 'source'], d.ephemeral.map((e) => [scope(e.protocol), scope(e.family), range(e), e.count, e.source]))
        : '  none found'),
  );
  sections.push(
    `${heading(s, 'Reserved / excluded port ranges')}\n` +
      (d.reserved.length
        ? renderTable(
            s,
            ['protocol', 'family', 'range', 'bind', 'set by', 'source'],
            d.reserved.map((x) => [scope(x.protocol), scope(x.family), range(x), x.blocksBind ? s.c.red('refused') : 'allowed', x.administered ? 'administrator' : 'service', x.source]),
          )
        : '  none'),
  );
  if (d.privileged) sections.push(`${heading(s, 'Privileged ports')}\n  below ${d.privileged.below}  (${d.privileged.source})`);
  return renderReport(s, r, sections);
}
