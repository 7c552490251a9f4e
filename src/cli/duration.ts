// Durations as flags take them, the same on every flag (issue #20): "200ms",
// "1s", "1.5s", "2m", "1h", and a bare number, which is seconds (what every
// duration flag took before units, so scripts that pass "10" keep working).

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** What every duration flag's help and error say about the accepted form. */
export const DURATION_FORM = 'like 500ms, 2s or 2m (a bare number is seconds)';

/** Milliseconds, or null when `text` is not a duration (negative, no number, unknown unit). */
export function parseDurationMs(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?|\.\d+)(ms|s|m|min|h)?$/.exec(text.trim());
  if (!m) return null;
  const ms = Number(m[1]) * UNIT_MS[m[2] ?? 's']!;
  return Number.isFinite(ms) ? ms : null;
}

/** "200ms", "5s", "2m", "24h": a bound as a user would type it back. */
export function formatDurationFlag(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
