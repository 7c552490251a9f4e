// The parts every human report shares: the verdict line on top, findings with
// severity and remedy at the bottom. Commands render their data in between.

import type { Finding, Report, Verdict } from '../report/types.js';
import type { Style } from './style.js';
import { heading, wrap } from './text.js';

const VERDICT_LABEL: Record<Verdict, string> = { ok: 'OK', problem: 'PROBLEM', inconclusive: 'INCONCLUSIVE', error: 'ERROR' };

export function renderVerdict(s: Style, r: Report): string {
  const colour = r.verdict === 'ok' ? s.c.green : r.verdict === 'problem' ? s.c.red : s.c.yellow;
  const label = VERDICT_LABEL[r.verdict];
  // A long summary wraps under itself, not under the label.
  const summary = wrap(r.summary, s.width, ' '.repeat(label.length + 2)).slice(label.length + 2);
  return `${colour.bold(label)}  ${summary}`;
}

export function renderFindings(s: Style, findings: readonly Finding[]): string {
  if (findings.length === 0) return `${heading(s, 'Findings')}\n  none`;
  return [heading(s, 'Findings'), ...findings.map((f) => renderFinding(s, f))].join('\n');
}

function renderFinding(s: Style, f: Finding): string {
  const mark = f.severity === 'error' ? s.c.red('error  ') : f.severity === 'warning' ? s.c.yellow('warning') : s.c.cyan('info   ');
  // Commands are never wrapped (they must paste whole) and sit close to the margin.
  const lines = [`  ${mark}  ${s.c.dim(f.code)}`, wrap(f.message, s.width, '    ')];
  if (f.remedy.length > 0) {
    lines.push(`    ${s.c.bold('fix:')}`);
    for (const cmd of f.remedy) lines.push(`      ${s.c.green(cmd)}`);
  }
  return lines.join('\n');
}

/** What the verdict did not judge (Report.notJudged), or nothing when it judged everything. */
export function renderNotJudged(s: Style, notJudged: readonly string[]): string {
  if (notJudged.length === 0) return '';
  return [heading(s, 'Not judged'), ...notJudged.map((n) => wrap(n, s.width, '  ', '    '))].join('\n');
}

/** Verdict, the command's own sections, what was not judged, then findings, separated by blank lines. */
export function renderReport(s: Style, r: Report, sections: string[]): string {
  return [renderVerdict(s, r), ...sections.filter(Boolean), renderNotJudged(s, r.notJudged ?? []), renderFindings(s, r.findings)].filter(Boolean).join('\n\n') + '\n';
}
