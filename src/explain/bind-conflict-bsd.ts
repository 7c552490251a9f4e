// FreeBSD's and macOS's bind conflict (macOS's stack derives from the BSD
// one), as FreeBSD's sys/netinet/in_pcb.c decides it in in_pcbbind and
// in_pcblookup (setsockopt(2): SO_REUSEADDR "allow[s] reuse of local
// addresses", SO_REUSEPORT "allows completely duplicate bindings by multiple
// processes if they all set SO_REUSEPORT before binding the port"):
//  - without SO_REUSEADDR and SO_REUSEPORT, the lookup is a wildcard one: any
//    socket on the port whose local address equals or is covered by a
//    wildcard on either side is found, connections (TIME_WAIT included) too;
//  - with either option, only an exact match counts, and a connection never
//    matches exactly (its foreign address makes it a wildcard match);
//  - what is found blocks unless both set SO_REUSEPORT.
// An IPv4 wildcard and a dual-stack IPv6 wildcard coexist (in_pcbbind lets
// INADDR_ANY through when the other socket is an IPv6 one). Not modelled:
// FreeBSD's refusal to bind over another user's socket on a wildcard, and
// SO_REUSEPORT_LB. Documented, not measured here (no BSD host).

import { addressKind, isConnected, sameAddress } from './bind-address.js';
import type { ExistingSocket, ListenSpec, Resolved, RuleAnswer } from './bind-rule-types.js';

export function judgeBsd(e: ExistingSocket, r: Resolved, l: ListenSpec): RuleAnswer {
  const wildLookup = !l.reuseAddr && !l.reusePort;
  const exact = sameAddress(l.address, e.local.address) && sameFamily(e, l);
  const x = addressKind(l.address).kind;
  const y = addressKind(e.local.address).kind;
  // A dual-stack "::" also binds the IPv4 side (in6_pcbbind looks it up too), except against 0.0.0.0.
  const dualOverV4 = x === 'v6-any' && !l.v6Only && !sameFamily(e, l) && y !== 'v4-any';
  const covered = !exact && ((sameFamily(e, l) && (x === 'v4-any' || x === 'v6-any' || y === 'v4-any' || y === 'v6-any')) || dualOverV4);
  if (isConnected(e) && !wildLookup) {
    return { conflict: false, because: 'it is a connection, and a bind with SO_REUSEADDR only meets sockets without a peer (in_pcblookup)' };
  }
  if (!exact && !(covered && wildLookup)) return { conflict: false, because: 'it is bound to another address' + (covered ? ', and with SO_REUSEADDR a wildcard and a specific address coexist' : '') };
  if (l.reusePort && r.reusePort) return { conflict: false, because: 'both sockets set SO_REUSEPORT' };
  return {
    conflict: true,
    because: wildLookup ? 'the listen sets neither SO_REUSEADDR nor SO_REUSEPORT, so any socket on this address or a wildcard holds it' : 'it is bound to the same address without a peer, and only SO_REUSEPORT on both would let them share it',
  };
}

/** BSD keeps IPv4 and IPv6 bindings apart except through IPv4-mapped addresses. */
function sameFamily(e: ExistingSocket, l: ListenSpec): boolean {
  const v4 = (a: string, f: string) => f === 'ipv4' || addressKind(a).kind === 'v4' || addressKind(a).kind === 'v4-any';
  return v4(e.local.address, e.family) === v4(l.address, l.family);
}
