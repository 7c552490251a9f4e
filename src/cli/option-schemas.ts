// Reusable option schemas. Each error message names the value given and the
// accepted form, because that one line is all a user sees (exit 2).

import * as z from 'zod/mini';
import { canonicalState, TCP_STATES, type TcpState } from '../os/tcp-states.js';
import { servicePortOf } from '../net/services.js';
import { DURATION_FORM, formatDurationFlag, parseDurationMs } from './duration.js';

/** A string flag parsed by `parse`, which returns the value or an error message. */
function parsed<T>(parse: (s: string) => T | { error: string }) {
  return z.pipe(
    z.string(),
    z.transform((s: string, ctx) => {
      const v = parse(s);
      if (v !== null && typeof v === 'object' && 'error' in v) {
        ctx.issues.push({ code: 'custom', message: v.error, input: s });
        return z.NEVER;
      }
      return v as T;
    }),
  );
}

const WHOLE = /^\d+$/;

/** A port number, or a TCP service name from the IANA table (net/services.ts): "https", "postgres". */
export const portSchema = parsed((s) => parsePort(s) ?? { error: portError(s) });

/** The port a flag value names (a number from 1 to 65535 or a service name), or null. */
export function parsePort(s: string): number | null {
  if (WHOLE.test(s)) {
    const n = Number(s);
    return n >= 1 && n <= 65535 ? n : null;
  }
  return /^[A-Za-z][A-Za-z0-9._+-]*$/.test(s) ? servicePortOf(s) : null;
}

/** A word may have been meant as a service name; anything else as a number. */
export function portError(s: string): string {
  return /^[A-Za-z]/.test(s) ? `expected a port number from 1 to 65535 or a TCP service name (https, postgresql, ...), got "${s}"` : `expected a port number from 1 to 65535, got "${s}"`;
}

export const pidSchema = parsed((s) => {
  const n = WHOLE.test(s) ? Number(s) : NaN;
  return n >= 1 && Number.isSafeInteger(n) ? n : { error: `expected a process id (a whole number from 1), got "${s}"` };
});

export function countSchema(min: number, max: number, what: string) {
  return parsed((s) => {
    const n = WHOLE.test(s) ? Number(s) : NaN;
    return n >= min && n <= max ? n : { error: `expected ${what} from ${min} to ${max}, got "${s}"` };
  });
}

/** "500ms", "2s", "1.5s", "2m", or a bare number of seconds; within [minMs, maxMs]; milliseconds. */
export function durationSchema(minMs: number, maxMs: number) {
  return parsed((s) => {
    const ms = parseDurationMs(s);
    const range = `from ${formatDurationFlag(minMs)} to ${formatDurationFlag(maxMs)}`;
    // A duration out of range is told as such: the form's own examples may lie outside this flag's range.
    if (ms === null) return { error: `expected a duration ${DURATION_FORM}, ${range}, got "${s}"` };
    return ms >= minMs && ms <= maxMs ? Math.round(ms) : { error: `expected a duration ${range}, got "${s}" (${ms < minMs ? `less than ${formatDurationFlag(minMs)}` : `more than ${formatDurationFlag(maxMs)}`})` };
  });
}

/**
 * A duration the OS keeps in whole seconds (keepalive times, TCP_USER_TIMEOUT
 * as keepalive selftest sets it): "30s", "2m" or "30"; "1500ms" is refused
 * rather than truncated, since Linux would silently apply 1 s. Seconds.
 */
export function wholeSecondsSchema(minS: number, maxS: number, what: string) {
  return parsed((s) => {
    const ms = parseDurationMs(s) ?? NaN;
    const ok = ms >= minS * 1000 && ms <= maxS * 1000 && ms % 1000 === 0;
    return ok ? ms / 1000 : { error: `expected ${what} in whole seconds, like 30s or 2m (a bare number is seconds), from ${formatDurationFlag(minS * 1000)} to ${formatDurationFlag(maxS * 1000)}, got "${s}"` };
  });
}

/** Repeatable and comma-separated; native spellings (estab, time-wait, LISTENING) are accepted. */
export const statesSchema = z.pipe(
  z.array(z.string()),
  z.transform((values: string[], ctx) => {
    const out: TcpState[] = [];
    for (const v of values.flatMap((x) => x.split(',')).filter((x) => x.trim() !== '')) {
      const s = canonicalState(v);
      if (!s) {
        ctx.issues.push({ code: 'custom', message: `unknown state "${v}"; valid states: ${TCP_STATES.join(', ')}`, input: v });
        return z.NEVER;
      }
      if (!out.includes(s)) out.push(s);
    }
    return out;
  }),
);

export function enumSchema<T extends string>(values: readonly T[]) {
  return parsed((s) => ((values as readonly string[]).includes(s) ? (s as T) : { error: `expected one of ${values.join(', ')}, got "${s}"` }));
}
