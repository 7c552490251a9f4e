// `tcpdiag ports`: the host's ephemeral and excluded/reserved port ranges,
// live from the OS backend or offline from captured output (--from).

import { explainPortRanges } from '../explain/port-ranges.js';
import { lacking, type CapturedInput, type InputSource } from '../input/parse-captured.js';
import { replacedCaptures, verdictWithGaps } from '../input/not-judged.js';
import type { OsBackend } from '../os/backend.js';
import { CannotRunError } from '../report/errors.js';
import { combinePortRanges, defaultRanges, EPHEMERAL_RANGE_COMMAND, type EphemeralRange, type PortRanges } from '../os/port-ranges.js';
import type { ProbeResult } from '../report/types.js';
import { deriveVerdict } from '../report/verdict.js';
import { formatRange, plural } from '../text/words.js';
import { oneCapturedSystem } from '../input/captured-systems.js';

export interface PortsData extends PortRanges {
  /** Only with --from: each part of each input and the format it was read as. */
  sources?: InputSource[];
}

export interface PortsInput {
  /** Captured outputs to analyse instead of this host (null: this host). */
  captured: CapturedInput | null;
  backend: () => OsBackend;
}

export async function probePorts(input: PortsInput): Promise<ProbeResult<PortsData>> {
  const data = input.captured ? readCaptured(input.captured) : await input.backend().readPortRanges();
  // A live run that read no range at all (Windows whose netsh printed none) has nothing to report: not "no range".
  if (!input.captured && data.ephemeral.length === 0 && data.reserved.length === 0 && data.privileged === null) {
    throw new CannotRunError(data.notes.length ? data.notes.join('; ') : `no port range could be read from ${data.readFrom.join(', ')}`);
  }
  const findings = explainPortRanges(data);
  const notJudged = [...(input.captured?.notJudged ?? []), ...(input.captured?.rangeGaps ?? [])];
  // A paste without the ephemeral range says nothing about the host's: what to add, not "none found".
  const pasteLacksRange = input.captured !== null && data.ephemeral.length === 0;
  if (pasteLacksRange) notJudged.push(`the ephemeral port range: the input holds none (add ${data.os ? `\`${EPHEMERAL_RANGE_COMMAND[data.os]}\`` : 'the host\'s port-range output'})`);
  const verdict = verdictWithGaps(deriveVerdict(findings), notJudged);
  // Earlier captures a later one replaced: said, but no gap (the later capture was read).
  notJudged.push(...replacedCaptures(input.captured));
  return { verdict, summary: summarize(data, pasteLacksRange), findings, notJudged, data };
}

/** The port ranges of every --from input (UsageError when none holds any). */
export function readCaptured(captured: CapturedInput): PortsData {
  oneCapturedSystem(captured.parts);
  const ranges = captured.parts.flatMap((p) => (p.kind === 'ranges' ? [p.ranges] : []));
  if (ranges.length === 0) throw lacking(captured, 'ranges', 'ports');
  return { ...combinePortRanges(ranges), sources: captured.sources };
}


function summarize(r: PortRanges, pasteLacksRange: boolean): string {
  // The summary names the range ordinary sockets get; hifirst/hilast and lowfirst/lowlast are in the table.
  const defaults = defaultRanges(r.ephemeral);
  const eph = uniqueRanges(defaults);
  const others = r.ephemeral.length - defaults.length;
  const ephText = eph.length
    ? `ephemeral ${eph.join(', ')}`
    : others
      ? 'no default ephemeral range found (only IP_PORTRANGE_HIGH/LOW ranges)'
      : pasteLacksRange
        ? 'the input holds no ephemeral range'
        : 'no ephemeral range found';
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
