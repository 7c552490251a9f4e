// macOS and FreeBSD: `sysctl net.inet.ip.portrange` (or single keys).
//   net.inet.ip.portrange.first: 49152
//   net.inet.ip.portrange.last: 65535
//   net.inet.ip.portrange.hifirst: 49152        (range for IP_PORTRANGE_HIGH sockets)
//   net.inet.ip.portrange.reservedhigh: 1023    (FreeBSD only: binds at or below need privilege)
// `sysctl -n` prints bare values without keys; that cannot be told apart, so
// only keyed output is accepted. Each range carries the allocator that uses
// it (issue #15: a paste with only hifirst/hilast once read as the default
// range): first/last for every socket, hifirst/hilast for IP_PORTRANGE_HIGH
// sockets, lowfirst/lowlast (lowfirst > lowlast, handed out downward) for
// IP_PORTRANGE_LOW sockets.

import { emptyPortRanges, ephemeral, type PortAllocator, type PortRanges } from '../port-ranges.js';
import { parseSysctlValues } from './sysctl-values.js';
import { ParseError, isPort } from './text.js';

const PREFIX = 'net.inet.ip.portrange.';
// Keys FreeBSD has and macOS lacks: they tell the two apart.
const FREEBSD_ONLY = new Set(['reservedhigh', 'reservedlow', 'randomcps', 'randomtime']);

export function looksLikeBsdSysctl(text: string): boolean {
  return [...parseSysctlValues(text).keys()].some((k) => k.startsWith(PREFIX));
}

export function parseBsdSysctlPortRange(text: string, source: string): PortRanges {
  return bsdPortRangesFrom(parseSysctlValues(text), /^kern\.ostype\s*[:=]\s*FreeBSD/im.test(text), source);
}

/** The port ranges in sysctl values (by full name); `saysFreeBSD`: a kern.ostype line said FreeBSD. */
export function bsdPortRangesFrom(all: ReadonlyMap<string, number>, saysFreeBSD: boolean, source: string): PortRanges {
  // The portrange values by their last name part ("first", "hilast", ...).
  const values = new Map([...all].filter(([k]) => k.startsWith(PREFIX)).map(([k, v]) => [k.slice(PREFIX.length), v]));
  const freebsd = saysFreeBSD || [...values.keys()].some((k) => FREEBSD_ONLY.has(k));
  const out = emptyPortRanges(freebsd ? 'freebsd' : 'darwin');
  addRange(out, values, 'first', 'last', 'default', `${source} (net.inet.ip.portrange.first/last)`);
  addRange(out, values, 'hifirst', 'hilast', 'high', `${source} (net.inet.ip.portrange.hifirst/hilast, IP_PORTRANGE_HIGH sockets)`);
  addRange(out, values, 'lowfirst', 'lowlast', 'low', `${source} (net.inet.ip.portrange.lowfirst/lowlast, IP_PORTRANGE_LOW sockets)`);
  out.readFrom.push(source);
  const reservedHigh = values.get('reservedhigh');
  if (reservedHigh !== undefined) {
    out.privileged = { below: reservedHigh + 1, source: `${source} (net.inet.ip.portrange.reservedhigh)` };
  }
  if (!out.ephemeral.some((e) => e.allocator === 'default')) {
    out.notes.push(`${source}: no net.inet.ip.portrange.first/last values found: the default range, the one ordinary sockets draw from, is not in the input`);
  }
  return out;
}

function addRange(out: PortRanges, values: Map<string, number>, firstKey: string, lastKey: string, allocator: PortAllocator, source: string): void {
  const first = values.get(firstKey) ?? null;
  const last = values.get(lastKey) ?? null;
  if (first === null && last === null) return;
  // One end alone (a paste of one `sysctl` call) is no range: said, not guessed.
  if (first === null || last === null) {
    out.notes.push(`${source}: only net.inet.ip.portrange.${first === null ? lastKey : firstKey} is in the input; without ${first === null ? firstKey : lastKey} the range is not known`);
    return;
  }
  if (!isPort(first) || !isPort(last)) {
    throw new ParseError('sysctl', `net.inet.ip.portrange.${firstKey}/${lastKey} must be ports, got ${first} and ${last}`);
  }
  // The kernel swaps first/last when first > last; report the range it uses.
  out.ephemeral.push(ephemeral(Math.min(first, last), Math.max(first, last), source, null, null, allocator));
}

