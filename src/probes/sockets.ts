// `tcpdiag sockets`: the socket table with owners, queues, counters, grouping
// and ephemeral use per destination — live, or from captured output.

import { explainOwners, type CounterDelta } from '../explain/sockets.js';
import { analyzeSocketTable, listeningPortsOf, markAcceptQueueWaiters } from '../sockets/analyze.js';
import { plural } from '../text/words.js';
import { lacking, type CapturedInput, type InputSource } from '../input/parse-captured.js';
import { replacedCaptures, verdictWithGaps } from '../input/not-judged.js';
import type { ListenCounters, OsBackend } from '../os/backend.js';
import type { EphemeralRange, OsName } from '../os/port-ranges.js';
import { assumedEphemeralRange } from '../os/remedies.js';
import { rowArray, type CompactSocketTable, type RowStream, type SocketQuery, type SocketRow, type SocketTable } from '../os/sockets.js';
import type { ProbeResult } from '../report/types.js';
import { deriveVerdict } from '../report/verdict.js';
import type { EphemeralUsage } from '../sockets/ephemeral-usage.js';
import { isFiltered, matchesOwner, matchesTuple, type SocketFilter } from '../sockets/filter.js';
import { countStates, groupSockets, type GroupKey, type SocketGroup } from '../sockets/group.js';
import { oneCapturedSystem } from '../input/captured-systems.js';

export interface SocketsInput {
  filter: SocketFilter;
  groupBy?: GroupKey;
  /** Look up owning processes (Linux: the /proc/<pid>/fd walk). */
  owners: boolean;
  /** Sample the kernel's listen-overflow counters over this window. */
  sampleMs?: number;
  /** At most this many rows in data.rows (0: all). */
  limit: number;
  /** Captured outputs to read instead of this host (null: this host). */
  captured: CapturedInput | null;
  backend: () => OsBackend;
  sleep: (ms: number) => Promise<void>;
  /** Progress for a person (stderr), e.g. while sampling. */
  progress: (message: string) => void;
}

export interface SocketsData {
  /** A compact table when every row of the table goes out as it is (see readTable). */
  rows: SocketRow[] | CompactSocketTable;
  /** Rows that matched the filters (data.rows may hold fewer: --limit). */
  matched: number;
  /** Rows in the whole table. */
  total: number;
  filters: SocketFilter;
  states: Record<string, number>;
  groups?: SocketGroup[];
  /** With --group-by: how many groups there are (groups holds at most --limit). */
  groupsMatched?: number;
  owners: { collected: boolean; found: number; hidden: number; none: number; notCollected: number };
  listenCounters: { sinceBoot: ListenCounters | null; sample: CounterDelta | null };
  ephemeralUsage: EphemeralUsage;
  sources?: InputSource[];
  /** What the table was read from: a kernel interface, an OS API or a command (live), or the files (--from). */
  readFrom: string[];
  notes: string[];
}

interface Collected {
  /** The rows that matched the filters. */
  rows: SocketRow[] | CompactSocketTable;
  /** The LISTEN rows among them. */
  listeners: SocketRow[];
  /** Listening ports of the whole table, which a filter may have narrowed. */
  listeningPorts: ReadonlySet<number>;
  /** Rows in the whole table. */
  total: number;
  notes: string[];
  ranges: EphemeralRange[];
  counters: ListenCounters | null;
  delta: CounterDelta | null;
  sources?: InputSource[];
  readFrom: string[];
}

/** The largest groups first, at most `limit` of them (0: all), and how many there are. */
function limitedGroups(groups: SocketGroup[], limit: number): Pick<SocketsData, 'groups' | 'groupsMatched'> {
  return { groups: limit > 0 ? groups.slice(0, limit) : groups, groupsMatched: groups.length };
}

