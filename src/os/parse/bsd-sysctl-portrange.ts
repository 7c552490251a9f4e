// macOS and FreeBSD: `sysctl net.inet.ip.portrange` (or single keys).
//   net.inet.ip.portrange.first: 49152
//   net.inet.ip.portrange.last: 65535
//   net.inet.ip.portrange.hifirst: 49152        (range for IP_PORTRANGE_HIGH sockets)
//   net.inet.ip.portrange.reservedhigh: 1023    (FreeBSD only: binds at or below need privilege)
// `sysctl -n` prints bare values without keys; that cannot be told apart, so
// only keyed output is accepted. The low range (lowfirst > lowlast, allocated
// downward) is for IP_PORTRANGE_LOW sockets and is not ephemeral.

import { emptyPortRanges, ephemeral, type PortRanges } from '../port-ranges.js';
import { ParseError, isPort, splitLines } from './text.js';

// `sysctl key=value` prints "key: old -> new"; the new value is the one in force.
const LINE = /^net\.inet\.ip\.portrange\.(\w+)\s*[:=]\s*(?:-?\d+\s*->\s*)?(-?\d+)\s*$/;
// Keys FreeBSD has and macOS lacks: they tell the two apart.
const FREEBSD_ONLY = new Set(['reservedhigh', 'reservedlow', 'randomcps', 'randomtime']);

export function looksLikeBsdSysctl(text: string): boolean {
  return splitLines(text).some((l) => LINE.test(l.trim()));
}

export function parseBsdSysctlPortRange(text: string, source: string): PortRanges {
  const values = new Map<string, number>();
  for (const line of splitLines(text)) {
    const m = LINE.exec(line.trim());
    if (m) values.set(m[1]!, Number(m[2]));
  }
  const freebsd = /^kern\.ostype\s*[:=]\s*FreeBSD/im.test(text) || [...values.keys()].some((k) => FREEBSD_ONLY.has(k));
  const out = emptyPortRanges(freebsd ? 'freebsd' : 'darwin');
  addRange(out, values, 'first', 'last', `${source} (net.inet.ip.portrange.first/last)`);
  addRange(out, values, 'hifirst', 'hilast', `${source} (net.inet.ip.portrange.hifirst/hilast, IP_PORTRANGE_HIGH sockets)`);
  out.readFrom.push(source);
  const reservedHigh = values.get('reservedhigh');
  if (reservedHigh !== undefined) {
    out.privileged = { below: reservedHigh + 1, source: `${source} (net.inet.ip.portrange.reservedhigh)` };
  }
  if (out.ephemeral.length === 0) {
    out.notes.push(`${source}: no net.inet.ip.portrange.first/last values found`);
  }
  return out;
}

function addRange(out: PortRanges, values: Map<string, number>, firstKey: string, lastKey: string, source: string): void {
  const first = values.get(firstKey) ?? null;
  const last = values.get(lastKey) ?? null;
  if (first === null && last === null) return;
  if (!isPort(first) || !isPort(last)) {
    throw new ParseError('sysctl', `net.inet.ip.portrange.${firstKey}/${lastKey} must both be present and be ports, got ${first} and ${last}`);
  }
  // The kernel swaps first/last when first > last; report the range it uses.
  out.ephemeral.push(ephemeral(Math.min(first, last), Math.max(first, last), source));
}

