// min / median / p95 / max of a set of times, as connect repeats report them.

export interface TimeStats {
  count: number;
  min: number;
  median: number;
  p95: number;
  max: number;
}

export function summarizeTimes(ms: readonly number[]): TimeStats | null {
  if (ms.length === 0) return null;
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  const r = (x: number) => Math.round(x * 10) / 10;
  return { count: s.length, min: r(s[0]!), median: r(median), p95: r(at(0.95)), max: r(s.at(-1)!) };
}
