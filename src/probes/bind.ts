// `tcpdiag bind <port>`: can a server listen here? Real listen attempts per
// address, then who holds the port and what the port ranges say, with the
// remedy. From captured output (--from) the same question is answered
// without an attempt.

import { findHolders, type Holder } from '../explain/bind-holders.js';
import { BLOCKING_REASON, explainBind } from '../explain/bind.js';
import { addressKind, sameAddress } from '../os/address-kind.js';
import type { CapturedInput, InputSource } from '../input/parse-captured.js';
import { cutLineGaps } from '../input/cut-last-line.js';
import { replacedCaptures, verdictWithGaps } from '../input/not-judged.js';
import { SECTION_FORMATS } from '../input/section-formats.js';
import { capturedTableGaps } from '../input/table-gaps.js';
import type { BindSemantics, OsBackend, TimeWaitTimer } from '../os/backend.js';
import { assumedEphemeralRange, isAssumedRange, privilegedPortWords } from '../os/remedies.js';
import { combinePortRanges, defaultRanges, EPHEMERAL_RANGE_COMMAND, type EphemeralRange, type OsName, type PortRanges, type ReservedRange } from '../os/port-ranges.js';
import type { SocketRow } from '../os/sockets.js';
import { userInfo } from 'node:os';
import { tryListenEach, type ListenAttempt } from '../net/try-listen.js';
import type { ProbeResult } from '../report/types.js';
import { formatEndpoint } from '../sockets/address.js';
import { formatLines } from '../text/words.js';
import { oneCapturedSystem } from '../input/captured-systems.js';
import { assumedListenGap, excludedRangeGap, hostAddressGap, LINUX_KERNEL_GAP, privilegedPortGap, timeWaitTimersGap, udpOnlyRangeNote } from '../os/capture-gaps.js';

export interface BindInput {
  port: number;
  /** Addresses to listen on (IPv4 and IPv6 wildcards by default). */
  addresses: string[];
  /** Captured outputs to answer from instead of this host (null: this host). */
  captured: CapturedInput | null;
  backend: () => OsBackend;
  isRoot: boolean;
}

export interface BindData {
  port: number;
  /** Empty with --from: nothing was attempted. */
  attempts: ListenAttempt[];
  bindSemantics: string | null;
  /** Every socket on the port, with its owners and whether it keeps a Node listen off. */
  holders: Holder[];
  /** null when no default-allocator range is known: "not known" is not "outside" (a user trial read false from an lsof paste with no range). */
  inEphemeralRange: boolean | null;
  ephemeralRange: EphemeralRange | null;
  /** False when no range is known (--from without one, and no OS to assume a default for). */
  ephemeralRangeKnown: boolean;
  /** True when the range judged against is the OS default, assumed because --from held none. */
  ephemeralRangeAssumed: boolean;
  /** False when --from held no socket table that could be read: holders is empty because nothing was looked at. */
  holdersKnown: boolean;
  reservedRange: ReservedRange | null;
  privileged: { below: number; asRoot: boolean } | null;
  sources?: InputSource[];
  notes: string[];
}

interface Gathered {
  os: OsName | null;
  attempts: ListenAttempt[];
  rows: SocketRow[];
  ranges: PortRanges;
  semantics: BindSemantics | null;
  timers: TimeWaitTimer[] | null;
  canClose: boolean | null;
  notes: string[];
  sources?: InputSource[];
  /** What the answer could not look at (captured input only). */
  notJudged: string[];
  /** False when captured input held no socket table that could be read. */
  tableRead: boolean;
}