export async function probeSockets(input: SocketsInput): Promise<ProbeResult<SocketsData>> {
  const c = input.captured ? collectCaptured(input, input.captured) : await collectLive(input);
  const { usage, findings } = analyzeSocketTable(c.rows, c.listeners, c.listeningPorts, c.ranges, c.counters, c.delta);
  findings.push(...explainOwners(c.rows, c.notes));
  const states = countStates(c.rows);
  const data: SocketsData = {
    // When only some rows are shown, show listeners first, then by local port;
    // a full table keeps the kernel's order (sorting 100,000 rows costs time).
    rows: input.limit > 0 ? sortForDisplay(rowArray(c.rows)).slice(0, input.limit) : c.rows,
    matched: c.rows.length,
    total: c.total,
    filters: input.filter,
    states,
    ...(input.groupBy ? limitedGroups(groupSockets(rowArray(c.rows), input.groupBy), input.limit) : {}),
    owners: countOwners(c.rows),
    listenCounters: { sinceBoot: c.counters, sample: c.delta },
    ephemeralUsage: usage,
    ...(c.sources ? { sources: c.sources } : {}),
    readFrom: c.readFrom,
    notes: c.notes,
  };
  const gaps = input.captured?.notJudged ?? [];
  // Earlier runs a later run of the same command replaced: said, but no gap.
  const notJudged = [...gaps, ...replacedCaptures(input.captured)];
  return { verdict: verdictWithGaps(deriveVerdict(findings), gaps), summary: summarize(data, isFiltered(input.filter)), findings, notJudged, data };
}

async function collectLive(input: SocketsInput): Promise<Collected> {
  const backend = input.backend();
  const notes: string[] = [];
  const readCounters = backend.readListenCounters?.bind(backend);
  const counters = readCounters ? await readCounters().catch((e: Error) => (notes.push(e.message), null)) : null;
  if (!readCounters) notes.push('this OS backend has no listen-overflow counters; accept queues are shown from the socket table only');
  // With --sample the table is read at the end of the window, so the queues
  // shown are those after watching the counters, not before.
  const t0 = Date.now();
  if (input.sampleMs && counters) {
    input.progress(`sampling listen-overflow counters for ${input.sampleMs / 1000} s`);
    await input.sleep(input.sampleMs);
  }
  const table = await readTable(input, backend, notes);
  // No socket of a pid that no process has: said, so "0 sockets" is not read as "it holds none".
  if (input.filter.pid !== undefined && table.rows.length === 0 && !processExists(input.filter.pid)) notes.push(`no process ${input.filter.pid} runs on this host (it may have ended)`);
  let delta: CounterDelta | null = null;
  if (input.sampleMs && counters && readCounters) {
    const after = await readCounters();
    delta = {
      windowMs: Date.now() - t0,
      listenOverflows: after.listenOverflows - counters.listenOverflows,
      listenDrops: after.listenDrops - counters.listenDrops,
    };
  }
  const ranges = await backend.readPortRanges().then(
    (r) => r.ephemeral,
    (e: Error) => (notes.push(`ephemeral range unknown: ${e.message}`), []),
  );
  return { ...table, notes, ranges, counters, delta };
}

type Table = Pick<Collected, 'rows' | 'listeners' | 'listeningPorts' | 'total' | 'readFrom'>;

/** Whether a process with this pid exists (signal 0 sends nothing: ESRCH says none, EPERM another user's). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The rows to show. When all of them go out as they are (no filter, no
 * grouping, no limit: `sockets --json`, with or without owners), a backend
 * that can keeps them compact: on a host with 100,000 sockets, building the
 * row objects cost about as much as reading the table from the kernel
 * (bench/busy-host.mjs). Otherwise the backend is asked for what the filter wants
 * (Linux: the kernel filters states and ports), and owners are looked up for
 * the rows that matched (issue #19).
 */
