// What `tcpdiag bind` says about each socket on the port: whether it keeps a
// Node listen off (bind-holders.ts), why, and a fix that works and does no
// harm (issue #20): no kill when the port can be bound; the process shown
// before it is ended, every holder of a shared socket named; closing just the
// one socket offered first where the OS can; the reservation first when
// freeing the port would let a client take it again.

import type { OsName } from '../os/port-ranges.js';
import { ownerNotCapturedWords } from '../os/capture-gaps.js';
import { boundOnlyWords, closeSocketRemedy, freePortFromProcessesRemedy } from '../os/remedies.js';
import { osServiceOn, ownerlessSocketOn, type OsService } from '../os/os-services.js';
import type { Finding } from '../report/types.js';
import { formatEndpoint } from '../sockets/address.js';
import type { Holder } from './bind-holders.js';
import { plural } from '../text/words.js';

export interface HolderFindingFacts {
  port: number;
  os: OsName | null;
  holders: Holder[];
  /** Commands that keep the port out of the ephemeral allocator, when it is in the range and not reserved. */
  reserveFirst: string[];
  /** Whether one socket can be closed on request here (Linux ss -K). */
  canClose: boolean | null;
  /** false with --from. */
  live: boolean;
  /** The ephemeral range the port was judged against (Windows: its dynamic range, where RPC endpoints land), if known. */
  ephemeral?: { start: number; end: number } | null;
}

export interface HolderFindings {
  findings: Finding[];
  notJudged: string[];
  /** Where a finding's fix holds the reservation, if one does (the ephemeral-range finding then refers to it). */
  reservationAt: 'first' | 'last' | null;
}

const SEVERITY = { yes: 'error', depends: 'warning', no: 'info' } as const;

/** "node (pid 1234)", or for a shared socket "node (pid 1234) and node (pid 1240)". */
export function ownersOf(h: Holder): string {
  if (h.owners.length === 0) return h.owner === 'hidden' ? 'a process tcpdiag cannot see' : 'no process';
  return h.owners.map((o) => (o.process ? `${o.process} (pid ${o.pid})` : `pid ${o.pid}`)).join(' and ');
}

/** A socket whose table had no PID column: its owner is unknown, never "no process" (a user trial: `netstat -an`). */
function ownerNotCaptured(h: Holder): boolean {
  return h.owners.length === 0 && h.owner === 'not-collected';
}

function notCapturedWords(f: HolderFindingFacts): string {
  return f.live ? 'its owner was not looked up' : ownerNotCapturedWords(f.os);
}

/**
 * A service of the OS itself that holds the socket (systemd-resolved on 53,
 * macOS's ControlCenter on 5000, Windows' SMB on 445): not a process to end.
 * Only a holder that keeps the listen off is one to free.
 */
function osService(h: Holder, f: HolderFindingFacts): OsService | null {
  if (h.blocks === 'no') return null;
  for (const o of h.owners) {
    const s = osServiceOn(f.os, o, f.port, { listening: h.role === 'listener', dynamic: f.ephemeral ?? null });
    if (s) return s;
  }
  return h.owners.length === 0 && h.owner === 'none' ? ownerlessSocketOn(f.os, f.port, h.role === 'time-wait') : null;
}

function serviceWords(h: Holder, f: HolderFindingFacts): string {
  const service = osService(h, f);
  return service ? `; ${service.words}` : '';
}

function shared(h: Holder): string {
  return h.owners.length > 1 ? `; the socket is shared by ${h.owners.length} processes (after fork or socket passing): ending one of them frees nothing, end them all or their common parent (a pre-fork server's master)` : '';
}

function verdictWords(h: Holder, live: boolean): string {
  if (h.blocks === 'yes') return `it keeps a Node listen off: ${h.because}`;
  if (h.blocks === 'no') return `it does not keep a Node listen off: ${h.because}`;
  return `whether it keeps a Node listen off depends on ${h.dependsOn.join(' and ')}, which ${live ? 'no socket table shows' : 'captured output does not show'}`;
}

