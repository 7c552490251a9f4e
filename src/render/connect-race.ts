// connect-race as a waterfall: each attempt a bar on one time axis, so a
// person sees the pending attempts and the control that waited behind them.

import type { RaceData } from '../probes/connect-race.js';
import type { Report } from '../report/types.js';
import { renderReport } from './report.js';
import type { Style } from './style.js';
import { heading } from './text.js';

export function renderConnectRace(s: Style, r: Report<RaceData>): string {
  const d = r.data;
  const sections = [
    `${heading(s, 'Setup')}\n  target  ${d.target.address} port ${d.target.port} (should not answer)\n  control ${d.control.address} port ${d.control.port}` +
      (d.baselineMs ? `\n  control alone: median ${d.baselineMs.median} ms, max ${d.baselineMs.max} ms; held means slower than ${d.holdMs ?? '?'} ms` : ''),
  ];
  if (d.rounds.length) {
    sections.push(
      `${heading(s, 'Rounds')}\n` +
        d.rounds
          .map((x) => {
            const state = x.held ? s.c.red('held') : s.c.green('free');
            const ms = x.controlMs === null ? 'did not connect' : `${x.controlMs} ms`;
            const rel = x.releasedAfterMs !== null ? `, released ${x.releasedAfterMs} ms after abandoning` : '';
            const seen = x.synSent !== null ? s.c.dim(` (${x.synSent} seen in SYN_SENT)`) : '';
            return `  ${String(x.pending).padStart(3)} pending${x.by === 'child' ? ' in a child process' : ''}${seen}: control ${ms} ${state}${rel}`;
          })
          .join('\n'),
    );
  }
  sections.push(renderWaterfall(s, d));
  sections.push(s.c.dim(`  verdict after ${(d.timeToVerdictMs / 1000).toFixed(1)} s`));
  return renderReport(s, r, sections);
}

/** Pending attempts opened together share one bar ("4 pending #1..#4" -> "4 pending x4"). */
function groupAttempts(d: RaceData): Array<{ label: string; kind: string; startMs: number; endMs: number | null; outcome: string }> {
  const out: Array<{ label: string; kind: string; startMs: number; endMs: number | null; outcome: string; n: number }> = [];
  for (const a of d.attempts.filter((x) => !x.label.startsWith('baseline'))) {
    const base = a.label.replace(/ #\d+$/, '');
    const last = out.at(-1);
    if (last && a.kind === 'pending' && last.kind === 'pending' && last.label.startsWith(base) && last.outcome === a.outcome) {
      last.n++;
      last.label = `${base} x${last.n}`;
      last.endMs = Math.max(last.endMs ?? 0, a.endMs ?? 0);
    } else {
      out.push({ ...a, label: a.kind === 'pending' ? base : a.label, n: 1 });
    }
  }
  return out;
}

function renderWaterfall(s: Style, d: RaceData): string {
  const rows = groupAttempts(d);
  if (rows.length === 0) return '';
  const end = Math.max(...rows.map((a) => a.endMs ?? d.timeToVerdictMs), 1);
  const labelWidth = Math.min(34, Math.max(...rows.map((a) => a.label.length)));
  const width = Math.max(20, s.width - labelWidth - 14);
  const col = (ms: number) => Math.min(width - 1, Math.floor((ms / end) * width));
  const lines = rows.map((a) => {
    const from = col(a.startMs);
    const to = Math.max(from, col(a.endMs ?? end));
    const bar = ' '.repeat(from) + (a.kind === 'control' ? s.c.cyan : s.c.yellow)('█'.repeat(to - from + 1)) + ' '.repeat(width - to - 1);
    return `  ${a.label.slice(0, labelWidth).padEnd(labelWidth)} ${bar} ${s.c.dim(a.outcome)}`;
  });
  return `${heading(s, `Timeline (0 to ${(end / 1000).toFixed(2)} s; yellow: pending attempts, cyan: control)`)}\n${lines.join('\n')}`;
}