export async function probeBind(input: BindInput): Promise<ProbeResult<BindData>> {
  const g = input.captured ? gatherCaptured(input, input.captured) : await gatherLive(input);
  const { port } = input;
  const tcp = g.ranges.ephemeral.filter((e) => e.protocol !== 'udp');
  // The default allocator's range first: it is the one ordinary clients draw from; a macOS/FreeBSD
  // IP_PORTRANGE_HIGH or _LOW range is named only when no default range holds the port.
  const ordered = [...defaultRanges(tcp), ...tcp.filter((e) => e.allocator !== 'default')];
  const ephemeralRange = ordered.find((e) => port >= e.start && port <= e.end) ?? null;
  const reservedRange = g.ranges.reserved.find((r) => r.protocol !== 'udp' && port >= r.start && port <= r.end) ?? null;
  const live = input.captured === null;
  const asked = input.addresses.map((address) => ({ address, dualStack: address === '::' }));
  const holders = findHolders(g.rows, { os: g.os, asked, attempts: g.attempts, ephemeral: ephemeralRange ?? ordered[0] ?? null, timers: g.timers, uid: live ? (process.getuid?.() ?? null) : null, user: live ? currentUserName() : null });
  const privileged = g.ranges.privileged ? { below: g.ranges.privileged.below, asRoot: live && input.isRoot } : null;
  const { findings, notJudged: unjudged } = explainBind({ port, os: g.os, attempts: g.attempts, holders, ranges: g.ranges, ephemeralRange, reservedRange, privileged, semantics: g.semantics, canClose: g.canClose, holdersKnown: g.tableRead });
  const notJudged = [...g.notJudged, ...unjudged];
  if (holders.some((h) => h.role === 'time-wait' && h.timeWaitRemainingMs === null)) {
    notJudged.push(`how long the TIME_WAIT sockets on port ${port} still hold it: ${live ? 'the kernel did not report their timers here (netlink sock_diag is needed)' : timeWaitTimersGap(g.os)}`);
  }
  if (!live && g.os === 'linux' && holders.some((h) => !(h.state === 'LISTEN' && input.addresses.some((a) => sameAddress(a, h.local.address))))) {
    // The model follows 6.8+ (explain/bind-conflict-linux.ts); only a listener on the very address asked blocks on every kernel.
    notJudged.push(LINUX_KERNEL_GAP);
  }
  if (!live && g.os !== null) notJudged.push(assumedListenGap(g.os));
  // Earlier captures a later one replaced: said, but no gap (the later capture was read).
  notJudged.push(...replacedCaptures(input.captured));
  const data: BindData = {
    port,
    attempts: g.attempts,
    bindSemantics: g.semantics?.description ?? null,
    holders,
    // Only a default-allocator range answers it: none at all, or a BSD high/low range alone, leaves it open (see notJudged).
    inEphemeralRange: defaultRanges(tcp).length > 0 ? ephemeralRange?.allocator === 'default' : null,
    ephemeralRange,
    ephemeralRangeKnown: tcp.length > 0,
    ephemeralRangeAssumed: tcp.some(isAssumedRange),
    holdersKnown: g.tableRead,
    reservedRange,
    privileged,
    ...(g.sources ? { sources: g.sources } : {}),
    notes: g.notes,
  };
  const errors = findings.filter((f) => f.severity === 'error');
  // IPv6 being disabled is not a failure of the port (listen(port) falls back to IPv4).
  const blocked = live ? g.attempts.some((a) => !a.ok && a.errorCode !== 'EAFNOSUPPORT') : errors.length > 0;
  // From captured output, a holder that may block (an option decides it) leaves the answer open: exit 4, not 0.
  const open = !live && !blocked && holders.some((h) => h.blocks === 'depends');
  const reasons = [...new Set(errors.map((f) => BLOCKING_REASON[f.code]).filter((w): w is string => w !== undefined))];
  // The input's own gaps (a part missing, rows unread) leave an "ok" open too.
  const gaps = g.notJudged.length > 0;
  // From a paste, a privileged port is said (info) but not judged: the summary must not hide it behind "nothing keeps a server".
  const privilegedNote = !live && findings.some((f) => f.code === 'port-privileged' && f.severity === 'info') ? `; it is privileged: only a server that ${privilegedPortWords(g.os).mayListen} may listen on it` : '';
  const summary = (open ? `from captured output: whether port ${port} can be bound depends on what the capture does not show` : summarize(port, g.attempts, reasons, live, blocked, gaps)) + (blocked ? '' : privilegedNote);
  const verdict = blocked ? 'problem' : open ? 'inconclusive' : verdictWithGaps('ok', g.notJudged);
  return { verdict, summary, findings, notJudged, data };
}

