// Wording shared by explanations, summaries and renderers.

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "8080" or "9000-9010": how ranges read in messages, and in ip_local_reserved_ports syntax. */
export function formatRange(r: { start: number; end: number }): string {
  return r.start === r.end ? `${r.start}` : `${r.start}-${r.end}`;
}
