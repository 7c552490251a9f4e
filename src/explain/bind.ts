// What `tcpdiag bind` says about a port: why a listen failed or is at risk,
// from the real attempts, the holders and the port ranges, with the remedy
// for the OS the data came from.

import type { BindSemantics } from '../os/backend.js';
import { allocatorWords, type EphemeralRange, type OsName, type PortRanges, type ReservedRange } from '../os/port-ranges.js';
import { privilegedPortRemedy, privilegedPortWords, releaseExcludedPortRemedy, reserveInUseWords, reservePortsRemedy } from '../os/remedies.js';
import type { ListenAttempt } from '../net/try-listen.js';
import type { Finding } from '../report/types.js';
import { formatEndpoint } from '../sockets/address.js';
import { explainHolders, type HolderFindings } from './bind-holder-findings.js';
import type { Holder } from './bind-holders.js';
import { plural } from '../text/words.js';
import { reservedList } from './port-ranges.js';

export interface BindFacts {
  port: number;
  os: OsName | null;
  /** Empty when answering from captured output. */
  attempts: ListenAttempt[];
  holders: Holder[];
  ranges: PortRanges;
  ephemeralRange: EphemeralRange | null;
  reservedRange: ReservedRange | null;
  privileged: { below: number; asRoot: boolean } | null;
  semantics: BindSemantics | null;
  /** Whether one socket can be closed on request (Linux ss -K); null when unknown. */
  canClose: boolean | null;
  /** False when --from held no socket table that could be read: no holders then means "not looked at". */
  holdersKnown: boolean;
}

/** Why a port cannot be bound, in a few words, per finding code (for summaries). */
export const BLOCKING_REASON: Record<string, string> = {
  'port-in-use': 'a listener holds it',
  'port-in-use-unseen': 'held by a socket not visible here',
  'port-held-by-client-socket': 'a client socket holds it',
  'port-held': 'a socket holds it',
  'port-time-wait': 'a TIME_WAIT connection holds it',
  'port-excluded': 'inside an excluded range',
  'port-privileged': 'privileged',
  'address-not-available': 'address not on this host',
  'bind-refused': 'refused by a security policy',
};

export function explainBind(f: BindFacts): { findings: Finding[]; notJudged: string[] } {
  const reserveFirst = reserveIfNeeded(f);
  const held = explainHolders({ port: f.port, os: f.os, holders: f.holders, reserveFirst, canClose: f.canClose, live: f.attempts.length > 0, ephemeral: f.ephemeralRange });
  const findings = [...explainAttempts(f), ...held.findings, ...explainRanges(f, held.reservationAt)];
  return { findings, notJudged: [...held.notJudged, ...unexplained(f)] };
}

function explainAttempts(f: BindFacts): Finding[] {
  const failed = f.attempts.filter((a) => !a.ok);
  const out: Finding[] = [];
  for (const a of failed) {
    const where = formatEndpoint({ address: a.address, port: f.port });
    if (a.errorCode === 'EADDRINUSE' && !f.holders.some((h) => h.blocks !== 'no')) {
      // Never "another network namespace": bind tables are per namespace
      // (inet_bind_bucket_match compares the netns), so a socket elsewhere
      // cannot hold this port here.
      out.push({
        code: 'port-in-use-unseen',
        severity: 'error',
        message:
          `listening on ${where} failed with EADDRINUSE, but none of the ${plural(f.holders.length, 'socket')} seen on port ${f.port} explains it: ` +
          'the holder may be a socket that is bound but neither listens nor connects (socket tables list those only on Linux 6.9+ with ss -B), or one that closed between the listen and the table read',
        remedy: f.os === 'linux' ? [`ss -tanp '( sport = :${f.port} )'`] : [],
      });
    } else if (a.errorCode === 'EACCES' && !f.privileged?.asRoot && f.privileged && f.port < f.privileged.below) {
      continue; // explained by port-privileged below
    } else if (a.errorCode === 'EACCES' && f.reservedRange?.blocksBind) {
      continue; // explained by port-excluded below
    } else if (a.errorCode === 'EACCES') {
      out.push({ code: 'bind-refused', severity: 'error', message: `listening on ${where} failed with EACCES although the port is not privileged here: a security policy (SELinux, AppArmor, a seccomp or container profile) refuses it`, remedy: [] });
    } else if (a.errorCode === 'EADDRNOTAVAIL') {
      out.push({ code: 'address-not-available', severity: 'error', message: `${a.address} is not an address of this host (EADDRNOTAVAIL): a server can only listen on its own addresses or a wildcard`, remedy: [] });
    } else if (a.errorCode === 'EAFNOSUPPORT') {
      // Not a failure of the port: a Node server's listen(port) falls back to 0.0.0.0 then.
      out.push({ code: 'address-family-unsupported', severity: 'info', message: `listening on ${where} failed with EAFNOSUPPORT: IPv6 is disabled on this host (a Node server's listen(port) then falls back to 0.0.0.0)`, remedy: [] });
    } else if (a.errorCode !== 'EADDRINUSE') {
      out.push({ code: 'bind-failed', severity: 'error', message: `listening on ${where} failed with ${a.errorCode}`, remedy: [] });
    }
  }
  return out;
}

