// connect-race for a person: the setup, the rounds (runs of free rounds
// folded into one line), what the run waited for, and a waterfall of the
// pending attempts and the controls that waited behind them.

import { aloneMs } from '../explain/connect-race.js';
import type { RaceData } from '../race/data.js';
import type { Round } from '../race/types.js';
import type { Report } from '../report/types.js';
import { formatEndpoint } from '../sockets/address.js';
import { renderReport } from './report.js';
import type { Style } from './style.js';
import { renderTable } from './table.js';
import { heading, wrap } from './text.js';

export function renderConnectRace(s: Style, r: Report<RaceData>): string {
  const d = r.data;
  const sections = [renderSetup(s, d)];
  if (d.rounds.length) sections.push(renderRounds(s, d));
  if (d.waits.length) sections.push(renderWaits(s, d));
  sections.push(renderWaterfall(s, d));
  sections.push(s.c.dim(`  verdict after ${(d.timeToVerdictMs / 1000).toFixed(1)} s`));
  return renderReport(s, r, sections.filter(Boolean));
}

function renderSetup(s: Style, d: RaceData): string {
  const lines = [`  target    ${formatEndpoint(d.target)} (should not answer)`];
  d.controls.forEach((c, i) => {
    const name = c.channel === 'own' ? `tcpdiag's own listener ${formatEndpoint(c)}` : `${formatEndpoint(c)} (--control)`;
    const alone = c.baselineMs ? `alone ${aloneMs(c.baselineMs)}` : 'did not answer alone';
    const lost = c.lostSyns ? `, ${c.lostSyns} lost SYN${c.lostSyns === 1 ? '' : 's'}` : '';
    lines.push(wrap(`${name}: ${alone}${lost}`, s.width, i === 0 ? '  control   ' : '            ', '              '));
  });
  if (d.holdMs !== null) {
    const resends = d.synSchedule.resendsAtMs.slice(0, 4).map((t) => t / 1000).join(', ');
    lines.push(wrap(`a connect slower than ${d.holdMs} ms is checked for a hold: held only if no try gets through its SYN resends (here after ${resends} ... s)`, s.width, '  ', '  '));
  }
  return `${heading(s, 'Setup')}\n${lines.join('\n')}`;
}

/** Consecutive free rounds fold into one row; slow, late and held ones stand alone. */
function renderRounds(s: Style, d: RaceData): string {
  const rows: string[][] = [];
  let run: Round[] = [];
  const flush = () => {
    if (!run.length) return;
    const first = run[0]!.pending;
    const last = run.at(-1)!.pending;
    const slowest = Math.max(...run.map((x) => x.controlMs ?? 0));
    const channels = [...new Set(run.map((x) => x.channel))].join(', ');
    rows.push([first === last ? `${first}` : `${first}-${last}`, channels, 'this process', s.c.green(`through, at most ${slowest} ms`)]);
    run = [];
  };
  for (const x of d.rounds) {
    if (!x.held && !x.late && x.controls === 1 && x.by === 'self') {
      run.push(x);
      continue;
    }
    flush();
    // The scope's controls are one per helper process; this process's are tries one after another.
    const child = x.by === 'child';
    const by = child ? (x.controls > 1 ? `${x.controls} helpers` : 'helper process') : 'this process';
    const tries = (n: number) => (child ? '' : `${n} ${n === 1 ? 'try' : 'tries'}, `);
    // A limit that rejects ends the held round's controls with an error at once: refused, not left waiting.
    const what = x.held
      ? s.c.red(
          x.errorCode !== null
            ? `${x.errorCode === 'ECONNREFUSED' ? 'refused' : `failed, ${x.errorCode}`}${child ? '' : `: ${x.controls} ${x.controls === 1 ? 'try' : 'tries'} in ${duration(x.waitedMs ?? 0)}`}`
            : `held: ${tries(x.controls)}none through in ${((x.waitedMs ?? 0) / 1000).toFixed(1)} s`,
        )
      : x.late
        ? s.c.yellow(`through after a lost SYN, ${x.controlMs} ms`)
        : s.c.green(`through, ${x.controlMs} ms${!child && x.controls > 1 ? ` (${x.controls} tries)` : ''}`);
    rows.push([`${x.pending}`, x.channel, by, what]);
  }
  flush();
  const lines = [heading(s, 'Rounds'), renderTable(s, ['pending', 'control', 'connect by', 'new connect'], rows)];
  if (d.release) {
    const rel = d.release.releasedAfterMs === null ? `still ${d.holdKind === 'refuse' ? 'refused' : 'held'} ${(d.release.waitedMs / 1000).toFixed(1)} s later` : `a connect got through ${d.release.releasedAfterMs} ms later`;
    lines.push(wrap(`after the pending attempts were closed: ${rel}`, s.width, '  ', '    '));
  }
  return lines.join('\n');
}

