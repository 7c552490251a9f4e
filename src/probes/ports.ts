// `tcpdiag ports`: the host's ephemeral and excluded/reserved port ranges,
// live from the OS backend or offline from captured output (--from).

import { explainPortRanges } from '../explain/port-ranges.js';
import type { CapturedText } from '../input/read-captured.js';
import type { OsBackend } from '../os/backend.js';
import { parsePortRangeText } from '../os/parse/port-range-formats.js';
import { ParseError } from '../os/parse/text.js';
import { CannotRunError, UsageError } from '../report/errors.js';
import { combinePortRanges, type EphemeralRange, type PortRanges } from '../os/port-ranges.js';
import type { ProbeResult } from '../report/types.js';
import { formatRange, plural } from '../explain/words.js';

export interface PortsData extends PortRanges {
  /** Only with --from: each input and the format it was read as. */
  sources?: Array<{ file: string; format: string }>;
}

export interface PortsInput {
  /** Captured outputs to analyse instead of this host (may be empty). */
  captured: CapturedText[];
  backend: () => OsBackend;
}

export async function probePorts(input: PortsInput): Promise<ProbeResult<PortsData>> {
  const data = input.captured.length > 0 ? readCaptured(input.captured) : await input.backend().readPortRanges();
  // A live run that read no range at all (Windows whose netsh printed none) has nothing to report: not "no range".
  if (input.captured.length === 0 && data.ephemeral.length === 0 && data.reserved.length === 0 && data.privileged === null) {
    throw new CannotRunError(data.notes.length ? data.notes.join('; ') : `no port range could be read from ${data.readFrom.join(', ')}`);
  }
  const findings = explainPortRanges(data);
  return { summary: summarize(data), findings, data };
}

/** Every --from input parsed by the format detected in it (ParseError for unknown text). */
export function readCaptured(captured: readonly CapturedText[]): PortsData {
  const parsed = captured.map((c) => {
    try {
      return { file: c.file, ...parsePortRangeText(c.text, c.file) };
    } catch (err) {
      if (err instanceof ParseError) throw new UsageError(`--from ${c.file}: ${err.message}`);
      throw err;
    }
  });
  return {
    ...combinePortRanges(parsed.map((p) => p.ranges)),
    sources: parsed.map((p) => ({ file: p.file, format: p.format })),
  };
}

function summarize(r: PortRanges): string {
  const eph = uniqueRanges(r.ephemeral);
  const ephText = eph.length ? `ephemeral ${eph.join(', ')}` : 'no ephemeral range found';
  const blocking = r.reserved.filter((x) => x.blocksBind).length;
  const kept = r.reserved.length - blocking;
  const parts = [ephText];
  if (blocking) parts.push(`${plural(blocking, 'excluded range')} that refuse binds`);
  if (kept) parts.push(plural(kept, 'reserved range'));
  return parts.join('; ');
}

function uniqueRanges(ranges: readonly EphemeralRange[]): string[] {
  return [...new Set(ranges.map((e) => `${formatRange(e)} (${plural(e.count, 'port')})`))];
}
