import type { DoctorData } from '../probes/doctor.js';
import type { Report } from '../report/types.js';
import { renderReport } from './report.js';
import type { Style } from './style.js';
import { heading, wrap } from './text.js';

export function renderDoctor(s: Style, r: Report<DoctorData>): string {
  const lines = r.data.checks.map((c) => {
    const mark = c.status === 'ok' ? s.c.green('ok     ') : c.status === 'problem' ? s.c.red('problem') : c.status === 'not-judged' ? s.c.yellow('unknown') : s.c.yellow('skipped');
    const detail = c.status === 'could-not-run' ? `could not run: ${c.reason}` : `looked at ${c.lookedAt.join(', ') || 'nothing'}`;
    return `  ${mark}  ${c.title}\n${s.c.dim(wrap(detail, s.width, '    '))}`;
  });
  return renderReport(s, r, [`${heading(s, 'Checks')}\n${lines.join('\n')}`]);
}
