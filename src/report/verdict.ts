import type { Finding, Verdict } from './types.js';

/**
 * Default verdict: a warning or error finding is a problem worth a non-zero
 * exit for scripts; info findings are explanations, not problems. Probes
 * whose question is narrower (bind: "can I listen now?") set their own.
 */
export function deriveVerdict(findings: readonly Finding[]): Verdict {
  return findings.some((f) => f.severity !== 'info') ? 'problem' : 'ok';
}

/** Exit codes of the JSON contract: 0 ok, 1 problem, 2 usage, 3 could not run, 4 inconclusive. */
export const EXIT = { ok: 0, problem: 1, usage: 2, cannotRun: 3, inconclusive: 4, interrupted: 130 } as const;

export function exitCodeFor(verdict: Verdict): number {
  switch (verdict) {
    case 'ok':
      return EXIT.ok;
    case 'problem':
      return EXIT.problem;
    case 'inconclusive':
      return EXIT.inconclusive;
    case 'error':
      return EXIT.cannotRun;
  }
}