async function gatherLive(input: BindInput): Promise<Gathered> {
  const backend = input.backend();
  // Owners follow the table read: on a busy host, what the lookup needs starts now and overlaps the attempts and the read.
  backend.prepareOwners?.({ port: input.port });
  // Attempts first and one by one: each is closed before the next and before
  // the table is read, so tcpdiag's own sockets never show up as holders.
  const attempts = await tryListenEach(input.addresses, input.port);
  // Only this port's sockets: on a busy host the kernel filters them (issue #19).
  const table = await backend.readSocketTable({ localPort: input.port });
  const rows = table.rows.filter((r) => r.local.port === input.port);
  const notes = [...table.notes, ...(backend.resolveOwners ? await backend.resolveOwners(rows) : [])];
  const ranges = await backend.readPortRanges();
  const timers = rows.some((r) => r.state === 'TIME_WAIT') && backend.readTimeWaitTimers ? await backend.readTimeWaitTimers(input.port) : null;
  const canClose = rows.some((r) => r.state !== 'LISTEN') && backend.canCloseSockets ? await backend.canCloseSockets() : null;
  return { os: backend.os, attempts, rows, ranges, semantics: backend.bindSemantics, timers, canClose, notes: [...notes, ...ranges.notes], notJudged: [], tableRead: true };
}

/** The --from formats that read socket tables. */
const TABLE_FORMATS = new Set(SECTION_FORMATS.filter((f) => f.kind === 'table').map((f) => f.id));

/**
 * Every part of every --from input: socket tables (netstat, ss, ...) and port
 * ranges (netsh, sysctl, procfs), in one input or several. What the answer
 * needs and the input lacks is not judged, and said (issue #20: a paste of
 * netstat and netsh once answered from the netstat half alone).
 */
function gatherCaptured(input: BindInput, captured: CapturedInput): Gathered {
  const rows: SocketRow[] = [];
  const rangeParts: PortRanges[] = [];
  const oses = oneCapturedSystem(captured.parts);
  let tables = 0;
  for (const part of captured.parts) {
    if (part.kind === 'table') {
      tables++;
      rows.push(...part.table.rows.filter((r) => r.local.port === input.port));
    } else if (part.kind === 'ranges') rangeParts.push(part.ranges);
  }
  const ranges = combinePortRanges(rangeParts);
  const os = oses.size === 1 ? [...oses][0]! : ranges.os;
  // A last row the copy may have cut (no line end after it) is left out, and leaves the answer open unless it is certainly on another port.
  const fromInput = cutLineGaps(captured, input.port);
  const notes = ['no bind was attempted: this answer comes from captured output only', ...fromInput.notes];
  const notJudged = fromInput.notJudged;
  // As doctor and sockets --from do: without the host's own range, its OS's default is assumed, and said
  // (answering "outside the ephemeral range" from no range at all hid Windows' 49152-65535).
  // (A paste of a BSD high or low range alone is said below instead: it does not show the default one.)
  // A Windows UDP range is no TCP range (a user trial): assumed over too, and said as the guess it is, as without any range.
  const udpOnly = ranges.ephemeral.filter((e) => e.protocol === 'udp');
  if (ranges.ephemeral.length === udpOnly.length) {
    if (os !== null) {
      const assumed = assumedEphemeralRange(os);
      ranges.ephemeral.push(assumed);
      if (udpOnly.length > 0) notes.push(udpOnlyRangeNote(os, udpOnly, assumed));
      else notes.push(`the input holds no ephemeral port range (${EPHEMERAL_RANGE_COMMAND[os]}): the ${os} default ${assumed.start}-${assumed.end} is assumed`);
    } else {
      notJudged.push(`whether port ${input.port} lies in the ephemeral range: the input holds no port range and does not say which OS printed it`);
    }
  }
  // What the tables could not show (`ss -tlnp`, /proc/net/tcp without tcp6, `| findstr LISTENING`).
  notJudged.push(...capturedTableGaps(captured, input.port));
  if (ranges.ephemeral.length > 0 && !ranges.ephemeral.some((e) => e.allocator === 'default')) {
    notJudged.push(`whether port ${input.port} lies in the default ephemeral range (net.inet.ip.portrange.first/last), the one ordinary clients draw from: the input holds only ${ranges.ephemeral.map((e) => `the ${e.allocator} range ${e.start}-${e.end}`).join(', ')}`);
  }
  if (tables === 0) {
    // A table that is there but could not be read is not "no table" (a user trial: one mistyped state refused a whole netstat).
    const refused = captured.sources.filter((s) => s.tried !== undefined && s.lines && TABLE_FORMATS.has(s.format));
    notJudged.push(
      refused.length > 0
        ? `who holds port ${input.port}: the socket table (${refused.map((s) => `${formatLines(s.lines!)} of ${s.file}`).join(', ')}) could not be read, see above`
        : `who holds port ${input.port}: the input holds no socket table (add netstat -ano, ss -tanp or lsof -nP -iTCP output)`,
    );
  }
  // A user trial: "OK" for port 80 from an ss paste, which cannot say who runs the server nor where privilege starts.
  const privilege = ranges.privileged ? null : privilegedPortGap(os, input.port);
  if (privilege) notJudged.push(privilege);
  // Only Windows refuses binds inside a range (a service's excluded range); Linux and BSD reserved ports do not.
  // Only a TCP list answers for a TCP port (a UDP list alone once gave OK).
  const excluded = os === 'win32' || os === null ? excludedRangeGap(input.port, captured.parts.flatMap((p) => (p.kind === 'ranges' ? (p.lists ?? []) : []))) : null;
  if (excluded) notJudged.push(excluded);
  notJudged.push(...(captured.rangeGaps ?? []));
  notJudged.push(...unseenAddresses(input.addresses, os, captured));
  return { os, attempts: [], rows, ranges: { ...ranges, os }, semantics: null, timers: null, canClose: null, notes, sources: captured.sources, notJudged, tableRead: tables > 0 };
}

