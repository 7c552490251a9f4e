// What a bind-conflict rule works on (bind-conflict.ts enumerates the unknowns,
// bind-conflict-{linux,windows,bsd}.ts decide): an existing socket as far as a
// table shows it, the listen asked about, and every unknown resolved. Apart
// from the rules and the model so that neither imports the other.

import type { TcpState } from '../os/tcp-states.js';
import type { Endpoint } from '../os/sockets.js';

/** true/false where known, null where the source does not show it. */
export type Maybe = boolean | null;

export interface ExistingSocket {
  family: 'ipv4' | 'ipv6';
  local: Endpoint;
  remote: Endpoint;
  state: TcpState;
  reuseAddr: Maybe;
  reusePort: Maybe;
  v6Only: Maybe;
  exclusiveAddrUse: Maybe;
  /** Whether it belongs to the user who would listen. */
  sameUser: Maybe;
  /**
   * macOS/FreeBSD: whether the listen passes the kernel's check against
   * another user's socket, that is, runs as root or as this socket's user.
   */
  userMayShare: Maybe;
  /** Its owner's user name where the source shows it (lsof's and sockstat's USER); for messages. */
  user: string | null;
}

export interface ListenSpec {
  family: 'ipv4' | 'ipv6';
  address: string;
  reuseAddr: boolean;
  reusePort: boolean;
  v6Only: boolean;
  exclusiveAddrUse: boolean;
  /** In words, for messages: "a Node listen (SO_REUSEADDR, as libuv sets it on Unix)". */
  description: string;
}

/** Every unknown resolved to a value: what an OS rule sees. */
export interface Resolved {
  reuseAddr: boolean;
  reusePort: boolean;
  v6Only: boolean;
  exclusiveAddrUse: boolean;
  sameUser: boolean;
  /** macOS/FreeBSD only: the listen runs as root or as the existing socket's user. */
  userMayShare: boolean;
  /** Windows only: whether a TIME_WAIT connection still holds its local address (not documented). */
  timeWaitHolds: boolean;
  /** Windows only: whether a connection's implicit bind counts as a wildcard one (not documented). */
  connectionWildcard: boolean;
}

export interface RuleAnswer {
  conflict: boolean;
  /** Why, in words, citing the rule. */
  because: string;
}

export type OsRule = (e: ExistingSocket, r: Resolved, l: ListenSpec) => RuleAnswer;
