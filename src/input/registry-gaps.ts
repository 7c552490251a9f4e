// What registry captures of a --from input do not show (a user trial: one
// `reg query ... /v TcpTimedWaitDelay` was read as the whole key, so every
// other value passed for absent and its default for the host's, exit 0). A
// capture's command line says what it shows (os/parse/windows-registry.ts,
// registryScope); the values of Tcpip\Parameters and its subkeys outside
// every capture are a gap: doctor says so, and its verdict is not "ok". Only
// Tcpip\Parameters counts here: it is the key whose absent values doctor
// would take for their defaults; Tcpip6 and AFD values are judged only where
// a capture shows them.

import type { CapturedPart } from '../os/captured/parts.js';
import { describeScope, registryScope, scopeCovers, TCPIP_PARAMETERS, WHOLE_TCPIP_QUERY, type RegistryScope } from '../os/parse/windows-registry.js';
import { formatLines } from '../text/words.js';

/** Sentences for doctor's notJudged: the parts of Tcpip\Parameters no registry capture shows. */
export function registryGaps(parts: readonly CapturedPart[]): string[] {
  const scopes = parts.flatMap((p) => (p.kind === 'registry' ? [{ scope: registryScope(p.command, p.values), where: `${formatLines(p.lines)} of ${p.file}` }] : []));
  const whole = (s: RegistryScope | null, key: string, subkeys: boolean) => s === null || (s.names === null && scopeCovers(s, key, null) && (!subkeys || s.subkeys));
  const gaps: string[] = [];
  for (const { scope, where } of scopes) {
    // Tcpip\Parameters itself (any control set), not AFD, Tcpip6 or one interface's subkey.
    if (scope === null || !scopeCovers({ ...scope, key: TCPIP_PARAMETERS, subkeys: false, names: null }, scope.key, null)) continue;
    const values = scope.names !== null && !scopes.some((o) => whole(o.scope, scope.key, false));
    const subkeys = !scope.subkeys && !scopes.some((o) => whole(o.scope, scope.key, true));
    if (!values && !subkeys) continue;
    const shown = scope.names === null ? '' : scope.names.length === 0 ? '' : ` other than ${scope.names.map((n) => n || '(Default)').join(', ')}`;
    const what = [values ? `the values of Tcpip\\Parameters${shown}` : '', subkeys ? 'those of its subkeys (Interfaces\\{GUID})' : ''].filter(Boolean).join(' and ');
    gaps.push(`${what}: not captured (${where}: ${describeScope(scope)}), so they are not judged, nor taken for absent and their defaults; \`${WHOLE_TCPIP_QUERY}\` captures them`);
  }
  return gaps;
}
