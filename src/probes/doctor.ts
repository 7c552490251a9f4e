// `tcpdiag doctor`: every host-level check at once. Each check reports what it
// looked at, so "no findings" reads as "looked and found nothing", and a check
// that could not run says why instead of vanishing.

import { CHECKS, type Check } from '../doctor/checks.js';
import { collectHostFacts, type HostFacts } from '../doctor/host-facts.js';
import type { OsBackend } from '../os/backend.js';
import { CannotRunError, UsageError } from '../report/errors.js';
import { createCapturedBackend } from '../os/captured/backend.js';
import type { CapturedInput, CapturedPart, InputSource } from '../input/parse-captured.js';
import { replacedCaptures, verdictWithGaps } from '../input/not-judged.js';
import type { OsName } from '../os/port-ranges.js';
import type { Finding, ProbeResult } from '../report/types.js';
import { deriveVerdict } from '../report/verdict.js';
import { plural } from '../text/words.js';
import { summarizeSockets, type SocketSummary } from '../sockets/summary.js';
import { capturedTableGaps } from '../input/table-gaps.js';
import { oneCapturedSystem } from '../input/captured-systems.js';
import { registryGaps } from '../input/registry-gaps.js';

export type CheckStatus = 'ok' | 'problem' | 'not-judged' | 'could-not-run';

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  /** What the check read: files, commands, counts. */
  lookedAt: string[];
  findings: Finding[];
  /** Why it could not run, when it could not. */
  reason?: string;
}

export interface DoctorData {
  checks: CheckResult[];
  /** Only with --from: each part of each input and the format it was read as. */
  sources?: InputSource[];
  /** The socket table in numbers, for graphs over time (also --format prometheus); null when it could not be read. */
  sockets: SocketSummary | null;
}

export interface DoctorInput {
  /** Captured outputs to check instead of this host (null: this host). */
  captured: CapturedInput | null;
  backend: () => OsBackend;
  sleep: (ms: number) => Promise<void>;
  /** Progress for a person (stderr), e.g. while sampling. */
  progress: (message: string) => void;
}

export async function probeDoctor(input: DoctorInput): Promise<ProbeResult<DoctorData>> {
  const parts = input.captured?.parts ?? [];
  const backend = input.captured ? createCapturedBackend(capturedOs(parts, input.captured.sources), parts) : input.backend();
  const facts = collectHostFacts(backend, input.sleep, input.progress);
  // The counter sample's window first: it then overlaps reading a busy host's
  // table and owners instead of following them (issue #19). Its errors are the accept-queues check's to report.
  facts.counterSample().catch(() => {});
  // The checks run at once: the counter sample's wait overlaps the table read.
  const applicable = CHECKS.filter((c) => !c.appliesTo || c.appliesTo(backend));
  const [ran, sockets] = await Promise.all([Promise.all(applicable.map((c) => runCheck(c, facts))), summarizeHost(facts)]);
  const checks = ran.map((r) => r.result);
  const findings = checks.flatMap((c) => c.findings);
  const problems = checks.filter((c) => c.status === 'problem').length;
  const failed = checks.filter((c) => c.status === 'could-not-run').length;
  // Every check that could not run is said, live too: an "ok" covers only the checks that ran.
  const skipped = checks.filter((c) => c.status === 'could-not-run').map((c) => `${c.title}: ${c.reason}`);
  const gaps = [...(input.captured?.notJudged ?? []), ...(input.captured?.rangeGaps ?? []), ...(input.captured ? [...capturedTableGaps(input.captured), ...registryGaps(parts)] : []), ...skipped];
  // Earlier captures a later one replaced close the list: said, but no gap (the later capture was read).
  const notJudged = [...ran.flatMap((r) => r.notJudged), ...gaps, ...replacedCaptures(input.captured)];
  // From captured output a check that could not run is a part the input lacks
  // (issue #20), which leaves an "ok" open, even when no check could run (the
  // input was read, it holds nothing doctor judges: inconclusive, not "cannot
  // run here"); live, what could not run (no permission, a missing tool) does
  // not change the verdict of what ran, and nothing running is an error.
  const verdict = input.captured ? verdictWithGaps(deriveVerdict(findings), gaps) : failed === checks.length ? 'error' : deriveVerdict(findings);
  const summary =
    (input.captured ? 'from captured output: ' : '') +
    `${plural(checks.length, 'check')}: ` +
    [problems ? `${problems} with problems` : 'no problems found', failed ? `${failed} could not run` : ''].filter(Boolean).join(', ');
  const sources = input.captured ? { sources: input.captured.sources } : {};
  return { verdict, summary, findings: sortBySeverity(findings), notJudged, data: { checks, sockets, ...sources } };
}

async function runCheck(check: Check, facts: HostFacts): Promise<{ result: CheckResult; notJudged: string[] }> {
  const base = { id: check.id, title: check.title };
  try {
    const { lookedAt, findings, notJudged = [], judged } = await check.run(facts);
    const status = deriveVerdict(findings) !== 'ok' ? 'problem' : judged === false ? 'not-judged' : 'ok';
    return { result: { ...base, status, lookedAt, findings }, notJudged };
  } catch (err) {
    // One check that fails never takes the others down; an unexpected error is
    // reported as that check's reason, not as a crash of doctor.
    const reason = err instanceof CannotRunError ? err.message : `internal error: ${(err as Error).message}`;
    return { result: { ...base, status: 'could-not-run', lookedAt: [], findings: [], reason }, notJudged: [] };
  }
}

/**
 * The OS that printed the files: socket tables and port ranges name it; host
 * settings only tell Linux from the BSDs (macOS and FreeBSD share the names).
 */
function capturedOs(parts: readonly CapturedPart[], sources: readonly InputSource[]): OsName {
  const [os] = oneCapturedSystem(parts);
  const hinted = parts.find((p) => p.kind === 'settings')?.os;
  if (os && hinted && (hinted === 'linux') !== (os === 'linux')) throw new UsageError(`--from: the sysctl settings are ${hinted === 'linux' ? 'Linux' : 'BSD'} ones, the other files come from ${os}`);
  const result = os ?? hinted;
  if (!result) {
    const files = [...new Set(sources.map((s) => s.file))].join(', ');
    const held = [...new Set(sources.filter((s) => !s.sameAs).map((s) => s.format))].join(', ');
    throw new UsageError(`--from ${files}: cannot tell which system printed ${held || 'it'} (lsof prints the same on Linux and macOS); add the host's netstat, ss, sysctl or port-range output, which names it`);
  }
  return result;
}

async function summarizeHost(facts: HostFacts): Promise<SocketSummary | null> {
  // The checks report why a read failed; the summary is then just absent.
  const [table, usage, counters] = await Promise.all([
    facts.table().catch(() => null),
    facts.ephemeralUsage().catch(() => null),
    facts.counterSample().then((s) => s.after, () => null),
  ]);
  if (!table) return null;
  return summarizeSockets(table.rows, usage ?? { range: null, clientSockets: 0, destinations: [] }, counters);
}

const ORDER = { error: 0, warning: 1, info: 2 } as const;

function sortBySeverity(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
}
