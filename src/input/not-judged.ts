// The rule every --from command follows (issues #20, #22): exit 0 never hides
// a loss. A verdict that would be "ok" while a part the answer needs is
// missing (rows that could not be read, a part the input lacks) is
// "inconclusive" (exit 4); a problem found stays a problem. Callers pass only
// those gaps: other notJudged sentences may come with an "ok" (docs/json.md, the JSON
// contract).

import type { Verdict } from '../report/types.js';

export function verdictWithGaps(verdict: Verdict, notJudged: readonly string[]): Verdict {
  return verdict === 'ok' && notJudged.length > 0 ? 'inconclusive' : verdict;
}

/**
 * What earlier captures said that a later capture of the same setting, or a
 * later run of the same command, replaced (later-captures.ts): said in
 * notJudged, after everything else, but no gap, since the later capture was
 * read; so never passed to verdictWithGaps.
 */
export function replacedCaptures(captured: { replaced: readonly string[] } | null): string[] {
  return [...(captured?.replaced ?? [])];
}
