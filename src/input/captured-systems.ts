// Which system printed the captured parts, and refusing a mix: a Linux table
// read beside a Windows netsh paste would answer about a host that does not
// exist (a user trial: bind found a Linux listener "inside an excluded range"
// that only the Windows host had). Settings (sysctl values) only tell Linux
// from the BSDs, so they do not count as naming a system here.

import type { OsName } from '../os/port-ranges.js';
import { UsageError } from '../report/errors.js';
import type { CapturedPart } from './parse-captured.js';

/** The systems the tables, ranges and registry values name; exit 2 when they name more than one. */
export function oneCapturedSystem(parts: readonly CapturedPart[]): Set<OsName> {
  const named = new Set(parts.filter((p) => p.kind !== 'settings' && p.os).map((p) => p.os!));
  if (named.size > 1) throw new UsageError(`--from: the files come from different systems (${[...named].join(', ')}); check one host at a time`);
  return named;
}
