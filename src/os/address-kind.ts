// Addresses as binding sees them: the IPv4 or IPv6 wildcard or a specific
// address, IPv4-mapped addresses as their IPv4 one, zones and case ignored.
// Used by the bind-conflict rules (explain/) and by the input layer, which
// tells one socket listed by two tables (input/same-sockets.ts).

/** What an address is for binding: the IPv4 or IPv6 wildcard, or a specific one (IPv4-mapped counts as IPv4). */
export type AddressKind = 'v4-any' | 'v4' | 'v6-any' | 'v6';

/** The address without its zone ("fe80::1%eth0" -> "fe80::1"), lower case. */
function withoutZone(address: string): string {
  const zone = address.indexOf('%');
  return (zone < 0 ? address : address.slice(0, zone)).toLowerCase();
}

export function addressKind(address: string): { kind: AddressKind; v4: string | null } {
  const a = withoutZone(address);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  const v4 = mapped ? mapped[1]! : a.includes(':') ? null : a;
  if (v4 !== null) return { kind: v4 === '0.0.0.0' ? 'v4-any' : 'v4', v4 };
  return { kind: a === '::' || a === '0:0:0:0:0:0:0:0' ? 'v6-any' : 'v6', v4: null };
}

/** An IPv4-mapped IPv6 address ("::ffff:10.0.0.1", "::ffff:0.0.0.0"), zone and case aside. */
export function isV4Mapped(address: string): boolean {
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/.test(withoutZone(address));
}

/** Same address for binding purposes (IPv4-mapped equals its IPv4, case and zone ignored). */
export function sameAddress(a: string, b: string): boolean {
  const x = addressKind(a);
  const y = addressKind(b);
  if (x.v4 !== null || y.v4 !== null) return x.v4 === y.v4;
  return withoutZone(a) === withoutZone(b);
}

/**
 * A loopback address: 127.0.0.0/8 (RFC 1122 3.2.1.3; also IPv4-mapped) or
 * ::1 (RFC 4291 2.5.3), in any spelling, zone and case aside. Traffic to it
 * never leaves the host.
 */
export function isLoopback(address: string): boolean {
  const { v4 } = addressKind(address);
  if (v4 !== null) return /^127\.\d+\.\d+\.\d+$/.test(v4);
  const a = withoutZone(address);
  return a === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(a) || /^(0{1,4}:)+:0{0,3}1$/.test(a) || /^::(0{1,4}:)+0{0,3}1$/.test(a);
}
