// Which system printed the captured parts, and refusing a mix: a Linux table
// read beside a Windows netsh paste would answer about a host that does not
// exist (a user trial: bind found a Linux listener "inside an excluded range"
// that only the Windows host had). Settings (sysctl values) only tell Linux
// from the BSDs, so they do not count as naming a system here.

import { scopeCovers, TCPIP_PARAMETERS } from '../os/parse/windows-registry.js';
import type { OsName } from '../os/port-ranges.js';
import { UsageError } from '../report/errors.js';
import type { CapturedPart } from './parse-captured.js';

/** The systems the tables, ranges and registry values name; exit 2 when they name more than one. */
export function oneCapturedSystem(parts: readonly CapturedPart[]): Set<OsName> {
  const named = new Set(parts.filter((p) => p.kind !== 'settings' && p.os).map((p) => p.os!));
  if (named.size > 1) throw new UsageError(`--from: the files come from different systems (${[...named].join(', ')}); check one host at a time`);
  // Registry captures name their host: Tcpip\Parameters\Hostname. Two names are two Windows hosts (a user trial:
  // WEB01's and DB02's TcpTimedWaitDelay were merged and one of them dropped without a word).
  const hosts = new Map<string, string>();
  for (const p of parts) {
    if (p.kind !== 'registry') continue;
    for (const v of p.values) {
      if (v.name.toLowerCase() !== 'hostname' || typeof v.data !== 'string' || v.data.trim() === '') continue;
      if (!scopeCovers({ key: TCPIP_PARAMETERS, names: null, subkeys: false, command: null }, v.key, null)) continue;
      const host = v.data.trim();
      if (![...hosts.keys()].some((h) => h.toLowerCase() === host.toLowerCase())) hosts.set(host, p.file);
    }
  }
  if (hosts.size > 1) throw new UsageError(`--from: the files come from different systems (Hostname ${[...hosts].map(([h, f]) => `${h} in ${f}`).join(', ')}); check one host at a time`);
  return named;
}