export function explainHolders(f: HolderFindingFacts): HolderFindings {
  const findings: Finding[] = [];
  const notJudged: string[] = [];
  let reservationAt: HolderFindings['reservationAt'] = null;
  const fix = (h: Holder, withClose: boolean, withReserve: boolean): string[] => {
    if (h.blocks === 'no') return []; // the port can be bound: nothing to end
    const reserve = withReserve ? f.reserveFirst : [];
    // An OS service comes back when ended: its own setting instead of kill.
    const service = osService(h, f);
    if (service) return [...service.remedy];
    // Closing just that socket frees the port and leaves its process running; ending the process is
    // for where it cannot be closed. Never both: a fix block is pasted whole, and would end the process too.
    const close = withClose ? closeSocketRemedy(f.os, h, f.canClose) : [];
    const free = close.length > 0 ? close : freePortFromProcessesRemedy(f.os, h.owners);
    // Linux reserves a port while it is held (only the allocator reads the list);
    // netsh refuses to exclude a port in use, so on Windows it comes right after.
    const last = f.os === 'win32' && free.length > 0;
    if (reserve.length) reservationAt ??= last ? 'last' : 'first';
    return last ? [...free, ...reserve] : [...reserve, ...free];
  };
  const accepted = f.holders.filter((h) => h.role === 'accepted').length;
  for (const h of f.holders.filter((x) => x.role === 'listener')) {
    const with_ = accepted ? `with ${plural(accepted, 'accepted connection')}` : '';
    // A listener no process owns is still a listener: "no process listens" read as "nothing is there" (a user trial).
    const who = ownerNotCaptured(h)
      ? `a listener on ${formatEndpoint(h.local)} (${[with_, notCapturedWords(f)].filter(Boolean).join('; ')})`
      : h.owner === 'none'
        ? `a listener on ${formatEndpoint(h.local)} that no process owns` + (with_ ? ` (${with_})` : '')
        : `${ownersOf(h)} ${h.owners.length > 1 ? 'listen' : 'listens'} on ${formatEndpoint(h.local)}` + (with_ ? ` (${with_})` : '');
    findings.push({
      code: 'port-in-use',
      severity: SEVERITY[h.blocks],
      message: `${who}: ${verdictWords(h, f.live)}${shared(h)}${serviceWords(h, f)}`,
      remedy: fix(h, false, false),
    });
  }
  for (const h of f.holders.filter((x) => x.role === 'client' || x.role === 'other')) {
    const client = h.role === 'client';
    const unowned = ownerNotCaptured(h) ? `; ${notCapturedWords(f)}` : '';
    const remote = h.remote.port === 0 ? '' : `, remote ${formatEndpoint(h.remote)}`;
    // A bound-only socket (a program's bind() without listen() or connect()): said, since the tools a user checks next do not list it.
    const state = h.state === 'CLOSED' || h.state === 'BOUND' ? `${h.state}: ${boundOnlyWords(f.os)}` : h.state;
    const holds = ownerNotCaptured(h) ? `a socket on ${formatEndpoint(h.local)} (${state}${remote}${unowned})` : `${ownersOf(h)} ${h.owners.length > 1 ? 'hold' : 'holds'} a socket on ${formatEndpoint(h.local)} (${state}${remote})`;
    const remedy = fix(h, true, client);
    // The fix closes just that socket where it can: said, so nobody ends the process as well.
    const fallback = freePortFromProcessesRemedy(f.os, h.owners);
    const closesOnly =
      h.blocks !== 'no' && fallback.length > 0 && remedy.some((c) => closeSocketRemedy(f.os, h, f.canClose).includes(c))
        ? `; the fix closes just that socket and leaves ${ownersOf(h)} running; only if it cannot be closed, end the process instead (${fallback.map((c) => `\`${c}\``).join(', then ')})`
        : '';
    findings.push({
      code: client ? 'port-held-by-client-socket' : 'port-held',
      severity: SEVERITY[h.blocks],
      message: client
        ? `a client socket${ownerNotCaptured(h) ? '' : ` of ${ownersOf(h)}`} uses ${formatEndpoint(h.local)} as its source, connected to ${formatEndpoint(h.remote)} (${h.state}${unowned}): the port is in the ephemeral range, so the OS most likely chose it at connect (a program can also pick a client's port itself); netstat lists it only as an outgoing connection; ${verdictWords(h, f.live)}${shared(h)}${serviceWords(h, f)}${closesOnly}`
        : `${holds}: ${verdictWords(h, f.live)}${shared(h)}${serviceWords(h, f)}${closesOnly}`,
      remedy,
    });
  }
  findings.push(...explainTimeWait(f, () => (reservationAt ??= 'first')));
  for (const h of f.holders.filter((x) => x.blocks === 'depends')) {
    notJudged.push(`whether the ${h.state} socket ${socketWords(h)} keeps a Node listen off port ${f.port}: it depends on ${h.dependsOn.join(' and ')}`);
  }
  return { findings, notJudged, reservationAt };
}

