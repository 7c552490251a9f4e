// Wording shared by explanations, summaries and renderers.

export function plural(n: number, word: string): string {
  if (n === 1) return `${n} ${word}`;
  return `${n} ${word}${/(s|sh|ch|x)$/.test(word) ? 'es' : 's'}`;
}

/** The verb form for a count: agree(1, 'is', 'are') is "is", agree(3, 'is', 'are') "are". */
export function agree(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

/** "8080" or "9000-9010": how ranges read in messages, and in ip_local_reserved_ports syntax. */
export function formatRange(r: { start: number; end: number }): string {
  return r.start === r.end ? `${r.start}` : `${r.start}-${r.end}`;
}

/** "line 7" or "lines 7-12": where a part of an input is, as messages name it. */
export function formatLines(r: { first: number; last: number }): string {
  return r.first === r.last ? `line ${r.first}` : `lines ${r.first}-${r.last}`;
}

/** "pid 1234", or "node (pid 1234)" when the process name is known; null when the owner is unknown. */
export function describeOwner(r: { pid: number | null; process: string | null }): string | null {
  if (r.pid === null) return null;
  return r.process ? `${r.process} (pid ${r.pid})` : `pid ${r.pid}`;
}

/** "2 h 11 min", "5 min 30 s", "45 s": a duration in seconds as a person reads it. */
export function formatSeconds(totalS: number): string {
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = Math.round(totalS % 60);
  const parts = [h ? `${h} h` : '', m ? `${m} min` : '', s || (!h && !m) ? `${s} s` : ''];
  return parts.filter(Boolean).slice(0, 2).join(' ');
}
