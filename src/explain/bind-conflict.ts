// Does an existing socket keep a new listen off its port? A pure model of each
// OS's bind-conflict rules (the Linux kernel's source, Microsoft's
// documentation, the BSD source), used to say *which* socket blocks a listen
// and why, and, from captured output, whether a listen would fail at all.
//
// The options of an existing socket (SO_REUSEADDR, SO_REUSEPORT,
// IPV6_V6ONLY, ...) are not in any socket table. What is not known is
// enumerated: when every value gives the same answer, the answer is definite;
// otherwise it "depends", and says on what. A real listen attempt then
// decides (probes/bind.ts), and the model never overrides it. The types and
// helpers the per-OS rules share live in bind-rule-types.ts, bind-address.ts
// and os/address-kind.ts, so the rules import nothing from here.

import type { OsName } from '../os/port-ranges.js';
import { addressKind, isV4Mapped } from '../os/address-kind.js';
import { isConnected } from './bind-address.js';
import type { ExistingSocket, ListenSpec, Maybe, OsRule, Resolved, RuleAnswer } from './bind-rule-types.js';
import { judgeFreebsd, judgeXnu } from './bind-conflict-bsd.js';
import { judgeLinux } from './bind-conflict-linux.js';
import { judgeWindows } from './bind-conflict-windows.js';

export interface BindJudgement {
  blocks: 'yes' | 'no' | 'depends';
  because: string;
  /** What decides it when it depends: facts about the existing socket not in the table. */
  dependsOn: string[];
}

const UNKNOWN_WORDS: Record<keyof Resolved, string> = {
  reuseAddr: 'whether the program that opened it set SO_REUSEADDR',
  reusePort: 'whether it set SO_REUSEPORT',
  v6Only: 'whether it is IPv6-only (IPV6_V6ONLY)',
  exclusiveAddrUse: 'whether it set SO_EXCLUSIVEADDRUSE',
  sameUser: 'whether it belongs to the same user',
  userMayShare: 'which user runs the server: as root, or as the user that owns this socket, it may bind beside it; as any other user, not',
  timeWaitHolds: 'whether Windows still counts a TIME_WAIT connection as holding its address (Microsoft does not document it)',
  connectionWildcard: "whether Windows counts a connection's implicit bind as a wildcard one (Microsoft does not document it)",
};

/**
 * Whether a socket bound to an IPv4-mapped address ("::ffff:127.0.0.1", "::ffff:0.0.0.0") is known
 * not to be IPv6-only, so that it meets IPv4 listens like an IPv4 socket on that address.
 * Linux: __inet6_bind refuses a mapped address on an IPV6_V6ONLY socket (EINVAL) and clears
 * ipv6only on the one it binds (net/ipv6/af_inet6.c; test/live/bind-conflict-linux.test.ts
 * has the kernel confirm both). Windows and BSD: their rules never read the existing socket's
 * IPV6_V6ONLY (a mapped address counts as IPv4 by its address there, bind-conflict-windows.ts
 * isV4, bind-conflict-bsd.ts sameFamily), and whether their stacks refuse a mapped bind on an
 * IPv6-only socket is not checked here (no such host), so it stays unknown for them.
 */
const MAPPED_NEVER_V6ONLY: Record<OsName, boolean> = { linux: true, win32: false, darwin: false, freebsd: false };

const RULES: Record<OsName, OsRule> = { linux: judgeLinux, win32: judgeWindows, darwin: judgeXnu, freebsd: judgeFreebsd };

/** Whether `existing` makes the listen `l` fail on `os`, or what that depends on. */
export function judgeBindConflict(os: OsName, existing: ExistingSocket, l: ListenSpec): BindJudgement {
  const rule = RULES[os];
  const known: Partial<Resolved> = {};
  const unknown: Array<keyof Resolved> = [];
  const given: Record<keyof Resolved, Maybe> = {
    reuseAddr: existing.reuseAddr,
    reusePort: existing.reusePort,
    v6Only: existing.family === 'ipv4' || (MAPPED_NEVER_V6ONLY[os] && isV4Mapped(existing.local.address)) ? false : existing.v6Only,
    exclusiveAddrUse: os === 'win32' ? existing.exclusiveAddrUse : false,
    sameUser: existing.sameUser,
    userMayShare: os === 'darwin' || os === 'freebsd' ? existing.userMayShare : true,
    timeWaitHolds: os === 'win32' && existing.state === 'TIME_WAIT' ? null : false,
    connectionWildcard: os === 'win32' && isConnected(existing) ? null : false,
  };
  for (const k of Object.keys(given) as Array<keyof Resolved>) {
    if (given[k] === null) unknown.push(k);
    else known[k] = given[k];
  }
  // Every combination of the unknowns, the "option set" values first, so a
  // definite answer is explained the way that holds even with the options on.
  const answers: Array<{ r: Resolved; a: RuleAnswer }> = [];
  for (let bits = 0; bits < 1 << unknown.length; bits++) {
    const r = { ...known } as Resolved;
    unknown.forEach((k, i) => (r[k] = (bits & (1 << i)) === 0));
    answers.push({ r, a: rule(existing, r, l) });
  }
  const first = answers[0]!.a;
  if (answers.every((x) => x.a.conflict === first.conflict)) return { blocks: first.conflict ? 'yes' : 'no', because: first.because, dependsOn: [] };
  const decisive = unknown.filter((k) => answers.some((x) => answers.some((y) => y.a.conflict !== x.a.conflict && onlyDiffersIn(x.r, y.r, k))));
  const blocking = answers.find((x) => x.a.conflict)!.a;
  return { blocks: 'depends', because: blocking.because, dependsOn: decisive.map((k) => unknownWords(k, existing)) };
}

/** The unknown in words, naming the socket's user where the table shows it. */
function unknownWords(k: keyof Resolved, e: ExistingSocket): string {
  if (k === 'userMayShare' && e.user !== null) return UNKNOWN_WORDS[k].replace('the user that owns this socket', `${e.user}, the user that owns this socket`);
  return UNKNOWN_WORDS[k];
}

function onlyDiffersIn(a: Resolved, b: Resolved, k: keyof Resolved): boolean {
  return (Object.keys(a) as Array<keyof Resolved>).every((x) => (x === k ? a[x] !== b[x] : a[x] === b[x]));
}

/**
 * How a Node server listens on each OS (OS-FACTS.md "Ports and binding"):
 * libuv sets SO_REUSEADDR before every bind on Unix and no option on
 * Windows; `listen(port)` on "::" is dual-stack (ipv6Only false), and Node
 * sets SO_REUSEPORT only when asked (reusePort, Node 22.12+ / 23.1+).
 */
export function nodeListenSpec(os: OsName, address: string, dualStack: boolean): ListenSpec {
  const family = address.includes(':') ? 'ipv6' : 'ipv4';
  const unix = os !== 'win32';
  return {
    family,
    address,
    reuseAddr: unix,
    reusePort: false,
    // tryListen asks for IPv6-only on a specific IPv6 address; an IPv4-mapped one cannot be IPv6-only.
    v6Only: family === 'ipv6' && !dualStack && addressKind(address).v4 === null,
    exclusiveAddrUse: false,
    description: unix ? 'a Node listen (SO_REUSEADDR, which libuv sets before every bind on Unix)' : 'a Node listen (no socket option: libuv on Windows sets neither SO_REUSEADDR nor SO_EXCLUSIVEADDRUSE)',
  };
}