/**
 * The specific addresses asked about (--host) that the paste does not show
 * to be the captured host's: a socket table cannot list its addresses, so
 * only a socket on the address is evidence (a user trial: OK for an address
 * the host did not have). Wildcards and the loopback every host has need none.
 */
function unseenAddresses(addresses: readonly string[], os: OsName | null, captured: CapturedInput): string[] {
  const seen = captured.parts.flatMap((p) => (p.kind === 'table' ? p.table.rows.filter((r) => !r.local.addressIsName && !r.local.addressCut).map((r) => r.local.address) : []));
  return addresses.flatMap((a) => {
    const { kind, v4 } = addressKind(a);
    if (kind === 'v4-any' || kind === 'v6-any' || seen.some((s) => sameAddress(s, a))) return [];
    const gap = hostAddressGap(os, a, v4);
    return gap ? [gap] : [];
  });
}

function summarize(port: number, attempts: ListenAttempt[], reasons: string[], live: boolean, blocked: boolean, gaps: boolean): string {
  const where = (a: ListenAttempt[]) => a.map((x) => formatEndpoint({ address: x.address, port }).replace(`:${port}`, '')).join(' and ');
  const why = reasons.length ? `: ${reasons.join(', ')}` : '';
  if (!live && blocked) return `from captured output: port ${port} cannot be bound${why}`;
  if (!live && gaps) return `from captured output: nothing found that keeps a server from port ${port}, but the input does not show everything (see "not judged")`;
  if (!live) return `from captured output: nothing keeps a server from port ${port}`;
  const failed = attempts.filter((a) => !a.ok);
  if (failed.length === 0) return `port ${port} can be bound on ${where(attempts)}`;
  const codes = [...new Set(failed.map((a) => a.errorCode))].join(', ');
  return `port ${port} cannot be bound on ${where(failed)} (${codes})${why}`;
}

/** Who runs tcpdiag, by name (lsof and sockstat name a socket's user): null where the OS does not say. */
function currentUserName(): string | null {
  try {
    return userInfo().username;
  } catch {
    return null;
  }
}
