// `tcpdiag bind <port>`: can a server listen here? Real listen attempts per
// address, then who holds the port and what the port ranges say, with the
// remedy. From captured output (--from) the same question is answered
// without an attempt.

import { classifyHolders, type Holder } from '../explain/bind-holders.js';
import { BLOCKING_REASON, explainBind } from '../explain/bind.js';
import { parseCapturedParts } from '../input/parse-captured.js';
import type { CapturedText } from '../input/read-captured.js';
import type { BindSemantics, OsBackend } from '../os/backend.js';
import { combinePortRanges, type EphemeralRange, type OsName, type PortRanges, type ReservedRange } from '../os/port-ranges.js';
import type { SocketRow } from '../os/sockets.js';
import { tryListenEach, type ListenAttempt } from '../net/try-listen.js';
import type { ProbeResult } from '../report/types.js';
import { formatEndpoint } from '../sockets/address.js';

export interface BindInput {
  port: number;
  /** Addresses to listen on (IPv4 and IPv6 wildcards by default). */
  addresses: string[];
  captured: CapturedText[];
  backend: () => OsBackend;
  isRoot: boolean;
}

export interface BindData {
  port: number;
  /** Empty with --from: nothing was attempted. */
  attempts: ListenAttempt[];
  bindSemantics: string | null;
  holders: Holder[];
  inEphemeralRange: boolean;
  ephemeralRange: EphemeralRange | null;
  reservedRange: ReservedRange | null;
  privileged: { below: number; asRoot: boolean } | null;
  sources?: Array<{ file: string; format: string }>;
  notes: string[];
}

interface Gathered {
  os: OsName | null;
  attempts: ListenAttempt[];
  rows: SocketRow[];
  ranges: PortRanges;
  semantics: BindSemantics | null;
  notes: string[];
  sources?: Array<{ file: string; format: string }>;
}

export async function probeBind(input: BindInput): Promise<ProbeResult<BindData>> {
  const g = input.captured.length ? gatherCaptured(input) : await gatherLive(input);
  const { port } = input;
  const tcp = g.ranges.ephemeral.filter((e) => e.protocol !== 'udp');
  const ephemeralRange = tcp.find((e) => port >= e.start && port <= e.end) ?? null;
  const reservedRange = g.ranges.reserved.find((r) => r.protocol !== 'udp' && port >= r.start && port <= r.end) ?? null;
  const holders = classifyHolders(g.rows, ephemeralRange ?? tcp[0] ?? null);
  const privileged = g.ranges.privileged ? { below: g.ranges.privileged.below, asRoot: input.captured.length === 0 && input.isRoot } : null;
  const findings = explainBind({ port, os: g.os, attempts: g.attempts, holders, ranges: g.ranges, ephemeralRange, reservedRange, privileged, semantics: g.semantics });
  const data: BindData = {
    port,
    attempts: g.attempts,
    bindSemantics: g.semantics?.description ?? null,
    holders,
    inEphemeralRange: ephemeralRange !== null,
    ephemeralRange,
    reservedRange,
    privileged,
    ...(g.sources ? { sources: g.sources } : {}),
    notes: g.notes,
  };
  const live = input.captured.length === 0;
  // IPv6 being disabled is not a failure of the port (listen(port) falls back to IPv4).
  const blocked = live ? g.attempts.some((a) => !a.ok && a.errorCode !== 'EAFNOSUPPORT') : findings.some((f) => f.severity === 'error');
  const reasons = [...new Set(findings.filter((f) => f.severity === 'error').map((f) => BLOCKING_REASON[f.code]).filter((w): w is string => w !== undefined))];
  return { verdict: blocked ? 'problem' : 'ok', summary: summarize(port, g.attempts, reasons, live, blocked), findings, data };
}

async function gatherLive(input: BindInput): Promise<Gathered> {
  const backend = input.backend();
  // Attempts first and one by one: each is closed before the next and before
  // the table is read, so tcpdiag's own sockets never show up as holders.
  const attempts = await tryListenEach(input.addresses, input.port);
  const table = await backend.readSocketTable();
  const rows = table.rows.filter((r) => r.local.port === input.port);
  const notes = [...table.notes, ...(backend.resolveOwners ? await backend.resolveOwners(rows) : [])];
  const ranges = await backend.readPortRanges();
  return { os: backend.os, attempts, rows, ranges, semantics: backend.bindSemantics, notes: [...notes, ...ranges.notes] };
}

/** Each --from file is a socket table (netstat, ss, ...) or port ranges (netsh, sysctl, procfs). */
function gatherCaptured(input: BindInput): Gathered {
  const tables: SocketRow[] = [];
  const rangeParts: PortRanges[] = [];
  const sources: Array<{ file: string; format: string }> = [];
  const oses = new Set<OsName>();
  for (const part of input.captured.flatMap((c) => parseCapturedParts(c, false))) {
    sources.push({ file: part.file, format: part.format });
    if (part.os) oses.add(part.os);
    if (part.kind === 'table') tables.push(...part.table.rows.filter((r) => r.local.port === input.port));
    else if (part.kind === 'ranges') rangeParts.push(part.ranges);
  }
  const ranges = combinePortRanges(rangeParts);
  const notes = ['no bind was attempted: this answer comes from captured output only'];
  if (rangeParts.length === 0) notes.push('no port ranges were given (netsh dynamicport / excludedportrange, sysctl): ephemeral and excluded ranges are unknown');
  if (tables.length === 0 && !sources.some((s) => !/netsh|sysctl|procfs/.test(s.format))) notes.push('no socket table was given (netstat -ano, ss -tanp): holders are unknown');
  const os = oses.size === 1 ? [...oses][0]! : ranges.os;
  return { os, attempts: [], rows: tables, ranges: { ...ranges, os }, semantics: null, notes, sources };
}

function summarize(port: number, attempts: ListenAttempt[], reasons: string[], live: boolean, blocked: boolean): string {
  const where = (a: ListenAttempt[]) => a.map((x) => formatEndpoint({ address: x.address, port }).replace(`:${port}`, '')).join(' and ');
  const why = reasons.length ? `: ${reasons.join(', ')}` : '';
  if (!live) return blocked ? `from captured output: port ${port} cannot be bound${why}` : `from captured output: nothing keeps a server from port ${port}`;
  const failed = attempts.filter((a) => !a.ok);
  if (failed.length === 0) return `port ${port} can be bound on ${where(attempts)}`;
  const codes = [...new Set(failed.map((a) => a.errorCode))].join(', ');
  return `port ${port} cannot be bound on ${where(failed)} (${codes})${why}`;
}
