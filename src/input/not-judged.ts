// The rule every --from command follows (issues #20, #22): exit 0 never hides
// a loss. A verdict that would be "ok" while something was not judged (rows
// that could not be read, a part of the answer the input lacks) is
// "inconclusive" (exit 4); a problem found stays a problem.

import type { Verdict } from '../report/types.js';

export function verdictWithGaps(verdict: Verdict, notJudged: readonly string[]): Verdict {
  return verdict === 'ok' && notJudged.length > 0 ? 'inconclusive' : verdict;
}
