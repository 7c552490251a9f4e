// Windows' bind conflict, from Microsoft's table of what a second bind gets
// when a first socket holds the port ("Sharing Transport Addresses", Windows
// driver docs, learn.microsoft.com/windows-hardware/drivers/network/
// sharing-transport-addresses; the same rules as "Using SO_REUSEADDR and
// SO_EXCLUSIVEADDRUSE" for Winsock). Rows: the second bind's option and
// address (wildcard or specific); columns: the first socket's. INUSE is
// WSAEADDRINUSE, DENIED is WSAEACCES, CHECK is an access check of the second
// socket's user against the first socket's security descriptor (granted to
// the same user, by enhanced socket security). Two different specific
// addresses never share anything. Whether a connection's implicit bind (a
// connect() without bind()) counts as a wildcard or as its specific local
// address is not documented either way, nor whether a TIME_WAIT
// connection still holds its address: both are left open
// (Resolved.connectionWildcard, timeWaitHolds), and a live listen decides. Documented, not measured here (no Windows host).

import { addressKind, sameAddress } from '../os/address-kind.js';
import type { ExistingSocket, ListenSpec, Resolved, RuleAnswer } from './bind-rule-types.js';

type Outcome = 'SUCCESS' | 'INUSE' | 'DENIED' | 'CHECK';
type Option = 'default' | 'reuse' | 'exclusive';
type Scope = 'wildcard' | 'specific';

// TABLE[second option][second scope][first option][first scope]
const TABLE: Record<Option, Record<Scope, Record<Option, Record<Scope, Outcome>>>> = {
  default: {
    wildcard: { default: { wildcard: 'INUSE', specific: 'SUCCESS' }, reuse: { wildcard: 'INUSE', specific: 'SUCCESS' }, exclusive: { wildcard: 'INUSE', specific: 'SUCCESS' } },
    specific: { default: { wildcard: 'CHECK', specific: 'INUSE' }, reuse: { wildcard: 'CHECK', specific: 'DENIED' }, exclusive: { wildcard: 'DENIED', specific: 'INUSE' } },
  },
  reuse: {
    wildcard: { default: { wildcard: 'DENIED', specific: 'SUCCESS' }, reuse: { wildcard: 'SUCCESS', specific: 'SUCCESS' }, exclusive: { wildcard: 'DENIED', specific: 'SUCCESS' } },
    specific: { default: { wildcard: 'CHECK', specific: 'DENIED' }, reuse: { wildcard: 'SUCCESS', specific: 'SUCCESS' }, exclusive: { wildcard: 'DENIED', specific: 'DENIED' } },
  },
  exclusive: {
    wildcard: { default: { wildcard: 'INUSE', specific: 'INUSE' }, reuse: { wildcard: 'INUSE', specific: 'INUSE' }, exclusive: { wildcard: 'INUSE', specific: 'INUSE' } },
    specific: { default: { wildcard: 'CHECK', specific: 'INUSE' }, reuse: { wildcard: 'CHECK', specific: 'INUSE' }, exclusive: { wildcard: 'DENIED', specific: 'INUSE' } },
  },
};

const isV4 = (address: string, family: string) => family === 'ipv4' || addressKind(address).kind.startsWith('v4');

export function judgeWindows(e: ExistingSocket, r: Resolved, spec: ListenSpec): RuleAnswer {
  // A dual-stack "::" binds the IPv4 wildcard too.
  const dual = spec.family === 'ipv6' && !spec.v6Only && addressKind(spec.address).kind === 'v6-any';
  const l = dual && isV4(e.local.address, e.family) ? { ...spec, family: 'ipv4' as const, address: '0.0.0.0' } : spec;
  if (isV4(e.local.address, e.family) !== isV4(l.address, l.family)) return { conflict: false, because: 'it is bound in the other address family' };
  if (e.state === 'TIME_WAIT' && !r.timeWaitHolds) return { conflict: false, because: 'a TIME_WAIT connection holds no bound address any more' };
  const second: Scope = addressKind(l.address).kind.endsWith('any') ? 'wildcard' : 'specific';
  const first: Scope = addressKind(e.local.address).kind.endsWith('any') || r.connectionWildcard ? 'wildcard' : 'specific';
  if (second === 'specific' && first === 'specific' && !sameAddress(l.address, e.local.address)) {
    return { conflict: false, because: 'it is bound to another specific address' };
  }
  const option = (x: { exclusiveAddrUse: boolean; reuseAddr: boolean }): Option => (x.exclusiveAddrUse ? 'exclusive' : x.reuseAddr ? 'reuse' : 'default');
  const outcome = TABLE[option(l)][second][option(r)][first];
  const where = `a ${second} bind over a ${first} one held ${option(r) === 'default' ? 'without options' : `with ${option(r) === 'reuse' ? 'SO_REUSEADDR' : 'SO_EXCLUSIVEADDRUSE'}`}`;
  switch (outcome) {
    case 'SUCCESS':
      return { conflict: false, because: `Windows lets ${where} succeed` };
    case 'INUSE':
      return { conflict: true, because: `Windows refuses ${where} (WSAEADDRINUSE)` };
    case 'DENIED':
      return { conflict: true, because: `Windows refuses ${where} (WSAEACCES)` };
    case 'CHECK':
      return r.sameUser ? { conflict: false, because: `Windows lets ${where} succeed for the same user` } : { conflict: true, because: `Windows refuses ${where} to another user (WSAEACCES)` };
  }
}
