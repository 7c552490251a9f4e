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
// SO_REUSEPORT_LB. Documented, not measured here (no BSD host).
//
// Then the check against another user's socket (otherUserCheck below): a
// process that is not root may not bind a port a socket of another user
// holds on the address asked or a wildcard, whatever its options.

import { addressKind, sameAddress } from '../os/address-kind.js';
import { isConnected } from './bind-address.js';
import type { ExistingSocket, ListenSpec, OsRule, Resolved, RuleAnswer } from './bind-rule-types.js';

/** The two kernels differ in the check against another user's socket (otherUserCheck). */
type Kernel = 'xnu' | 'freebsd';

export const judgeXnu: OsRule = (e, r, l) => judgeBsd(e, r, l, 'xnu');
export const judgeFreebsd: OsRule = (e, r, l) => judgeBsd(e, r, l, 'freebsd');

function judgeBsd(e: ExistingSocket, r: Resolved, l: ListenSpec, kernel: Kernel): RuleAnswer {
  const shared = judgeShared(e, r, l);
  if (shared.conflict) return shared;
  return otherUserCheck(e, r, l, kernel) ?? shared;
}

function judgeShared(e: ExistingSocket, r: Resolved, l: ListenSpec): RuleAnswer {
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

/**
 * The bind of a process that is not root, next to a socket of another user
 * (the check sits in front of the one judgeShared models):
 *  - XNU, in_pcbbind (bsd/netinet/in_pcb.c) and in6_pcbbind
 *    (bsd/netinet6/in6_pcb.c), read at apple-oss-distributions/xnu e3723e1:
 *    when kauth_cred_getuid(so_cred) != 0, the socket in_pcblookup_local
 *    finds with INPLOOKUP_WILDCARD (same address, or a wildcard on either side;
 *    connections too, their peer only counts as one more wildcard) makes the
 *    bind fail with EADDRINUSE when its uid differs and it lacks the private
 *    SOF_REUSESHAREUID flag, except: IPv4, both on INADDR_ANY; IPv6, both on
 *    "::" and the other set SO_REUSEPORT. A dual-stack "::" bind also looks
 *    up INADDR_ANY among the IPv4 sockets: one found blocks unless it set
 *    SO_REUSEPORT, or is an IPv4 (PF_INET) socket on INADDR_ANY itself.
 *  - FreeBSD, in_pcbbind_avail (sys/netinet/in_pcb.c) and in6_pcbbind_avail
 *    (sys/netinet6/in6_pcb.c), main of 2025: without PRIV_NETINET_REUSEPORT
 *    (root has it), the socket the same wildcard lookup finds blocks when its
 *    cr_uid differs and it has no peer ("we can share a port with a connected
 *    socket which has a unique 4-tuple"), wildcards and SO_REUSEPORT
 *    notwithstanding; a dual-stack "::" also looks up INADDR_ANY the same way.
 * The kernel checks only the one socket the lookup returns (the best match);
 * each socket is judged here as if it were that one. Null: no such conflict.
 */
function otherUserCheck(e: ExistingSocket, r: Resolved, l: ListenSpec, kernel: Kernel): RuleAnswer | null {
  if (r.userMayShare) return null;
  if (kernel === 'freebsd' && isConnected(e)) return null;
  const x = addressKind(l.address).kind;
  const y = addressKind(e.local.address).kind;
  const lV4 = isV4Side(l.address, l.family);
  const eV4 = isV4Side(e.local.address, e.family);
  const eDual = y === 'v6-any' && !r.v6Only; // an IPv6 "::" that also takes IPv4 is found by IPv4 lookups, as INADDR_ANY
  const eV4Any = y === 'v4-any' || eDual;
  const same = sameAddress(l.address, e.local.address);
  const because = `it belongs to ${e.user === null ? 'a user the capture does not name' : `the user ${e.user}`}, and a process that is not root, nor that user, may not bind a port another user's socket holds on the same address or a wildcard (${kernel === 'xnu' ? 'in_pcbbind/in6_pcbbind, XNU bsd/netinet/in_pcb.c' : 'in_pcbbind_avail, FreeBSD sys/netinet/in_pcb.c'})`;
  const conflict = { conflict: true, because };
  if (lV4) {
    // in_pcbbind: the IPv4 lookup finds IPv4 sockets and dual-stack "::" ones.
    if (!(eV4 || eDual) || !(x === 'v4-any' || eV4Any || same)) return null;
    return kernel === 'xnu' && x === 'v4-any' && eV4Any ? null : conflict;
  }
  // in6_pcbbind: the IPv6 lookup finds IPv6 sockets on the address or "::", or any with "::" asked.
  if (!eV4 && (x === 'v6-any' || y === 'v6-any' || same)) {
    if (!(kernel === 'xnu' && x === 'v6-any' && y === 'v6-any' && r.reusePort)) return conflict;
  }
  // A dual-stack "::" also looks up INADDR_ANY: every IPv4 socket on the port, and dual-stack ones.
  if (x === 'v6-any' && !l.v6Only && (eV4 || eDual)) {
    if (kernel === 'freebsd') return conflict;
    const pfInet = e.family === 'ipv4' && !eDual;
    if (!r.reusePort && !(y === 'v4-any' && pfInet)) return conflict;
  }
  return null;
}

/** An IPv4 socket, or one on an IPv4-mapped address: what BSD's IPv4 lookups find by its address. */
function isV4Side(address: string, family: 'ipv4' | 'ipv6'): boolean {
  const k = addressKind(address).kind;
  return family === 'ipv4' || k === 'v4' || k === 'v4-any';
}

/** BSD keeps IPv4 and IPv6 bindings apart except through IPv4-mapped addresses. */
function sameFamily(e: ExistingSocket, l: ListenSpec): boolean {
  const v4 = (a: string, f: string) => f === 'ipv4' || addressKind(a).kind === 'v4' || addressKind(a).kind === 'v4-any';
  return v4(e.local.address, e.family) === v4(l.address, l.family);
}