/** Milliseconds under a second as such ("3 ms"), longer as seconds ("2.6 s"). */
function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function renderWaits(s: Style, d: RaceData): string {
  const lines = d.waits.map((w) => wrap(`${(w.ms / 1000).toFixed(1).padStart(5)} s  ${w.why}`, s.width, '  ', '           '));
  return `${heading(s, 'Waited')}\n${lines.join('\n')}`;
}

interface Bar {
  label: string;
  control: boolean;
  startMs: number;
  endMs: number | null;
  outcome: string;
}

/** The pending attempts as one bar; controls that were slow or held each as a bar; quick ones as marks on one line. */
function bars(d: RaceData): { rows: Bar[]; quick: number[] } {
  const attempts = d.attempts.filter((a) => !a.label.startsWith('baseline'));
  const pending = attempts.filter((a) => a.kind === 'pending');
  const rows: Bar[] = [];
  if (pending.length) {
    const ends = pending.map((a) => a.endMs);
    rows.push({
      label: pending.length === 1 ? 'pending attempt' : `pending attempts 1-${pending.length}`,
      control: false,
      startMs: pending[0]!.startMs,
      endMs: ends.includes(null) ? null : Math.max(...(ends as number[])),
      outcome: pending.at(-1)!.outcome,
    });
  }
  const quick: number[] = [];
  for (const a of attempts.filter((x) => x.kind === 'control')) {
    const took = (a.endMs ?? Infinity) - a.startMs;
    if (a.outcome === 'connected' && d.holdMs !== null && took < d.holdMs) {
      quick.push(a.startMs);
      continue;
    }
    // Repeats of one control (the tries after closing the attempts) share a bar.
    const last = rows.at(-1);
    if (last?.control && last.label.replace(/ \(\d+\)$/, '') === a.label && last.outcome === a.outcome) {
      const n = Number(/\((\d+)\)$/.exec(last.label)?.[1] ?? 1) + 1;
      last.label = `${a.label} (${n})`;
      last.endMs = a.endMs === null || last.endMs === null ? null : Math.max(last.endMs, a.endMs);
    } else rows.push({ label: a.label, control: true, startMs: a.startMs, endMs: a.endMs, outcome: a.outcome });
  }
  return { rows, quick };
}

function renderWaterfall(s: Style, d: RaceData): string {
  const { rows, quick } = bars(d);
  if (rows.length === 0 && quick.length === 0) return '';
  const end = Math.max(d.timeToVerdictMs, ...rows.map((a) => a.endMs ?? 0), ...quick, 1);
  const quickLabel = `quick connects (${quick.length})`;
  const labelWidth = Math.min(30, Math.max(quick.length ? quickLabel.length : 0, ...rows.map((a) => a.label.length)));
  // The bars take what the labels leave of the line ("  <label> " and " <outcome>").
  const outcome = Math.max(9, ...rows.map((a) => a.outcome.length));
  const width = Math.max(20, s.width - 2 - labelWidth - 1 - 1 - outcome);
  const col = (ms: number) => Math.min(width - 1, Math.floor((ms / end) * width));
  const lines = rows.map((a) => {
    const from = col(a.startMs);
    const to = Math.max(from, col(a.endMs ?? end));
    const bar = a.control ? s.c.cyan('█'.repeat(to - from + 1)) : s.c.yellow('░'.repeat(to - from + 1));
    return `  ${a.label.slice(0, labelWidth).padEnd(labelWidth)} ${' '.repeat(from)}${bar}${' '.repeat(width - to - 1)} ${s.c.dim(a.outcome)}`;
  });
  if (quick.length) {
    const marks = Array.from({ length: width }, () => ' ');
    for (const t of quick) marks[col(t)] = '▏';
    lines.push(`  ${quickLabel.padEnd(labelWidth)} ${s.c.green(marks.join(''))} ${s.c.dim('connected')}`);
  }
  const legend = `0 to ${(end / 1000).toFixed(2)} s; ${s.c.yellow('░')} attempts to the target, ${s.c.cyan('█')} slow or held controls, ${s.c.green('▏')} quick ones`;
  return `${heading(s, 'Timeline')}\n${wrap(legend, s.width, '  ', '  ')}\n${lines.join('\n')}`;
}
