// `tcpdiag doctor`: every host-level check at once. Each check reports what it
// looked at, so "no findings" reads as "looked and found nothing", and a check
// that could not run says why instead of vanishing.

import { CHECKS, type Check } from '../doctor/checks.js';
import { collectHostFacts, type HostFacts } from '../doctor/host-facts.js';
import type { OsBackend } from '../os/backend.js';
import { CannotRunError } from '../report/errors.js';
import type { Finding, ProbeResult } from '../report/types.js';
import { deriveVerdict } from '../report/verdict.js';
import { plural } from '../explain/words.js';
import { summarizeSockets, type SocketSummary } from '../sockets/summary.js';

export type CheckStatus = 'ok' | 'problem' | 'could-not-run';

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
  /** The socket table in numbers, for graphs over time (also --format prometheus); null when it could not be read. */
  sockets: SocketSummary | null;
}

export async function probeDoctor(input: { backend: () => OsBackend; sleep: (ms: number) => Promise<void> }): Promise<ProbeResult<DoctorData>> {
  const facts = collectHostFacts(input.backend(), input.sleep);
  // The checks run at once: the counter sample's wait overlaps the table read.
  const [checks, sockets] = await Promise.all([Promise.all(CHECKS.map((c) => runCheck(c, facts))), summarizeHost(facts)]);
  const findings = checks.flatMap((c) => c.findings);
  const problems = checks.filter((c) => c.status === 'problem').length;
  const failed = checks.filter((c) => c.status === 'could-not-run').length;
  const verdict = failed === checks.length ? 'error' : undefined;
  const summary =
    `${plural(checks.length, 'check')}: ` +
    [problems ? `${problems} with problems` : 'no problems found', failed ? `${failed} could not run` : ''].filter(Boolean).join(', ');
  return { verdict, summary, findings: sortBySeverity(findings), data: { checks, sockets } };
}

async function runCheck(check: Check, facts: HostFacts): Promise<CheckResult> {
  const base = { id: check.id, title: check.title };
  try {
    const { lookedAt, findings } = await check.run(facts);
    return { ...base, status: deriveVerdict(findings) === 'ok' ? 'ok' : 'problem', lookedAt, findings };
  } catch (err) {
    // One check that fails never takes the others down; an unexpected error is
    // reported as that check's reason, not as a crash of doctor.
    const reason = err instanceof CannotRunError ? err.message : `internal error: ${(err as Error).message}`;
    return { ...base, status: 'could-not-run', lookedAt: [], findings: [], reason };
  }
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
