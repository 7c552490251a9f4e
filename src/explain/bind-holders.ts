// Who holds a port, in what role, and whether each holder keeps a Node
// listen off it. A connection is its 4-tuple: a listener's accepted sockets
// share its port; a client socket has its own local port, usually handed out
// from the ephemeral range. Whether a holder blocks is the bind-conflict
// model's answer (bind-conflict.ts), overruled by what real listens showed:
// a listen that succeeded was blocked by nobody; one that failed with
// EADDRINUSE was blocked by a holder the model says blocks, or, when the
// model only says "depends", by the one such holder left.

import type { TimeWaitTimer } from '../os/backend.js';
import type { ListenAttempt } from '../net/try-listen.js';
import type { EphemeralRange, OsName } from '../os/port-ranges.js';
import type { SocketRow } from '../os/sockets.js';
import { isWildcard, unmapV4 } from '../sockets/address.js';
import { addressKind } from '../os/address-kind.js';
import { judgeBindConflict, nodeListenSpec, type BindJudgement } from './bind-conflict.js';
import type { ExistingSocket } from './bind-rule-types.js';

export type HolderRole = 'listener' | 'accepted' | 'client' | 'time-wait' | 'other';

export type Holder = SocketRow & {
  role: HolderRole;
  /** Every process holding the socket (several after fork or socket passing); empty when none is known. */
  owners: Array<{ pid: number; process: string | null }>;
  /** TIME_WAIT only: how long it still holds the port; null otherwise or when unknown. */
  timeWaitRemainingMs: number | null;
  /** Whether it keeps a Node listen on the addresses asked about off the port. */
  blocks: BindJudgement['blocks'];
  because: string;
  dependsOn: string[];
};

/** An address asked about: what a Node server would listen on. */
export interface AskedAddress {
  address: string;
  dualStack: boolean;
}

export interface HolderFacts {
  os: OsName | null;
  asked: AskedAddress[];
  /** Empty with --from. */
  attempts: ListenAttempt[];
  ephemeral: EphemeralRange | null;
  timers: TimeWaitTimer[] | null;
  /** Live only: who runs tcpdiag (and, presumably, the server); null with --from, where that is not known. */
  uid: number | null;
  user: string | null;
}

/** `rows` are the sockets whose local port is the port asked about. */
export function findHolders(rows: readonly SocketRow[], f: HolderFacts): Holder[] {
  const listeners = rows.filter((r) => r.state === 'LISTEN');
  const holders = rows.map((r): Holder => {
    const owners = r.pid === null ? [] : [{ pid: r.pid, process: r.process }, ...(r.otherOwners ?? [])];
    const timer = r.state === 'TIME_WAIT' ? f.timers?.find((t) => sameEndpoint(t.local, r.local) && sameEndpoint(t.remote, r.remote)) : undefined;
    return { ...r, role: roleOf(r, listeners, f.ephemeral), owners, timeWaitRemainingMs: timer?.remainingMs ?? null, ...judgeAgainstAttempts(r, f) };
  });
  eliminate(holders, f);
  return holders;
}

function sameEndpoint(a: { address: string; port: number }, b: { address: string; port: number }): boolean {
  return a.port === b.port && unmapV4(a.address) === unmapV4(b.address);
}

function existing(r: SocketRow, f: Pick<HolderFacts, 'uid' | 'user'>): ExistingSocket {
  // TIME_WAIT sockets report no owner (uid 0 in sock_diag): their user is unknown, and Linux does not need it for them.
  const owned = r.state !== 'TIME_WAIT';
  const sameUser = owned && r.uid !== undefined && f.uid !== null ? r.uid === f.uid : owned && r.user !== undefined && f.user !== null ? r.user === f.user : null;
  // macOS/FreeBSD: root binds beside anyone's socket; with --from, who will run the server is never known.
  const userMayShare = f.uid === 0 ? true : sameUser;
  return { family: r.family, local: r.local, remote: r.remote, state: r.state, reuseAddr: null, reusePort: null, v6Only: r.family === 'ipv4' ? false : null, exclusiveAddrUse: null, sameUser, userMayShare, user: r.user ?? null };
}

