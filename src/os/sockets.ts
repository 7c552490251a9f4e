// The socket table as every backend and every --from parser reports it
// (DESIGN.md "A socket row"). Rows are never dropped for lack of an owner:
// `owner` says why `pid` is null.

import type { Family } from './port-ranges.js';
import type { TcpState } from './tcp-states.js';
import type { ChunkWriter } from '../report/byte-writer.js';

export interface Endpoint {
  /** Numeric address as the source prints it; IPv6 zone ids kept ("fe80::1%12"), IPv4-mapped kept ("::ffff:10.0.0.1"). Wildcards are "0.0.0.0" / "::". */
  address: string;
  /** 0 for a wildcard ("*"). */
  port: number;
  /** Only when true: the address is a host name as the tool printed it (output without -n), not a number. */
  addressIsName?: true;
  /**
   * Only when true: the tool cuts addresses to its column width and this one
   * fills the column, so it may be only the beginning of a longer name or
   * address (BSD netstat: 16 characters; Linux netstat: address and port 22).
   */
  addressCut?: true;
}

/**
 * Why pid is or is not known:
 *  - found: the source named the owning process;
 *  - none: no process owns the socket (TIME_WAIT, kernel sockets, Windows PID 0);
 *  - hidden: the source could not see it (another user's process without privilege);
 *  - not-collected: the source carries no owners (`netstat -an`, `ss -tan`, /proc/net/tcp, --no-owners).
 */
export type OwnerStatus = 'found' | 'none' | 'hidden' | 'not-collected';

export interface SocketRow {
  protocol: 'tcp';
  family: Family;
  local: Endpoint;
  remote: Endpoint;
  state: TcpState;
  pid: number | null;
  process: string | null;
  owner: OwnerStatus;
  /** Further processes holding the same socket (forked servers); only when there are any. */
  otherOwners?: Array<{ pid: number; process: string | null }>;
  /** LISTEN rows: connections waiting in the accept queue, and its limit when the source shows it. */
  acceptQueue?: { length: number; max: number | null };
  /** Other rows: bytes not yet read by the application / not yet acknowledged by the peer. */
  recvQ?: number;
  sendQ?: number;
  /** An established connection the kernel completed that no process has accepted yet (Linux: it has no inode). */
  inAcceptQueue?: boolean;
  /** The owning process's user as the source names it (lsof's and sockstat's USER column); absent where it does not. */
  user?: string;
  /** Linux extras. */
  inode?: number;
  uid?: number;
  retransmits?: number;
}

/**
 * What a caller wants from the socket table: a backend that can ask its OS
 * for just these sockets does (Linux: sock_diag's state mask and port
 * filter); any other returns more, so callers still filter the rows.
 */
export interface SocketQuery {
  /** Only sockets in these states. */
  states?: readonly TcpState[];
  /** Either end on this port. */
  port?: number;
  localPort?: number;
  remotePort?: number;
}

export interface SocketTable {
  rows: SocketRow[];
  /** Files or commands read. */
  readFrom: string[];
  /** What could not be read or seen, in words. */
  notes: string[];
  /**
   * Where `rows` hold only what a query asked for (the OS filtered them):
   * how many sockets the whole table holds, and its listening ports (they
   * tell accepted sockets from client sockets). Absent: `rows` are the whole table.
   */
  whole?: { total: number; listeningPorts: ReadonlySet<number> };
  /** Captured input only: what the command that printed the table left out, and the command itself (input/table-scope.ts); absent: no command line, nothing known left out. */
  scope?: TableScope;
  /**
   * Captured lsof output only: the users its rows belong to. lsof lists only
   * the processes its user may read, so one user who is not root says the
   * table may lack every other user's sockets (input/table-gaps.ts).
   */
  users?: string[];
  /**
   * The note (also in `notes`) saying the tool printed no owners (ss without
   * -p, BSD netstat without -v): in a paste, another table of the same host
   * may name every owner (input/same-sockets.ts), and then the note goes.
   */
  ownersNote?: string;
}

