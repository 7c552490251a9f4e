// Prometheus's own checker for the text exposition format (`promtool check
// metrics`, Debian package "prometheus"): syntax, and its lint rules (HELP on
// every metric, counters named *_total, ...).
import { spawnSync } from 'node:child_process';

/** True when promtool is missing and tests should skip (printing why); throws instead in CI. */
export function skipWithoutPromtool(): boolean {
  if (spawnSync('promtool', ['--version']).status === 0) return false;
  const reason = 'Prometheus format tests need promtool (Debian package "prometheus")';
  if (process.env.TCPDIAG_REQUIRE_NETNS === '1' || process.env.CI) throw new Error(`in CI, but ${reason}`);
  console.warn(`skipping: ${reason}`);
  return true;
}

/**
 * promtool's verdict on a metrics text, plus the one rule it does not check
 * (Prometheus rejects a scrape with two samples of one series): '' when clean,
 * the complaints otherwise.
 */
export function promtoolProblems(text: string): string {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  const promtool = r.status === 0 ? '' : `${r.stdout}${r.stderr}`.trim() || `promtool exited ${r.status}`;
  const series = text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.slice(0, l.lastIndexOf(' ')));
  const duplicates = [...new Set(series.filter((s, i) => series.indexOf(s) !== i))];
  return [promtool, ...duplicates.map((d) => `duplicate series: ${d}`)].filter(Boolean).join('\n');
}