/** The model's answer per address asked, then what a real listen there showed. */
function judgeAgainstAttempts(r: SocketRow, f: HolderFacts): Pick<Holder, 'blocks' | 'because' | 'dependsOn'> {
  if (f.os === null) return { blocks: 'depends', because: 'the OS the capture came from is not known, and its rules decide', dependsOn: ['the OS the capture came from'] };
  const e = existing(r, f);
  const per = f.asked.map((a) => {
    const j = judgeBindConflict(f.os!, e, nodeListenSpec(f.os!, a.address, a.dualStack));
    const attempt = f.attempts.find((x) => x.address === a.address);
    // A listen that went through proves no socket blocks it there.
    if (attempt?.ok) return { ...j, blocks: 'no' as const, because: j.blocks === 'no' ? j.because : `a listen on ${a.address} succeeded`, dependsOn: [] };
    // A host name ("localhost", netstat without -n) or an address cut by the column width is not
    // the address it stands for: against a specific address asked about, "no conflict" is not known.
    if (j.blocks === 'no' && !isWildcard(a.address) && (r.local.addressIsName || r.local.addressCut)) {
      const what = `which address "${r.local.address}"${r.local.addressCut ? ' (cut short by the column width)' : ''} stands for`;
      return { blocks: 'depends' as const, because: `its local address is printed as ${r.local.addressCut ? 'a cut' : 'a host'} name, so whether it is ${a.address} is not known`, dependsOn: [what] };
    }
    return j;
  });
  // When no address is blocked, the reason given is the one for an address of the holder's own family: the
  // first asked (0.0.0.0) once explained an [::1] listener by "the other address family" while "::" covers it.
  const v6 = (address: string) => addressKind(address).v4 === null; // IPv4-mapped counts as IPv4
  const ownFamily = per.find((_, i) => v6(f.asked[i]!.address) === v6(r.local.address));
  return per.find((j) => j.blocks === 'yes') ?? per.find((j) => j.blocks === 'depends') ?? ownFamily ?? per[0] ?? { blocks: 'no', because: 'no address was asked about', dependsOn: [] };
}

/**
 * A listen that failed with EADDRINUSE, with no holder the model says blocks
 * it: when exactly one holder could block it (its answer depends on an option
 * the table does not show), that holder is the one, and its option is known.
 */
function eliminate(holders: Holder[], f: HolderFacts): void {
  if (f.os === null) return;
  for (const a of f.attempts.filter((x) => !x.ok && x.errorCode === 'EADDRINUSE')) {
    const spec = nodeListenSpec(f.os, a.address, a.dualStack);
    const verdicts = holders.map((h) => ({ h, j: judgeBindConflict(f.os!, existing(h, f), spec) }));
    if (verdicts.some((v) => v.j.blocks === 'yes')) continue;
    const candidates = verdicts.filter((v) => v.j.blocks === 'depends');
    if (candidates.length !== 1) continue;
    const { h, j } = candidates[0]!;
    h.blocks = 'yes';
    h.because = `${j.because}: the listen on ${a.address} failed with EADDRINUSE and no other socket here can hold it`;
    h.dependsOn = [];
  }
}

function roleOf(r: SocketRow, listeners: SocketRow[], eph: EphemeralRange | null): HolderRole {
  if (r.state === 'LISTEN') return 'listener';
  if (r.state === 'TIME_WAIT') return 'time-wait';
  if (r.remote.port === 0) return 'other'; // bound, not connected
  // Accepted by a listener on its address or a wildcard; anything else with
  // this local port is a client (or a leftover) in its own right.
  if (listeners.some((l) => (isWildcard(l.local.address) ? sameFamilyOrDual(l.local.address, r.local.address) : unmapV4(l.local.address) === unmapV4(r.local.address)))) return 'accepted';
  // No listener: a connected socket on an ephemeral port is a client that got
  // the port from the allocator. Outside the range it may be an explicitly
  // bound client or a leftover of a stopped server: we cannot tell.
  return eph && r.local.port >= eph.start && r.local.port <= eph.end ? 'client' : 'other';
}

/** A wildcard listener accepts on every address of its family; "::" (dual-stack) on IPv4 ones too, and "*" (family not printed) on either. */
function sameFamilyOrDual(wildcard: string, address: string): boolean {
  return wildcard === '::' || wildcard === '*' || !unmapV4(address).includes(':');
}
