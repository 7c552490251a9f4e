// connect-race as a waterfall: each attempt a bar on one time axis, so a
// person sees the pending attempts and the control that waited behind them.

import { plural } from '../explain/words.js';
import type { RaceData } from '../probes/connect-race.js';
import type { Report } from '../report/types.js';
import { renderReport } from './report.js';
import type { Style } from './style.js';
import { renderTable } from './table.js';
import { heading, wrap } from './text.js';

export function renderConnectRace(s: Style, r: Report<RaceData>): string {
  const d = r.data;
  const setup = [
    `  target  ${d.target.address} port ${d.target.port} (should not answer)`,
    `  control ${d.control.address} port ${d.control.port}`,
  ];
  if (d.baselineMs) setup.push(wrap(`control alone: median ${d.baselineMs.median} ms, max ${d.baselineMs.max} ms${d.holdMs !== null ? `; held means slower than ${d.holdMs} ms` : ''}`, s.width, '  ', '    '));
  const sections = [`${heading(s, 'Setup')}\n${setup.join('\n')}`];
  if (d.rounds.length) sections.push(renderRounds(s, d));
  sections.push(renderWaterfall(s, d));
  sections.push(s.c.dim(`  verdict after ${(d.timeToVerdictMs / 1000).toFixed(1)} s`));
  return renderReport(s, r, sections);
}

/** A row per round; the release measured in the first held round (the causal evidence) under the table. */
function renderRounds(s: Style, d: RaceData): string {
  const firstHeld = d.rounds.findIndex((x) => x.held);
  const synSeen = d.rounds.some((x) => x.synSent !== null);
  const rows = d.rounds.map((x, i) => {
    // Only the first held round waits for its control; later ones give it up at the threshold.
    const ms = x.controlMs !== null ? `${x.controlMs} ms` : i === firstHeld ? 'did not connect' : `over ${d.holdMs ?? '?'} ms`;
    const control = `${ms}, ${x.held ? s.c.red('held') : s.c.green('free')}`;
    return [x.pending, x.by === 'child' ? 'child process' : 'this process', ...(synSeen ? [x.synSent ?? '-'] : []), control];
  });
  const table = renderTable(s, ['pending', 'opened by', ...(synSeen ? ['in SYN_SENT'] : []), 'control connect'], rows);
  const lines = [heading(s, 'Rounds'), table];
  const held = d.rounds[firstHeld];
  if (held) {
    const them = held.pending === 1 ? 'it was' : 'they were';
    const released = held.releasedAfterMs !== null ? `the control connected ${held.releasedAfterMs} ms after ${them} abandoned` : `the control did not connect after ${them} abandoned either`;
    lines.push(wrap(`with ${plural(held.pending, 'pending attempt')}: ${released}`, s.width, '  ', '    '));
  }
  return lines.join('\n');
}

interface Bar {
  label: string;
  kind: string;
  startMs: number;
  endMs: number | null;
  outcome: string;
}

/** Attempts opened together ("4 pending #1" .. "#4", or a child's "1 pending (child process) x1") share one bar per outcome. */
function groupAttempts(d: RaceData): Bar[] {
  const out: Array<Bar & { base: string; n: number }> = [];
  for (const a of d.attempts.filter((x) => !x.label.startsWith('baseline'))) {
    const base = a.kind === 'pending' ? a.label.replace(/ (#|x)\d+$/, '') : a.label;
    const last = out.at(-1);
    if (last && a.kind === 'pending' && last.kind === 'pending' && last.base === base && last.outcome === a.outcome) {
      last.n++;
      last.endMs = Math.max(last.endMs ?? 0, a.endMs ?? 0);
    } else {
      out.push({ ...a, label: base, base, n: 1 });
    }
  }
  // A round whose attempts ended differently gets a bar per outcome, each with its count.
  for (const g of out) if (out.some((o) => o !== g && o.kind === 'pending' && o.base === g.base && o.startMs === g.startMs)) g.label = `${g.base}: ${g.n}`;
  return out;
}

function renderWaterfall(s: Style, d: RaceData): string {
  const rows = groupAttempts(d);
  if (rows.length === 0) return '';
  const end = Math.max(...rows.map((a) => a.endMs ?? d.timeToVerdictMs), 1);
  const labelWidth = Math.min(34, Math.max(...rows.map((a) => a.label.length)));
  // The bars take what the labels leave of the line ("  <label> " and " <outcome>").
  const outcome = Math.max(...rows.map((a) => a.outcome.length));
  const width = Math.max(20, s.width - 2 - labelWidth - 1 - 1 - outcome);
  const col = (ms: number) => Math.min(width - 1, Math.floor((ms / end) * width));
  const lines = rows.map((a) => {
    const from = col(a.startMs);
    const to = Math.max(from, col(a.endMs ?? end));
    const bar = a.kind === 'control' ? s.c.cyan('█'.repeat(to - from + 1)) : s.c.yellow('░'.repeat(to - from + 1));
    return `  ${a.label.slice(0, labelWidth).padEnd(labelWidth)} ${' '.repeat(from)}${bar}${' '.repeat(width - to - 1)} ${s.c.dim(a.outcome)}`;
  });
  const legend = `0 to ${(end / 1000).toFixed(2)} s; ${s.c.yellow('░')} pending attempts to the target, ${s.c.cyan('█')} control connects`;
  return `${heading(s, 'Timeline')}\n  ${legend}\n${lines.join('\n')}`;
}
