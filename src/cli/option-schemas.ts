// Reusable option schemas. Each error message names the value given and the
// accepted form, because that one line is all a user sees (exit 2).

import * as z from 'zod/mini';
import { canonicalState, TCP_STATES, type TcpState } from '../os/tcp-states.js';

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

export const portSchema = parsed((s) => {
  const n = WHOLE.test(s) ? Number(s) : NaN;
  return n >= 1 && n <= 65535 ? n : { error: `expected a port number from 1 to 65535, got "${s}"` };
});

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

/** "500ms", "2s", "1.5s", or plain seconds ("2"); within [minMs, maxMs]. */
export function durationSchema(minMs: number, maxMs: number) {
  return parsed((s) => {
    const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(s.trim());
    const ms = m ? Number(m[1]) * (m[2] === 'ms' ? 1 : 1000) : NaN;
    return ms >= minMs && ms <= maxMs ? Math.round(ms) : { error: `expected a duration like 500ms or 2s, from ${minMs}ms to ${maxMs / 1000}s, got "${s}"` };
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
