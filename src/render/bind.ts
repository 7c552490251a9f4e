import type { Holder } from '../explain/bind-holders.js';
import { isAssumedRange } from '../os/remedies.js';
import type { BindData } from '../probes/bind.js';
import type { Report } from '../report/types.js';
import { formatEndpoint } from '../sockets/address.js';
import { renderReport } from './report.js';
import { renderSources } from './sources.js';
import type { Style } from './style.js';
import { renderTable } from './table.js';
import { heading, wrap } from './text.js';

export function renderBind(s: Style, r: Report<BindData>): string {
  const d = r.data;
  const sections: string[] = [];
  if (d.attempts.length) {
    const lines = d.attempts.map((a) => {
      const where = formatEndpoint({ address: a.address, port: d.port }).padEnd(24);
      const result = a.ok ? s.c.green('ok') : s.c.red(a.errorCode ?? 'failed');
      return `  ${where} ${result}${a.dualStack ? s.c.dim('  (dual-stack, as listen(port) does)') : ''}`;
    });
    sections.push(`${heading(s, 'Listen attempts')}\n${lines.join('\n')}\n${s.c.dim(wrap(`bind semantics: ${d.bindSemantics}`, s.width, '  ', '    '))}`);
  }
  if (d.sources) sections.push(renderSources(s, d.sources));
  sections.push(
    `${heading(s, `Sockets on port ${d.port}`)}\n` +
      (d.holders.length
        ? renderTable(
            s,
            ['role', 'state', 'local', 'remote', 'owner', 'blocks'],
            d.holders.map((h) => [h.role, stateCell(h), formatEndpoint(h.local), h.state === 'LISTEN' ? '*' : formatEndpoint(h.remote), ownerCell(h), h.blocks === 'depends' ? '?' : h.blocks]),
          )
        : d.holdersKnown
          ? '  none'
          : '  unknown: the input holds no socket table that could be read'),
  );
  const facts = [
    d.ephemeralRange
      ? `inside the ${RANGE_NAME[d.ephemeralRange.allocator]} ${d.ephemeralRange.start}-${d.ephemeralRange.end}${isAssumedRange(d.ephemeralRange) ? ' (the OS default, assumed)' : ''}`
      : d.inEphemeralRange === null
        ? 'the ephemeral range is unknown'
        : `outside the ephemeral range${d.ephemeralRangeAssumed ? ' (the OS default, assumed)' : ''}`,
    d.reservedRange ? `${d.reservedRange.blocksBind ? 'inside the excluded range' : 'reserved in'} ${d.reservedRange.start}-${d.reservedRange.end}` : null,
    d.privileged ? (d.port < d.privileged.below ? `privileged (below ${d.privileged.below})` : `not privileged (limit ${d.privileged.below})`) : null,
  ].filter(Boolean);
  sections.push(`${heading(s, `Port ${d.port}`)}\n${wrap(facts.join('; '), s.width, '  ')}`);
  if (d.notes.length) sections.push(`${heading(s, 'Notes')}\n` + d.notes.map((n) => wrap(n, s.width, '  ', '    ')).join('\n'));
  return renderReport(s, r, sections);
}

/** macOS/FreeBSD have three allocators; "the ephemeral range" is the default one. */
const RANGE_NAME = { default: 'ephemeral range', high: 'IP_PORTRANGE_HIGH range', low: 'IP_PORTRANGE_LOW range' } as const;

/** TIME_WAIT with the time it still holds the port. */
function stateCell(h: Holder): string {
  return h.timeWaitRemainingMs === null ? h.state : `${h.state} ${Math.ceil(h.timeWaitRemainingMs / 1000)}s`;
}

/** Every holder of the socket: "node 1234", "node 1234 1240" for a shared one. */
function ownerCell(h: Holder): string {
  if (h.owners.length === 0) return h.owner === 'hidden' ? 'hidden' : '-';
  const name = h.owners[0]!.process ?? 'pid';
  return `${name} ${h.owners.map((o) => o.pid).join(' ')}`;
}