async function readTable(input: SocketsInput, backend: OsBackend, notes: string[]): Promise<Table> {
  const f = input.filter;
  const wholeTable = !isFiltered(f) && !input.groupBy && input.limit === 0;
  const compact = wholeTable && backend.readCompactSocketTable ? await backend.readCompactSocketTable(input.owners) : null;
  if (compact) {
    notes.push(...compact.notes);
    const listeners = compact.table.listeners();
    return { rows: compact.table, listeners, listeningPorts: listeningPortsOf(listeners), total: compact.table.length, readFrom: [compact.table.source] };
  }
  const query = queryOf(f);
  if (f.pid !== undefined && backend.readProcessSockets) {
    // Its own descriptors say which sockets are its: no walk of every process.
    const table = await backend.readProcessSockets(f.pid, query);
    notes.push(...table.notes);
    return rowTable(table, table.rows.filter((r) => matchesTuple(r, f)));
  }
  const owners = (input.owners || f.pid !== undefined) && backend.resolveOwners;
  if (owners && f.pid === undefined) backend.prepareOwners?.({ port: f.port ?? f.localPort ?? f.remotePort });
  const table = await backend.readSocketTable(query);
  notes.push(...table.notes);
  let rows = table.rows.filter((r) => matchesTuple(r, f));
  if (owners) notes.push(...(await backend.resolveOwners!(rows, f.pid)));
  rows = rows.filter((r) => matchesOwner(r, f));
  return rowTable(table, rows);
}

/** What the backend may ask its OS for: the filter's states and ports (--listen is the LISTEN state). */
function queryOf(f: SocketFilter): SocketQuery {
  const states = f.listen ? (f.states ?? ['LISTEN']).filter((s) => s === 'LISTEN') : f.states;
  return { states, port: f.port, localPort: f.localPort, remotePort: f.remotePort };
}

/** `rows` out of `table`, with the rows waiting in an accept queue marked. */
function rowTable(table: SocketTable, rows: SocketRow[]): Table {
  const listeningPorts = table.whole?.listeningPorts ?? listeningPortsOf(table.rows);
  markAcceptQueueWaiters(rows, listeningPorts);
  return { rows, listeners: rows.filter((r) => r.state === 'LISTEN'), listeningPorts, total: table.whole?.total ?? table.rows.length, readFrom: table.readFrom };
}

function collectCaptured(input: SocketsInput, captured: CapturedInput): Collected {
  oneCapturedSystem(captured.parts);
  const parsed = captured.parts.flatMap((p) => (p.kind === 'table' ? [p] : []));
  if (parsed.length === 0) throw lacking(captured, 'table', 'sockets');
  const all = parsed.flatMap((p) => p.table.rows);
  const notes = parsed.flatMap((p) => p.table.notes);
  const rows = all.filter((r) => matchesTuple(r, input.filter) && matchesOwner(r, input.filter));
  return { ...rowTable({ rows: all, readFrom: [...new Set(parsed.map((p) => p.file))], notes: [] }, rows), notes, ranges: assumedRanges(parsed.map((p) => p.os), notes), counters: null, delta: null, sources: captured.sources };
}

/** Captured tables carry no port range: assume the default of the OS that printed them, and say so. */
function assumedRanges(oses: Array<OsName | null>, notes: string[]): EphemeralRange[] {
  const os = oses.find((o) => o !== null);
  if (!os || new Set(oses.filter(Boolean)).size > 1) return [];
  const assumed = assumedEphemeralRange(os);
  notes.push(`ephemeral range assumed to be the ${os} default ${assumed.start}-${assumed.end} (add the host's port ranges to check)`);
  return [assumed];
}

const STATE_ORDER: Record<string, number> = { LISTEN: 0 };

function sortForDisplay(rows: SocketRow[]): SocketRow[] {
  return [...rows].sort(
    (a, b) => (STATE_ORDER[a.state] ?? 1) - (STATE_ORDER[b.state] ?? 1) || a.local.port - b.local.port || a.remote.port - b.remote.port,
  );
}

function countOwners(rows: RowStream): SocketsData['owners'] {
  const n = { found: 0, hidden: 0, none: 0, notCollected: 0 };
  rows.forEach((r) => void n[r.owner === 'not-collected' ? 'notCollected' : r.owner]++);
  return { collected: n.found + n.hidden + n.none > 0, ...n };
}

function summarize(d: SocketsData, filtered: boolean): string {
  const top = Object.entries(d.states)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([s, n]) => `${n} ${s}`);
  const head = filtered ? `${plural(d.matched, 'socket')} match (of ${d.total})` : plural(d.total, 'socket');
  return top.length ? `${head}: ${top.join(', ')}` : head;
}
