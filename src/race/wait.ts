// Waiting on control connects against the run's clock: the first to end
// before a deadline, or null. Controls that are still open stay open.

import type { ControlAttempt, ControlEnd, InconclusiveReason, RaceEnv } from './types.js';

export interface Ended {
  control: ControlAttempt;
  end: ControlEnd;
}

export async function firstToEnd(env: RaceEnv, controls: readonly ControlAttempt[], untilMs: number): Promise<Ended | null> {
  const stop = new AbortController();
  const deadline = env.sleep(Math.max(0, untilMs - env.now()), stop.signal).then(() => null);
  const r = await Promise.race([deadline, ...controls.map((c) => c.ended.then((end) => ({ control: c, end })))]);
  stop.abort();
  return r;
}

/** Ends the run as inconclusive from anywhere inside it. */
export class Stop {
  constructor(
    readonly reason: InconclusiveReason,
    readonly errorCode: string | null,
    readonly detail: string | null = null,
  ) {}
}

/** A control that ended without connecting (refused, unreachable) means the control is broken, not held. */
export function failIfRefused(e: Ended | null, what: string): void {
  if (e && !e.end.ok) throw new Stop('control-failed', e.end.errorCode, what);
}
