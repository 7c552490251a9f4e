// Ports under the names a services file gives them, for output printed
// without numeric ports (`netstat -a`, `ss -lt`, `lsof` without -P, Windows
// `netstat` without -n): "0.0.0.0:ssh", "*:https", "localhost.ipp".
//
// The table is the IANA list as Debian's netbase ships it (src/net/services.ts,
// generated). netbase keeps only common services, while macOS prints names
// from the whole IANA registry (its /etc/services is that registry) and older
// Linux distributions from longer lists: the names below were seen in the
// captured pastes of test/fixtures and are not in netbase; each port is the
// IANA registry's for that name. A name in neither list is not guessed: its
// row is reported as not read (rerun with numbers).

import { servicePortOf } from '../../net/services.js';

const SEEN_IN_PASTES = new Map<string, number>([
  ['hbci', 3000], // macOS `lsof -i`: dev servers on 3000
  ['irdmi', 8000],
  ['commplex-main', 5000], // macOS AirPlay receiver (ControlCenter)
  ['afs3-fileserver', 7000], // macOS AirPlay receiver
  ['sunproxyadmin', 8081],
  ['dsf', 555],
  ['mdns', 5353],
  ['cslistener', 9000],
]);

/** The TCP port of a service name (any case), or null when neither list has it. */
export function servicePort(name: string): number | null {
  return servicePortOf(name) ?? SEEN_IN_PASTES.get(name.toLowerCase()) ?? null;
}
