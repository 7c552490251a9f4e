import { release } from 'node:os';
import { VERSION } from '../version.js';
import type { Finding, ProbeResult, Report } from './types.js';
import { deriveVerdict } from './verdict.js';

export function makeReport<D>(command: string, startedAt: Date, result: ProbeResult<D>): Report<D> {
  return {
    tool: 'tcpdiag',
    version: VERSION,
    command,
    platform: { os: process.platform, release: release(), node: process.version },
    startedAt: startedAt.toISOString(),
    durationMs: Math.round((Date.now() - startedAt.getTime()) * 10) / 10,
    verdict: result.verdict ?? deriveVerdict(result.findings),
    summary: result.summary,
    findings: result.findings,
    notJudged: result.notJudged ?? [],
    data: result.data,
  };
}

/** The report of a probe that could not run: verdict "error", so --json users still get a document. */
export function makeCannotRunReport(command: string, startedAt: Date, reason: string, remedy: string[]): Report<null> {
  const finding: Finding = { code: 'cannot-run', severity: 'error', message: reason, remedy };
  return { ...makeReport(command, startedAt, { summary: reason, findings: [finding], data: null }), verdict: 'error' };
}
