// The report envelope shared by every command (DESIGN.md "Output contract").
// Fields may be added; renaming or removing one needs a major version.

export type Verdict = 'ok' | 'problem' | 'inconclusive' | 'error';
export type Severity = 'info' | 'warning' | 'error';

export interface Finding {
  /** Stable kebab-case identifier; scripts match on it. */
  code: string;
  severity: Severity;
  message: string;
  /** Copy-pasteable commands or steps for the user's OS; may be empty. */
  remedy: string[];
}

/** What a probe returns: everything except the envelope bookkeeping. */
export interface ProbeResult<D> {
  /** When omitted, the verdict follows from the findings (see deriveVerdict). */
  verdict?: Verdict;
  summary: string;
  findings: Finding[];
  /** What the verdict did not judge and why (input it could not read, parts missing for an answer); see Report.notJudged. */
  notJudged?: string[];
  data: D;
}

export interface Report<D = unknown> {
  tool: 'tcpdiag';
  version: string;
  command: string;
  platform: { os: string; release: string; node: string };
  startedAt: string;
  durationMs: number;
  verdict: Verdict;
  summary: string;
  findings: Finding[];
  /**
   * Human-readable sentences saying what the verdict did not judge and why:
   * rows or sections of the input that could not be read, a part an answer
   * needs that the input lacks. Empty when the verdict rests on everything.
   */
  notJudged: string[];
  data: D;
}
