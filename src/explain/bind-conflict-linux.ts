// Linux's bind conflict, as net/ipv4/inet_connection_sock.c decides it for an
// explicit bind() or listen() (inet_csk_get_port calls inet_csk_bind_conflict
// with relax=true, reuseport_ok=true; listen() runs the same check again).
// Checked against real listens by test/live/bind-conflict-linux.test.ts.
//
// Which sockets are compared (Linux 6.1+, the bhash2 table):
//  - a listen on a specific address meets the sockets bound to that same
//    address (inet_bhash2_conflict) and those bound to a wildcard
//    (inet_bhash2_addr_any_conflict: "::" for any new socket, "0.0.0.0" only
//    for IPv4 or IPv4-mapped ones); __inet_bhash2_conflict skips IPv6-only
//    sockets for IPv4 and IPv4-mapped listens;
//  - a listen on a wildcard meets every socket on the port, matched by
//    inet_rcv_saddr_equal(match_wildcard=true): ipv4_rcv_saddr_equal for an
//    IPv4 socket (0.0.0.0 meets IPv4 and IPv4-mapped sockets and a "::" that
//    is not IPv6-only; measured on 6.18: not an IPv6 socket on a specific
//    address, whatever its IPV6_V6ONLY), ipv6_rcv_saddr_equal for IPv6.
// Then inet_bind_conflict: no conflict when both set SO_REUSEADDR and the
// existing socket does not listen, or both set SO_REUSEPORT and the existing
// one is in TIME_WAIT or belongs to the same user. TIME_WAIT sockets keep
// their socket's SO_REUSEADDR/SO_REUSEPORT (tw_reuse, tw_reuseport) and, since
// Linux 6.8, sit in the same owner lists. An accepted socket inherits its
// listener's options; a connect() without bind() sets none.
// SO_BINDTODEVICE is left out: a Node listen never binds to a device, and a
// socket without a device meets every other (sk_bound_dev_if 0).

import { addressKind, sameAddress } from '../os/address-kind.js';
import type { ExistingSocket, ListenSpec, Resolved, RuleAnswer } from './bind-rule-types.js';

export function judgeLinux(e: ExistingSocket, r: Resolved, l: ListenSpec): RuleAnswer {
  if (!overlaps(e, r.v6Only, l)) return { conflict: false, because: 'it is bound to another address, which this listen does not cover (inet_rcv_saddr_equal)' };
  if (l.reuseAddr && r.reuseAddr && e.state !== 'LISTEN') {
    return { conflict: false, because: 'both sockets set SO_REUSEADDR and the existing one does not listen (inet_bind_conflict)' };
  }
  if (l.reusePort && r.reusePort && (e.state === 'TIME_WAIT' || r.sameUser)) {
    return { conflict: false, because: 'both sockets set SO_REUSEPORT' + (e.state === 'TIME_WAIT' ? '' : ' and belong to the same user') + ' (inet_bind_conflict)' };
  }
  return { conflict: true, because: whyConflict(e, r, l) };
}

function whyConflict(e: ExistingSocket, r: Resolved, l: ListenSpec): string {
  if (e.state === 'LISTEN') {
    const where = listensWhere(e, l);
    return l.reusePort && !r.reusePort ? `${where}, and only one of the two set SO_REUSEPORT` : `${where} (SO_REUSEADDR never lets a second socket share a listening one)`;
  }
  const what = e.state === 'TIME_WAIT' ? 'the TIME_WAIT socket' : 'it';
  if (!l.reuseAddr) return `the listen does not set SO_REUSEADDR, so ${what} holds the address`;
  return `${what} did not set SO_REUSEADDR, and the kernel lets a socket share the address only when both did (inet_bind_conflict)`;
}

/**
 * Where the listener sits relative to the listen, in words that are true of
 * the two addresses (a user trial: "the same address" said of 127.0.0.53
 * against a listen on "::").
 */
function listensWhere(e: ExistingSocket, l: ListenSpec): string {
  if (sameAddress(l.address, e.local.address)) return 'it listens on the same address';
  const x = addressKind(l.address).kind;
  if (x === 'v4-any' || x === 'v6-any') {
    const dual = x === 'v6-any' && !l.v6Only && addressKind(e.local.address).v4 !== null;
    return `it listens on ${e.local.address}, which the ${dual ? 'dual-stack ' : ''}wildcard listen on ${l.address} covers`;
  }
  return `it listens on the wildcard ${e.local.address}, which covers ${l.address}`;
}

/** inet_rcv_saddr_equal with match_wildcard, restricted as the bhash2 lookups are (see the header). */
function overlaps(e: ExistingSocket, eV6Only: boolean, l: ListenSpec): boolean {
  const x = addressKind(l.address);
  const y = addressKind(e.local.address).kind;
  const lIpv4Like = l.family === 'ipv4' || x.kind === 'v4' || x.kind === 'v4-any';
  if (x.kind === 'v4' || x.kind === 'v6') {
    // Specific: the same address, or an existing wildcard.
    if (sameAddress(l.address, e.local.address)) return !(lIpv4Like && eV6Only);
    if (y === 'v6-any') return !(lIpv4Like && eV6Only);
    if (y === 'v4-any') return lIpv4Like;
    return false;
  }
  if (l.family === 'ipv4') return y !== 'v6' && !eV6Only; // 0.0.0.0 on an IPv4 socket
  if (x.kind === 'v4-any') {
    // ::ffff:0.0.0.0 on an IPv6 socket: IPv4 and IPv4-mapped sockets, and a dual-stack "::".
    return (y === 'v4' || y === 'v4-any' || y === 'v6-any') && !eV6Only;
  }
  // "::": every IPv6 socket; IPv4 and IPv4-mapped ones unless the listen is IPv6-only.
  return y === 'v6' || y === 'v6-any' || !l.v6Only;
}
