import type { ConnectData } from '../probes/connect-data.js';
import type { Report } from '../report/types.js';
import { plural } from '../text/words.js';
import { formatEndpoint } from '../sockets/address.js';
import { renderReport } from './report.js';
import type { Style } from './style.js';
import { renderTable } from './table.js';
import { heading, wrap } from './text.js';
import { resendCertain } from '../explain/syn-resends.js';

export function renderConnect(s: Style, r: Report<ConnectData>): string {
  const d = r.data;
  const sections: string[] = [];
  const dns = d.dnsMs === null ? 'an address: no lookup' : `resolved in ${d.dnsMs} ms, in this order`;
  // A long name keeps its line; how it resolved then goes below it.
  const title = `${d.host} (${dns})`.length <= s.width ? heading(s, `${d.host} (${dns})`) : `${heading(s, d.host)}\n${s.c.bold(wrap(`(${dns})`, s.width, ''))}`;
  sections.push(`${title}\n` + (d.resolved.length ? d.resolved.map((a, i) => `  ${i + 1}. ${a.address}  ${s.c.dim(a.family)}`).join('\n') : '  no addresses'));
  if (d.perAddress.length) {
    const rows = d.perAddress.map((a) => {
      const first = d.attempts.find((x) => x.address === a.address && x.outcome !== 'connected');
      const result = a.failed === 0 ? s.c.green('connected') : a.connected === 0 ? s.c.red(first!.errorCode ?? first!.outcome) : s.c.yellow(`${a.connected}/${a.connected + a.failed} connected`);
      const t = a.connectMs;
      const times = t ? (t.count === 1 ? `${t.median} ms` : `${t.min} / ${t.median} / ${t.p95} / ${t.max} ms`) : first ? `${first.durationMs} ms` : '';
      return [formatEndpoint({ address: a.address, port: d.port }), result, times];
    });
    const multi = d.perAddress.some((a) => (a.connectMs?.count ?? 0) > 1);
    sections.push(`${heading(s, 'Connects')}\n` + renderTable(s, ['address', 'result', multi ? 'min / median / p95 / max' : 'time'], rows, { keepWhole: [2] }));
    // Only attempts that ran into a deadline show what ended them: the one
    // tcpdiag set, or the OS's own end of its SYN schedule, which came sooner.
    const by = new Set(d.attempts.map((x) => x.deadlineBy));
    const enforced = [...by].filter((x) => x !== null && x !== 'os');
    const notes = [
      `deadline ${d.timeoutMs} ms per attempt${enforced.length ? `, enforced by ${enforced.join(', ')}` : ''}` +
        (by.has('os') ? `; the OS gave up sooner by itself (its SYN resends ran out), as it does for any client` : ''),
    ];
    // The yardstick of the syn-lost finding, when an attempt met it.
    if (d.synResends.length && d.synSchedule) {
      const proven = d.synResends.every(resendCertain);
      notes.push(`${plural(d.synResends.length, 'attempt')} ${proven ? 'waited for a resent SYN' : 'took as long as a resent SYN'}; this OS resends an unanswered SYN at ${d.synSchedule.resendsAtMs.map((t) => t / 1000).join(', ')} s`);
    }
    sections.push(s.c.dim(notes.map((n) => wrap(n, s.width, '  ', '    ')).join('\n')));
  }
  return renderReport(s, r, sections);
}