/** What a captured table cannot show, from the command line that printed it (input/table-scope.ts). */
export interface TableScope {
  /** The command line as pasted (prompt taken off). */
  command: string;
  /** The only families it shows; absent: both; empty: no TCP socket (/proc/net/udp only). */
  families?: Family[];
  /** The only states it shows; absent: every state. */
  states?: TcpState[];
  /** The command ran as root (sudo, doas, or a root prompt: "#"). */
  asRoot?: boolean;
  /**
   * The command line names the tool that printed the table (ss, netstat, lsof,
   * sockstat, Get-NetTCPConnection, a cat of /proc/net/tcp), so what it leaves
   * out is read from it. Absent: a command line that says nothing of the
   * table's options (`cat saved.txt`, `Get-Content`), or none.
   */
  commandRead?: boolean;
  /** lsof: the sockets of open files only, so never a TIME_WAIT socket (states leaves it out). */
  openFilesOnly?: boolean;
  /**
   * Filters that dropped rows, as typed ("findstr LISTENING", "sport = :443"); the local port whose every row each
   * keeps when there is one (`findstr :8080`, `sport = :443`), and `ports` when it keeps several (`sport = :80 or sport = :443`).
   */
  filters?: Array<{ text: string; port: number | null; ports?: number[] }>;
  /** Lines of its input where the paste leaves rows out ("...", "<snip>": input/omission-marks.ts). */
  omitted?: { file: string; lines: number[] };
}

/**
 * Rows handed out one at a time. `visit` may get the same object for every
 * row, a view whose fields are getters, so it must copy what it keeps, field
 * by field (spreading a view copies none of them). Arrays of rows are row
 * streams too.
 */
export interface RowStream {
  readonly length: number;
  forEach(visit: (row: SocketRow) => void): void;
}

/**
 * A whole table kept compact rather than as row objects (Linux: the kernel's
 * sock_diag records), for output of every row on a busy host.
 */
export interface CompactSocketTable extends RowStream {
  /** Where it was read, as SocketTable.readFrom says it. */
  readonly source: string;
  /** The listening sockets as rows of their own. */
  listeners(): SocketRow[];
  /** Every row as an object of its own. */
  toRows(): SocketRow[];
  /** Every row as JSON, as writeSocketRowsJson writes rows (report/socket-rows-json.ts), straight from the compact form. */
  writeJsonRows(indent: string, write: ChunkWriter): void;
}

/** Rows as an array, a compact table's made into objects. */
export function rowArray(rows: SocketRow[] | CompactSocketTable): SocketRow[] {
  return Array.isArray(rows) ? rows : rows.toRows();
}

/**
 * A connection the kernel completed that no process has accepted yet: on
 * Linux it has no file, so no inode. `listeningPorts` are those of the whole
 * table (a filter may have dropped the listener's own row).
 */
export function waitsInAcceptQueue(state: TcpState, inode: number | undefined, localPort: number, listeningPorts: ReadonlySet<number>): boolean {
  return state === 'ESTABLISHED' && inode === 0 && listeningPorts.has(localPort);
}

export function emptySocketTable(): SocketTable {
  return { rows: [], readFrom: [], notes: [] };
}

/**
 * Recv-Q/Send-Q as every source reports them: for a listener the receive
 * queue is its accept queue (`listenMax` its limit, where the source shows
 * it); for any other socket they are bytes not yet read / not yet acknowledged.
 */
export function queuesOf(state: SocketRow['state'], recv: number, send: number, listenMax: number | null): Pick<SocketRow, 'acceptQueue' | 'recvQ' | 'sendQ'> {
  return state === 'LISTEN' ? { acceptQueue: { length: recv, max: listenMax } } : { recvQ: recv, sendQ: send };
}

/**
 * The owner status of a row whose text source names no process: owners not
 * asked for (no process column), none (a TIME_WAIT socket belongs to nobody),
 * or hidden (another user's, or another PID namespace's, process).
 */
export function ownerWithoutProcess(state: SocketRow['state'], ownersAsked: boolean): OwnerStatus {
  if (!ownersAsked) return 'not-collected';
  return state === 'TIME_WAIT' ? 'none' : 'hidden';
}