/** "10.0.0.5:80 -> 10.0.0.9:5000" for a connection; a listener or a bound socket has no peer ("[::]:0" is none), so its local end alone. */
function socketWords(h: Holder): string {
  return h.remote.port === 0 ? formatEndpoint(h.local) : `${formatEndpoint(h.local)} -> ${formatEndpoint(h.remote)}`;
}

function explainTimeWait(f: HolderFindingFacts, usedReservation: () => void): Finding[] {
  const out: Finding[] = [];
  for (const blocks of ['yes', 'depends', 'no'] as const) {
    const tw = f.holders.filter((h) => h.role === 'time-wait' && h.blocks === blocks);
    if (tw.length === 0) continue;
    const left = tw.map((h) => h.timeWaitRemainingMs).filter((ms): ms is number => ms !== null);
    const lastS = left.length === tw.length ? Math.ceil(Math.max(...left) / 1000) : null;
    const listed = tw.slice(0, 3).map((h) => `${formatEndpoint(h.local)} -> ${formatEndpoint(h.remote)}` + (h.timeWaitRemainingMs === null ? '' : ` (${Math.ceil(h.timeWaitRemainingMs / 1000)} s left)`));
    const more = tw.length > 3 ? ` and ${tw.length - 3} more` : '';
    const until = lastS !== null ? `it is gone in ${lastS} s` : f.os === 'linux' ? 'it is gone within 60 s (Linux holds TIME_WAIT 60 s)' : 'it is gone when TIME_WAIT ends';
    const head = `${plural(tw.length, 'closed connection')} left TIME_WAIT on port ${f.port}: ${listed.join(', ')}${more}`;
    if (blocks === 'no') {
      const other = f.os === 'win32' ? '' : '; a server that does not set SO_REUSEADDR would still get EADDRINUSE until it expires';
      out.push({ code: 'port-time-wait', severity: 'info', message: `${head}; ${verdictWords(tw[0]!, f.live)}${other}`, remedy: [] });
      continue;
    }
    // The client's TIME_WAIT blocks because the client never set SO_REUSEADDR:
    // the server cannot avoid it by an option of its own, only by keeping
    // clients off its port (the reservation).
    const avoid = f.reserveFirst.length ? '; to keep it from happening again, reserve the port so no client takes it as its source port (first line)' : '';
    if (f.reserveFirst.length) usedReservation();
    const close = tw.length === 1 ? closeSocketRemedy(f.os, tw[0]!, f.canClose) : f.os === 'linux' && f.canClose ? [`sudo ss -K -t state time-wait '( sport = :${f.port} )'`] : [];
    const closeWords = close.length ? ', or close it now (ss -K closes just that socket)' : f.os === 'linux' && f.canClose === false ? ' (this kernel cannot close it early: it lacks CONFIG_INET_DIAG_DESTROY)' : '';
    out.push({
      code: 'port-time-wait',
      severity: blocks === 'yes' ? 'error' : 'warning',
      message: `${head}; ${verdictWords(tw[0]!, f.live)}. Wait: ${until}${closeWords}${avoid}`,
      // Waiting and closing it now are two ways: the block (pasted whole) holds one, closing where it can.
      remedy: [...f.reserveFirst, ...(close.length > 0 ? close : lastS !== null ? [`sleep ${lastS}`] : [])],
    });
  }
  return out;
}