function unexplained(f: BindFacts): string[] {
  return f.attempts
    .filter((a) => a.errorCode === 'EADDRINUSE' && !f.holders.some((h) => h.blocks !== 'no'))
    .map((a) => `who holds port ${f.port} on ${a.address}: the listen failed with EADDRINUSE, and no socket visible here can hold it`);
}

function explainRanges(f: BindFacts, reservationAt: HolderFindings['reservationAt']): Finding[] {
  const out: Finding[] = [];
  const r = f.reservedRange;
  if (r?.blocksBind) {
    out.push({
      code: 'port-excluded',
      severity: 'error',
      message:
        `port ${f.port} lies in the excluded range ${r.start}-${r.end} that a service (Hyper-V, WinNAT, WSL, Docker) reserved: binding it fails with EACCES ("An attempt was made to access a socket in a way forbidden by its access permissions")${excludedAndHeld(f)}. ` +
        'The narrow fix is a port outside every excluded range (the first line lists them); moving the range costs more: net stop winnat stops NAT for WSL, Docker and Hyper-V until net start winnat (the last line) runs. Run it in an elevated prompt',
      remedy: ['netsh int ipv4 show excludedportrange protocol=tcp', ...releaseExcludedPortRemedy([f.port])],
    });
  } else if (r) {
    out.push({
      code: 'port-reserved',
      severity: 'info',
      message: `port ${f.port} is reserved (${r.start}-${r.end}, ${r.source}): the OS never hands it out as an ephemeral port, so no client socket can take it while your server is down`,
      remedy: [],
    });
  } else if (f.ephemeralRange?.allocator === 'default') {
    const e = f.ephemeralRange;
    const inUse = reserveInUseWords(f.os, f.holders.length);
    out.push({
      code: 'port-in-ephemeral-range',
      severity: 'warning',
      message:
        `port ${f.port} lies inside ${allocatorWords(e)} ${e.start}-${e.end}: even when it is free now, while your server is not listening any outgoing connection may take it as its source port, and the next start fails with EADDRINUSE; reserve it, or pick a port outside the range` +
        (reservationAt === 'first' ? ' (the reservation is the first line of the fix above)' : reservationAt === 'last' ? ` (the reservation ends the fix above, after the port is freed${inUse ? `: ${inUse}` : ''})` : '') +
        (!reservationAt && inUse ? `; ${inUse}, so run the lines below once ${theSockets(f.holders.length)} on port ${f.port} (above) ${f.holders.length === 1 ? 'is' : 'are'} gone` : ''),
      remedy: reservationAt ? [] : reserveIfNeeded(f),
    });
  } else if (f.ephemeralRange) {
    // A macOS/FreeBSD IP_PORTRANGE_HIGH or _LOW range: only sockets that ask for it take its ports.
    const e = f.ephemeralRange;
    out.push({
      code: 'port-in-ephemeral-range',
      severity: 'info',
      message: `port ${f.port} lies inside ${allocatorWords(e)}, ${e.start}-${e.end}: only a client socket that sets that option can take it as its source port while your server is down; ordinary clients draw from the default range (net.inet.ip.portrange.first/last)`,
      remedy: [],
    });
  }
  const p = f.privileged;
  const words = privilegedPortWords(f.os);
  if (p && f.port < p.below && f.attempts.length === 0) {
    // From captured output: which user runs the server is not in any capture, and root or the
    // capability binds the port, so the rule is said, not judged a problem (a user trial: exit 1
    // for port 80 from an lsof paste). The live answer words it alike when tcpdiag ran as root.
    out.push({
      code: 'port-privileged',
      severity: 'info',
      message: `port ${f.port} is below ${p.below}: a server that runs as an unprivileged user gets EACCES on it; one that ${words.mayListen} listens on it` + (words.narrowestFirst ? `. If yours runs unprivileged, narrowest first: ${words.narrowestFirst}` : ''),
      remedy: privilegedPortRemedy(f.os, f.port),
    });
  } else if (p && f.port < p.below && !p.asRoot) {
    const failed = f.attempts.some((a) => a.errorCode === 'EACCES');
    out.push({
      code: 'port-privileged',
      severity: failed ? 'error' : 'warning',
      message:
        `port ${f.port} is below ${p.below}: only a server that ${words.mayListen} may listen on it; others get EACCES` +
        (words.narrowestFirst ? `. Narrowest first: ${words.narrowestFirst}` : ''),
      remedy: privilegedPortRemedy(f.os, f.port),
    });
  } else if (p && f.port < p.below && p.asRoot) {
    // A user trial: "OK" as root for port 80 said nothing of the server, which seldom runs as root.
    out.push({
      code: 'port-privileged',
      severity: 'info',
      message: `port ${f.port} is below ${p.below}: tcpdiag ran as root, so its listen says nothing of a server that runs as another user; that one ${words.otherUser}`,
      remedy: privilegedPortRemedy(f.os, f.port),
    });
  }
  return out;
}

