// What `tcpdiag bind` says about a port: why a listen failed or is at risk,
// from the real attempts, the holders and the port ranges, with the remedy
// for the OS the data came from.

import type { BindSemantics } from '../os/backend.js';
import type { EphemeralRange, OsName, PortRanges, ReservedRange } from '../os/port-ranges.js';
import { killProcessRemedy, privilegedPortRemedy, releaseExcludedPortRemedy, reservePortsRemedy } from '../os/remedies.js';
import type { ListenAttempt } from '../net/try-listen.js';
import type { Finding } from '../report/types.js';
import { formatEndpoint } from '../sockets/address.js';
import { conflicts, type Holder } from './bind-holders.js';
import { formatRange, plural } from './words.js';

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
}

/** Why a port cannot be bound, in a few words, per finding code (for summaries). */
export const BLOCKING_REASON: Record<string, string> = {
  'port-in-use': 'a listener holds it',
  'port-in-use-unseen': 'held by a socket not visible here',
  'port-held-by-client-socket': 'a client socket holds it',
  'port-held': 'a socket holds it',
  'port-excluded': 'inside an excluded range',
  'port-privileged': 'privileged',
  'address-not-available': 'address not on this host',
  'bind-refused': 'refused by a security policy',
};

export function explainBind(f: BindFacts): Finding[] {
  return [...explainAttempts(f), ...explainHolders(f), ...explainRanges(f)];
}

const who = (h: Holder) => (h.pid !== null ? `pid ${h.pid}${h.process ? ` (${h.process})` : ''}` : h.owner === 'hidden' ? 'a process tcpdiag cannot see' : 'no process');

function explainAttempts(f: BindFacts): Finding[] {
  const failed = f.attempts.filter((a) => !a.ok);
  const out: Finding[] = [];
  for (const a of failed) {
    const where = formatEndpoint({ address: a.address, port: f.port });
    if (a.errorCode === 'EADDRINUSE' && !f.holders.some((h) => h.role !== 'time-wait' && conflicts(h, a, f.port))) {
      out.push({
        code: 'port-in-use-unseen',
        severity: 'error',
        message: `listening on ${where} failed with EADDRINUSE, but no socket that could hold it is visible here: the holder is in another network namespace (a container), or was gone before the table was read`,
        remedy: [],
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

function explainHolders(f: BindFacts): Finding[] {
  const out: Finding[] = [];
  // A holder blocks when it collides with an attempt that failed; with
  // captured output (no attempts) every holder is taken to block the wildcard.
  const blocks = (h: Holder) => (f.attempts.length === 0 ? true : f.attempts.some((a) => !a.ok && conflicts(h, a, f.port)));
  const listeners = f.holders.filter((h) => h.role === 'listener');
  const accepted = f.holders.filter((h) => h.role === 'accepted').length;
  for (const h of listeners) {
    const hit = blocks(h);
    out.push({
      code: 'port-in-use',
      severity: hit ? 'error' : 'info',
      message: `${who(h)} listens on ${formatEndpoint(h.local)}` + (accepted ? ` (with ${plural(accepted, 'accepted connection')})` : '') + (hit ? '' : ': another address than the one asked about, no conflict'),
      remedy: h.pid !== null ? killProcessRemedy(f.os, h.pid) : [],
    });
  }
  for (const h of f.holders.filter((x) => x.role === 'client')) {
    out.push({
      code: 'port-held-by-client-socket',
      severity: blocks(h) ? 'error' : 'warning',
      message:
        `a client socket of ${who(h)} uses ${formatEndpoint(h.local)} as its source, connected to ${formatEndpoint(h.remote)} (${h.state}): ` +
        `the OS handed it the port from the ephemeral range, and while it is open no server can listen on that address (or a wildcard) and port ${f.port}; netstat lists it only as an outgoing connection`,
      // Reserving the port is the remedy of port-in-ephemeral-range, listed once there.
      remedy: h.pid !== null ? killProcessRemedy(f.os, h.pid) : [],
    });
  }
  const timeWait = f.holders.filter((h) => h.role === 'time-wait').length;
  if (timeWait) {
    const blocks = f.semantics?.reuseAddr
      ? 'a Node server still listens (libuv sets SO_REUSEADDR), but programs that do not set it get EADDRINUSE until they expire'
      : 'they expire by themselves after the TIME_WAIT period';
    out.push({ code: 'port-time-wait', severity: 'info', message: `${plural(timeWait, 'closed connection')} on port ${f.port} wait in TIME_WAIT (60 s on Linux): ${blocks}`, remedy: [] });
  }
  for (const h of f.holders.filter((x) => x.role === 'other')) {
    out.push({ code: 'port-held', severity: blocks(h) ? 'error' : 'warning', message: `${who(h)} holds a socket on ${formatEndpoint(h.local)} (${h.state}, remote ${formatEndpoint(h.remote)})`, remedy: h.pid !== null ? killProcessRemedy(f.os, h.pid) : [] });
  }
  return out;
}

function explainRanges(f: BindFacts): Finding[] {
  const out: Finding[] = [];
  const r = f.reservedRange;
  if (r?.blocksBind) {
    out.push({
      code: 'port-excluded',
      severity: 'error',
      message: `port ${f.port} lies in the excluded range ${r.start}-${r.end} that a service (Hyper-V, WinNAT, WSL, Docker) reserved: binding it fails with EACCES ("An attempt was made to access a socket in a way forbidden by its access permissions") although netstat shows nothing on it; run the remedy in an elevated prompt`,
      remedy: releaseExcludedPortRemedy([f.port]),
    });
  } else if (r) {
    out.push({
      code: 'port-reserved',
      severity: 'info',
      message: `port ${f.port} is reserved (${r.start}-${r.end}, ${r.source}): the OS never hands it out as an ephemeral port, so no client socket can take it while your server is down`,
      remedy: [],
    });
  } else if (f.ephemeralRange) {
    const e = f.ephemeralRange;
    out.push({
      code: 'port-in-ephemeral-range',
      severity: 'warning',
      message: `port ${f.port} lies inside the ephemeral range ${e.start}-${e.end}: even when it is free now, while your server is not listening any outgoing connection may take it as its source port, and the next start fails with EADDRINUSE; reserve it, or pick a port outside the range`,
      remedy: reserveIfNeeded(f),
    });
  }
  const p = f.privileged;
  if (p && f.port < p.below && !p.asRoot) {
    const failed = f.attempts.some((a) => a.errorCode === 'EACCES');
    out.push({
      code: 'port-privileged',
      severity: failed || f.attempts.length === 0 ? 'error' : 'warning',
      message: `port ${f.port} is below ${p.below}: only root (or, on Linux, a program with CAP_NET_BIND_SERVICE) may listen on it; others get EACCES`,
      remedy: privilegedPortRemedy(f.os, f.port),
    });
  }
  return out;
}

function reserveIfNeeded(f: BindFacts): string[] {
  if (!f.ephemeralRange || f.reservedRange) return [];
  const existing = f.os === 'linux' ? f.ranges.reserved.map(formatRange) : [];
  return reservePortsRemedy(f.os, [f.port], existing);
}