/** "the socket", "the 2 sockets". */
function theSockets(n: number): string {
  return n === 1 ? 'the socket' : `the ${plural(n, 'socket')}`;
}

/**
 * What the socket table says beside the exclusion, from the evidence: "netstat
 * shows nothing" only when a table was read and holds no socket on the port (a
 * user trial: said over a table that showed pid 364 on it). Any socket on the
 * port, blocking or not, makes netsh refuse the exclusion the fix adds.
 */
function excludedAndHeld(f: BindFacts): string {
  const held = f.holders.filter((h) => h.blocks !== 'no');
  const n = f.holders.length;
  const gone = held.length < n && held.length > 0 ? `all ${n} sockets on it are` : n === 1 ? 'it is' : 'they are';
  const inUse = reserveInUseWords(f.os, n);
  const wait = inUse ? `; ${inUse}, so the netsh lines below succeed only once ${gone} gone` : '';
  if (held.length > 0) return `, and would go on failing after ${theSockets(held.length)} on it (above) ${held.length === 1 ? 'is' : 'are'} gone: an exclusion is not a socket, and netstat does not list it${wait}`;
  if (n > 0) return ` even though ${theSockets(n)} on it (above) ${n === 1 ? 'does' : 'do'} not keep a listen off: an exclusion is not a socket, and netstat does not list it${wait}`;
  return f.holdersKnown ? ' although netstat shows nothing on it' : ' even with no socket on it: an exclusion is not a socket, and netstat does not list it';
}

function reserveIfNeeded(f: BindFacts): string[] {
  if (f.ephemeralRange?.allocator !== 'default' || f.reservedRange) return [];
  return reservePortsRemedy(f.os, [f.port], reservedList(f.ranges));
}
